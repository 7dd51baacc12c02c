import type { CasePresentation } from "../cases/present-case.js";
import type { HomeContent } from "../home/get-home.js";
import type { Decision } from "../responses/approve-response.js";
import type { ResponseView } from "../responses/present-response.js";
import type { HomeView, SlackMessage } from "./poster.js";

/**
 * How each message the use cases send looks. The use cases decide who is told what (each reader's
 * view, by the audience rule) and hand that view to these; the Block Kit builders behind them stay
 * pure and live with the other builders in src/slack/blocks, injected by whoever composes the use
 * cases (src/bot.ts), so a module never imports from src/slack.
 */
export type MessageRenderers = {
  /** The case card in an answering body's channel, with what the sender wrote and the due date. */
  remissNotice(card: CasePresentation, notice: RemissNotice): SlackMessage;
  /** The approval request, with its Godkänn/Avslå buttons, as its reader may read it. */
  approvalRequest(view: ResponseView): SlackMessage;
  /** A copy of the approval request once decided: no buttons, who decided when. */
  decidedApproval(view: ResponseView, decision: Decision): SlackMessage;
  /** The direct message to the one who recorded the response. */
  submitterNotice(view: ResponseView, decision: Decision): SlackMessage;
  /** The line in the responsible body's channel after an approval. */
  approvedChannelLine(view: ResponseView, decision: Decision): SlackMessage;
  /** The user's Home tab: their work, their cases, a search button. */
  home(content: HomeContent): HomeView;
};

export type RemissNotice = {
  bodyName: string;
  dueOn: string;
  dueDateWarning: string | null;
  /** The sender's Slack user id. */
  sentBy: string;
  /** What the sender wrote, trimmed; null when nothing. */
  message: string | null;
};
