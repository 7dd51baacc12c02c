import type { App } from "@slack/bolt";
import { REMISS_VIEW } from "../blocks/remiss-modal.js";
import type { SlackDeps } from "../deps.js";
import { createWebPoster } from "../web-poster.js";
import { remissSubmitted } from "./remiss-submitted.js";

/** Modal submissions. Channel posts go through the paced posting client when one is given. */
export function registerViews(app: App, deps: SlackDeps): void {
  const poster = deps.poster ?? createWebPoster({ client: app.client });
  app.view(REMISS_VIEW, remissSubmitted({ ...deps, poster }));
}
