import type { AllMiddlewareArgs, App, SlackEventMiddlewareArgs } from "@slack/bolt";
import type { SlackDeps } from "../deps.js";
import { dispatchById } from "../dispatch.js";
import { appHomeOpened } from "./app-home-opened.js";
import { appMention } from "./app-mention.js";
import { directMessage } from "./direct-message.js";
import { linkShared } from "./link-shared.js";

type EventArgs<Type extends string = string> = SlackEventMiddlewareArgs<Type> & AllMiddlewareArgs;

/**
 * The bot's events, by type; one Bolt listener serves them all (see dispatchById). With a listener
 * each, Bolt copied every request's arguments three more times, a slash command's included.
 */
export function registerEvents(app: App, deps: SlackDeps): void {
  const handlers = Object.fromEntries([
    forType("app_mention", appMention(deps)),
    forType("app_home_opened", appHomeOpened(deps)),
    // app.message() is app.event("message") with patterns; the handler filters what it answers.
    forType("message", directMessage(deps)),
    forType("link_shared", linkShared(deps)),
  ]);
  app.event(...dispatchById(handlers, ({ event }: EventArgs) => event.type));
}

/** The dispatcher calls a handler only for an event of its type, so its arguments are of that type. */
function forType<Type extends string>(
  type: Type,
  handler: (args: EventArgs<Type>) => Promise<void>,
): [Type, (args: EventArgs) => Promise<void>] {
  return [type, handler as (args: EventArgs) => Promise<void>];
}
