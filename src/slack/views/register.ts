import type { AllMiddlewareArgs, App, SlackViewMiddlewareArgs, ViewSubmitAction } from "@slack/bolt";
import { REJECT_REASON_VIEW } from "../blocks/approval-ids.js";
import { REMISS_VIEW } from "../blocks/remiss-modal.js";
import { RESPONSE_VIEW } from "../blocks/response-modal.js";
import { SEARCH_VIEW } from "../blocks/search-modal.js";
import type { SlackDeps } from "../deps.js";
import { dispatchById } from "../dispatch.js";
import { rejectReasonSubmitted } from "./reject-reason-submitted.js";
import { remissSubmitted } from "./remiss-submitted.js";
import { responseSubmitted } from "./response-submitted.js";
import { searchSubmitted } from "./search-submitted.js";

type SubmissionArgs = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

/**
 * Modal submissions, by callback id; one Bolt listener serves them all (see dispatchById). What they
 * send to others goes through the use cases' posting port.
 */
export function registerViews(app: App, deps: SlackDeps): void {
  const handlers: Record<string, (args: SubmissionArgs) => Promise<void>> = {
    [REMISS_VIEW]: remissSubmitted(deps),
    [RESPONSE_VIEW]: responseSubmitted(deps),
    [REJECT_REASON_VIEW]: rejectReasonSubmitted(deps),
    [SEARCH_VIEW]: searchSubmitted(deps),
  };
  app.view<ViewSubmitAction>(...dispatchById(handlers, ({ view }) => view.callback_id));
}
