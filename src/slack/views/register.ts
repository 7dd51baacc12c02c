import type { App } from "@slack/bolt";
import { REJECT_REASON_VIEW } from "../blocks/approval-ids.js";
import { REMISS_VIEW } from "../blocks/remiss-modal.js";
import { RESPONSE_VIEW } from "../blocks/response-modal.js";
import type { SlackDeps } from "../deps.js";
import { createWebPoster } from "../web-poster.js";
import { rejectReasonSubmitted } from "./reject-reason-submitted.js";
import { remissSubmitted } from "./remiss-submitted.js";
import { responseSubmitted } from "./response-submitted.js";

/** Modal submissions. Channel posts go through the paced posting client when one is given. */
export function registerViews(app: App, deps: SlackDeps): void {
  const poster = deps.poster ?? createWebPoster({ client: app.client });
  app.view(REMISS_VIEW, remissSubmitted({ ...deps, poster }));
  app.view(RESPONSE_VIEW, responseSubmitted({ ...deps, poster }));
  app.view(REJECT_REASON_VIEW, rejectReasonSubmitted({ ...deps, poster }));
}
