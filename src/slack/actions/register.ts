import type { App, BlockButtonAction } from "@slack/bolt";
import { APPROVE_RESPONSE_ACTION, REJECT_RESPONSE_ACTION } from "../blocks/approval-ids.js";
import { SHARE_CASE_ACTION } from "../blocks/case-card.js";
import { NEWER_HISTORY_ACTION, OLDER_HISTORY_ACTION, OPEN_HISTORY_ACTION } from "../blocks/history-ids.js";
import { OPEN_RESPONSE_MODAL_ACTION } from "../blocks/response-modal.js";
import type { SlackDeps } from "../deps.js";
import { approveResponseAction } from "./approve-response.js";
import { openResponseModal } from "./open-response-modal.js";
import { rejectResponseAction } from "./reject-response.js";
import { shareCaseCard } from "./share-case-card.js";
import { showCaseHistory } from "./show-case-history.js";

export function registerActions(app: App, deps: SlackDeps): void {
  app.action<BlockButtonAction>(SHARE_CASE_ACTION, shareCaseCard(deps));
  app.action<BlockButtonAction>(OPEN_RESPONSE_MODAL_ACTION, openResponseModal(deps));
  app.action<BlockButtonAction>(APPROVE_RESPONSE_ACTION, approveResponseAction(deps));
  app.action<BlockButtonAction>(REJECT_RESPONSE_ACTION, rejectResponseAction(deps));
  app.action<BlockButtonAction>(OPEN_HISTORY_ACTION, showCaseHistory(deps, { replacing: false }));
  const paging = showCaseHistory(deps, { replacing: true });
  app.action<BlockButtonAction>(OLDER_HISTORY_ACTION, paging);
  app.action<BlockButtonAction>(NEWER_HISTORY_ACTION, paging);
}
