import type { SlackDeps } from "../deps.js";
import type { SlackRouter } from "../router.js";
import { appHomeOpened } from "./app-home-opened.js";
import { appMention } from "./app-mention.js";
import { directMessage } from "./direct-message.js";
import { linkShared } from "./link-shared.js";

export function registerEvents(router: SlackRouter, deps: SlackDeps): void {
  router.event("app_mention", appMention(deps));
  router.event("app_home_opened", appHomeOpened(deps));
  // Every message event the bot is subscribed to (message.im); the handler answers a person's own words.
  router.event("message", directMessage(deps));
  router.event("link_shared", linkShared(deps));
}
