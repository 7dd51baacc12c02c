import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewOutput, ViewSubmitAction } from "@slack/bolt";
import { z } from "zod";
import { say } from "../../messages/sv.js";
import type { ResponseField, ResponseFieldError } from "../../modules/responses/errors.js";
import type { RecordResponseResult, ResponseRequest } from "../../modules/responses/record-response.js";
import { approvalRequestMessage, responseAwaitsApprovalMessage } from "../blocks/approval-request.js";
import type { SlackMessage } from "../blocks/message.js";
import { registryProblemText } from "../blocks/replies.js";
import {
  DECLINED_VALUE,
  RESPONSE_ACTIONS,
  RESPONSE_BLOCKS,
  type ResponseMetadata,
  responseMetadata,
} from "../blocks/response-modal.js";
import type { SlackDeps } from "../deps.js";
import { safeJson, tellPrivately } from "../payload.js";
import { SlackPostError, type SlackPoster } from "../web-poster.js";

const FIELD_BLOCKS: Record<ResponseField, string> = {
  referral: RESPONSE_BLOCKS.referral,
  answeredOn: RESPONSE_BLOCKS.answeredOn,
  summary: RESPONSE_BLOCKS.summary,
  link: RESPONSE_BLOCKS.link,
};

const BROKEN_FORM = "Formuläret gick inte att läsa. Stäng det och börja om med /arende remissvar.";

const selectedOption = z
  .object({ selected_option: z.object({ value: z.string().regex(/^\d{1,9}$/) }).nullish() })
  .partial();
const pickedDate = z.object({ selected_date: z.string().max(20).nullish() }).partial();
const typedText = z.object({ value: z.string().max(20_000).nullish() }).partial();
const typedUrl = z.object({ value: z.string().max(20_000).nullish() }).partial();
const checked = z
  .object({ selected_options: z.array(z.object({ value: z.string().max(50) })).max(10) })
  .partial();

export type ResponseSubmission =
  | { ok: true; metadata: ResponseMetadata; response: ResponseRequest }
  | { ok: false; errors: Record<string, string> };

/** Reads the submitted form with zod; anything forged or broken is an error on the field it concerns. */
export function readResponseView(view: Pick<ViewOutput, "private_metadata" | "state">): ResponseSubmission {
  const metadata = responseMetadata.safeParse(safeJson(view.private_metadata));
  if (!metadata.success) return { ok: false, errors: { [RESPONSE_BLOCKS.referral]: BROKEN_FORM } };
  const values = view.state?.values ?? {};
  const field = (block: string, action: string) => values[block]?.[action] ?? {};
  const errors: Record<string, string> = {};

  const referral = selectedOption.safeParse(field(RESPONSE_BLOCKS.referral, RESPONSE_ACTIONS.referral));
  if (!referral.success) errors[RESPONSE_BLOCKS.referral] = "Valet av remiss gick inte att läsa. Välj igen.";
  const date = pickedDate.safeParse(field(RESPONSE_BLOCKS.answeredOn, RESPONSE_ACTIONS.answeredOn));
  if (!date.success) errors[RESPONSE_BLOCKS.answeredOn] = "Datumet gick inte att läsa. Välj igen.";
  const summary = typedText.safeParse(field(RESPONSE_BLOCKS.summary, RESPONSE_ACTIONS.summary));
  if (!summary.success) errors[RESPONSE_BLOCKS.summary] = "Sammanfattningen gick inte att läsa.";
  const link = typedUrl.safeParse(field(RESPONSE_BLOCKS.link, RESPONSE_ACTIONS.link));
  if (!link.success) errors[RESPONSE_BLOCKS.link] = "Länken gick inte att läsa.";
  const declined = checked.safeParse(field(RESPONSE_BLOCKS.declined, RESPONSE_ACTIONS.declined));
  if (!declined.success) errors[RESPONSE_BLOCKS.declined] = "Valet gick inte att läsa.";
  if (!referral.success || !date.success || !summary.success || !link.success || !declined.success) {
    return { ok: false, errors };
  }
  const chosen = referral.data.selected_option?.value;
  return {
    ok: true,
    metadata: metadata.data,
    response: {
      caseId: metadata.data.caseId,
      referralId: chosen === undefined ? null : Number(chosen),
      answeredOn: date.data.selected_date ?? null,
      summary: summary.data.value ?? null,
      link: link.data.value ?? null,
      declined: (declined.data.selected_options ?? []).some((option) => option.value === DECLINED_VALUE),
    },
  };
}

/** Field errors keyed by input block id, several on one field joined. */
export function responseFieldErrors(errors: readonly ResponseFieldError[]): Record<string, string> {
  const keyed: Record<string, string> = {};
  for (const error of errors) {
    const block = FIELD_BLOCKS[error.field];
    keyed[block] = keyed[block] ? `${keyed[block]} ${say(error)}` : say(error);
  }
  return keyed;
}

type ViewArgs = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;
type Recorded = Extract<RecordResponseResult, { ok: true }>;

/**
 * The remissvar form submitted: invalid input is answered in the modal (`response_action: errors`)
 * and nothing is stored; a stored pending response closes it, then the approval request goes as a
 * DM to each godkännare of the body (or, with none, to the body's channel), where it was posted is
 * stored, and the submitter is told who was asked.
 */
export function responseSubmitted({ services, poster }: SlackDeps & { poster: SlackPoster }) {
  return async ({ ack, body, view, client, logger }: ViewArgs) => {
    const submission = readResponseView(view);
    if (!submission.ok) return ack({ response_action: "errors", errors: submission.errors });
    const { metadata, response } = submission;
    const user = body.user.id;
    const by = { userId: user, name: body.user.name };

    let result: RecordResponseResult;
    try {
      result = await services.recordResponse({ by, response });
    } catch (error) {
      logger.error("recording a referral response failed", error);
      return ack({
        response_action: "errors",
        errors: { [RESPONSE_BLOCKS.referral]: registryProblemText(error) },
      });
    }
    if (!result.ok) {
      return ack({
        response_action: "errors",
        errors:
          result.type === "invalid"
            ? responseFieldErrors(result.errors)
            : { [RESPONSE_BLOCKS.referral]: say(result) },
      });
    }
    await ack({ response_action: "clear" });

    const delivery = await requestApproval({ poster, logger }, result);
    if (delivery.posted.length > 0) {
      try {
        await services.recordApprovalMessages({
          by,
          responseId: result.responseId,
          messages: delivery.posted,
        });
      } catch (error) {
        logger.error(`storing the approval messages of response ${result.responseId} failed`, error);
      }
    }
    const confirmation = responseAwaitsApprovalMessage({
      caseLabel: result.caseLabel,
      bodyName: result.referral.body.name,
      approvers: delivery.approvers,
      channelId: delivery.channel,
      failed: delivery.failed,
      noApprover: result.approvers.length === 0 && !result.referral.body.slackChannelId,
    });
    await tellPrivately(
      { client, logger },
      { channel: metadata.channelId, user },
      confirmation,
      "response confirmation",
    );
  };
}

type Delivery = {
  posted: { channelId: string; messageTs: string; recipientSlackUserId: string | null }[];
  /** The godkännare the request reached. */
  approvers: string[];
  /** The body's channel, when the request was posted there. */
  channel: string | null;
  failed: { target: string; code: string }[];
};

/**
 * A DM to each godkännare, each as that godkännare may read it; with none (or none reachable), the
 * body's channel, as a channel may read it.
 */
async function requestApproval(
  { poster, logger }: { poster: SlackPoster; logger: ViewArgs["logger"] },
  result: Recorded,
): Promise<Delivery> {
  const delivery: Delivery = { posted: [], approvers: [], channel: null, failed: [] };
  const post = async (
    channel: string,
    message: SlackMessage,
    recipientSlackUserId: string | null,
  ): Promise<boolean> => {
    try {
      const posted = await poster.post({ channel, ...message });
      delivery.posted.push({
        channelId: posted.channel ?? channel,
        messageTs: posted.ts,
        recipientSlackUserId,
      });
      return true;
    } catch (error) {
      const code = error instanceof SlackPostError ? error.code : "unknown";
      logger.warn(`approval request of response ${result.responseId} to ${channel} failed: ${code}`);
      delivery.failed.push({ target: channel, code });
      return false;
    }
  };

  for (const { slackUserId, view } of result.requests) {
    if (await post(slackUserId, approvalRequestMessage(view), slackUserId))
      delivery.approvers.push(slackUserId);
  }
  const channel = result.referral.body.slackChannelId;
  if (delivery.approvers.length === 0 && channel) {
    if (await post(channel, approvalRequestMessage(result.channelRequest), null)) delivery.channel = channel;
  }
  return delivery;
}
