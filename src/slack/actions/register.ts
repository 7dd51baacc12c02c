import { HOME_SEARCH_ACTION } from "../blocks/app-home.js";
import { APPROVE_RESPONSE_ACTION, REJECT_RESPONSE_ACTION } from "../blocks/approval-ids.js";
import { SHARE_CASE_ACTION } from "../blocks/case-card.js";
import { FOLLOW_CASE_ACTION } from "../blocks/follow-ids.js";
import { NEWER_HISTORY_ACTION, OLDER_HISTORY_ACTION, OPEN_HISTORY_ACTION } from "../blocks/history-ids.js";
import { OPEN_RESPONSE_MODAL_ACTION } from "../blocks/response-modal.js";
import { MORE_SEARCH_HITS_ACTION, OPEN_SEARCH_HIT_ACTION } from "../blocks/search-results.js";
import type { SlackDeps } from "../deps.js";
import type { ButtonArgs, SlackRouter } from "../router.js";
import { approveResponseAction } from "./approve-response.js";
import { followCaseAction } from "./follow-case.js";
import { openResponseModal } from "./open-response-modal.js";
import { openSearchModal } from "./open-search-modal.js";
import { rejectResponseAction } from "./reject-response.js";
import { openSearchHit, showMoreSearchHits } from "./search-hits.js";
import { shareCaseCard } from "./share-case-card.js";
import { showCaseHistory } from "./show-case-history.js";

/** The bot's buttons, by action id. */
export function registerActions(router: SlackRouter, deps: SlackDeps): void {
  const paging = showCaseHistory(deps, { replacing: true });
  const handlers: Record<string, (args: ButtonArgs) => Promise<void>> = {
    [SHARE_CASE_ACTION]: shareCaseCard(deps),
    [OPEN_RESPONSE_MODAL_ACTION]: openResponseModal(deps),
    [APPROVE_RESPONSE_ACTION]: approveResponseAction(deps),
    [REJECT_RESPONSE_ACTION]: rejectResponseAction(deps),
    [OPEN_HISTORY_ACTION]: showCaseHistory(deps, { replacing: false }),
    [FOLLOW_CASE_ACTION]: followCaseAction(deps),
    [OLDER_HISTORY_ACTION]: paging,
    [NEWER_HISTORY_ACTION]: paging,
    [OPEN_SEARCH_HIT_ACTION]: openSearchHit(deps),
    [MORE_SEARCH_HITS_ACTION]: showMoreSearchHits(deps),
    [HOME_SEARCH_ACTION]: openSearchModal(),
  };
  for (const [actionId, handler] of Object.entries(handlers)) router.button(actionId, handler);
}
