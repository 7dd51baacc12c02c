import type { MessageRenderers } from "../../modules/posting/messages.js";
import { homeView } from "./app-home.js";
import { approvedChannelLine, decidedApprovalMessage, submitterNotice } from "./approval-decision.js";
import { approvalRequestMessage } from "./approval-request.js";
import { remissReceivedMessage } from "./remiss-modal.js";

/** The Block Kit builders of the messages the use cases send, as the composition root injects them. */
export const slackRenderers: MessageRenderers = {
  remissNotice: remissReceivedMessage,
  approvalRequest: approvalRequestMessage,
  decidedApproval: decidedApprovalMessage,
  submitterNotice,
  approvedChannelLine,
  home: homeView,
};
