import type { App } from "@slack/bolt";
import { REJECT_REASON_VIEW } from "../blocks/approval-ids.js";
import { REMISS_VIEW } from "../blocks/remiss-modal.js";
import { RESPONSE_VIEW } from "../blocks/response-modal.js";
import type { SlackDeps } from "../deps.js";
import { rejectReasonSubmitted } from "./reject-reason-submitted.js";
import { remissSubmitted } from "./remiss-submitted.js";
import { responseSubmitted } from "./response-submitted.js";

/** Modal submissions. What they send to others goes through the use cases' posting port. */
export function registerViews(app: App, deps: SlackDeps): void {
  app.view(REMISS_VIEW, remissSubmitted(deps));
  app.view(RESPONSE_VIEW, responseSubmitted(deps));
  app.view(REJECT_REASON_VIEW, rejectReasonSubmitted(deps));
}
