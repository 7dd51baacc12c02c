import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from "@slack/bolt";
import type { WebClient } from "@slack/web-api";
import { say } from "../../messages/sv.js";
import type { Decision, DecisionSubject } from "../../modules/responses/approve-response.js";
import {
  alreadyDecidedNotice,
  approvedChannelLine,
  decidedApprovalMessage,
  submitterNotice,
} from "../blocks/approval-decision.js";
import { approvalButtonValue } from "../blocks/approval-ids.js";
import { type SlackMessage, textMessage } from "../blocks/message.js";
import { registryProblemText } from "../blocks/replies.js";
import type { SlackDeps } from "../deps.js";
import { safeJson } from "../payload.js";
import { SlackPostError, type SlackPoster } from "../web-poster.js";

type ActionArgs = SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs;
type Logger = ActionArgs["logger"];
export type MessageRef = { channelId: string; messageTs: string };

const BROKEN_BUTTON = "Knappen gick inte att läsa. Öppna remissvaret i diariet i stället.";

/**
 * Godkänn on an approval request. Acked at once; the use case decides once. The winner updates every
 * copy of the request in place, tells the submitter and the responsible body's channel; whoever
 * comes second is told privately who decided first, and the clicked copy is brought up to date.
 */
export function approveResponseAction({ services, poster }: SlackDeps & { poster: SlackPoster }) {
  return async ({ ack, body, action, respond, client, logger }: ActionArgs) => {
    await ack();
    const reply = (message: SlackMessage) =>
      respond({ response_type: "ephemeral", replace_original: false, ...message });
    const value = approvalButtonValue.safeParse(safeJson(action.value));
    if (!value.success) return void (await reply(textMessage(BROKEN_BUTTON)));
    const clicked = clickedMessage(body);

    let result: Awaited<ReturnType<typeof services.approveResponse>>;
    try {
      result = await services.approveResponse({
        by: { userId: body.user.id, name: body.user.name },
        responseId: value.data.responseId,
      });
    } catch (error) {
      logger.error("approving a response failed", error);
      return void (await reply(textMessage(registryProblemText(error))));
    }
    if (!result.ok) {
      switch (result.type) {
        case "refused":
        case "not_found":
        case "expired":
          return void (await reply(textMessage(say(result))));
        case "already_decided":
          await reply(alreadyDecidedNotice(result.decision, services.now()));
          await showDecision({ client, logger }, result.subject, result.decision, clicked);
          return;
      }
    }
    await showDecision({ client, logger }, result.subject, result.decision, clicked);
    await tellSubmitter({ poster, logger }, result.subject, result.decision);
    const channel = result.subject.responsibleChannel;
    // There are no subscriptions to a single case yet; the responsible body's channel stands for them.
    if (channel)
      await post({ poster, logger }, channel.channelId, approvedChannelLine(channel.view, result.decision));
  };
}

/**
 * Every copy of the request (and the one clicked, if it was never recorded) shows the decision instead
 * of buttons, each as its reader may read it.
 */
export async function showDecision(
  { client, logger }: { client: WebClient; logger: Logger },
  subject: DecisionSubject,
  decision: Decision,
  clicked: MessageRef | null = null,
): Promise<void> {
  const copies = [...subject.copies];
  if (clicked && !copies.some((copy) => same(copy, clicked))) {
    copies.push({ ...clicked, view: subject.unrecordedCopy });
  }
  for (const copy of copies) {
    const message = decidedApprovalMessage(copy.view, decision);
    try {
      await client.chat.update({ channel: copy.channelId, ts: copy.messageTs, ...message });
    } catch (error) {
      logger.warn(`approval message ${copy.channelId}/${copy.messageTs} could not be updated`, error);
    }
  }
}

/** A direct message to the one who recorded the response, when the registry knows who it was. */
export async function tellSubmitter(
  deps: { poster: SlackPoster; logger: Logger },
  subject: DecisionSubject,
  decision: Decision,
): Promise<void> {
  if (!subject.submitter) return;
  await post(deps, subject.submitter.slackUserId, submitterNotice(subject.submitter.view, decision));
}

async function post(
  { poster, logger }: { poster: SlackPoster; logger: Logger },
  channel: string,
  message: SlackMessage,
): Promise<void> {
  try {
    await poster.post({ channel, ...message });
  } catch (error) {
    const code = error instanceof SlackPostError ? error.code : "unknown";
    logger.warn(`decision notice to ${channel} failed: ${code}`);
  }
}

export function clickedMessage(body: BlockButtonAction): MessageRef | null {
  const channelId = body.container?.channel_id ?? body.channel?.id;
  const messageTs = body.container?.message_ts ?? body.message?.ts;
  if (body.container?.is_ephemeral || !channelId || !messageTs) return null;
  return { channelId, messageTs };
}

function same(a: MessageRef, b: MessageRef): boolean {
  return a.channelId === b.channelId && a.messageTs === b.messageTs;
}
