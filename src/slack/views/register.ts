import { REJECT_REASON_VIEW } from "../blocks/approval-ids.js";
import { REMISS_VIEW } from "../blocks/remiss-modal.js";
import { RESPONSE_VIEW } from "../blocks/response-modal.js";
import { SEARCH_VIEW } from "../blocks/search-modal.js";
import type { SlackDeps } from "../deps.js";
import type { SlackRouter, SubmissionArgs } from "../router.js";
import { rejectReasonSubmitted } from "./reject-reason-submitted.js";
import { remissSubmitted } from "./remiss-submitted.js";
import { responseSubmitted } from "./response-submitted.js";
import { searchSubmitted } from "./search-submitted.js";

/** Modal submissions, by callback id. What they send to others goes through the use cases' posting port. */
export function registerViews(router: SlackRouter, deps: SlackDeps): void {
  const handlers: Record<string, (args: SubmissionArgs) => Promise<void>> = {
    [REMISS_VIEW]: remissSubmitted(deps),
    [RESPONSE_VIEW]: responseSubmitted(deps),
    [REJECT_REASON_VIEW]: rejectReasonSubmitted(deps),
    [SEARCH_VIEW]: searchSubmitted(deps),
  };
  for (const [callbackId, handler] of Object.entries(handlers)) router.submission(callbackId, handler);
}
