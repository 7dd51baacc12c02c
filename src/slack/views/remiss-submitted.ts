import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewOutput, ViewSubmitAction } from "@slack/bolt";
import { z } from "zod";
import { say } from "../../messages/sv.js";
import type { FieldError, RemissField } from "../../modules/referrals/errors.js";
import type { RemissRequest } from "../../modules/referrals/send-on-remiss.js";
import {
  confirmDueDateModal,
  REMISS_ACTIONS,
  REMISS_BLOCKS,
  type RemissDelivery,
  type RemissMetadata,
  remissMetadata,
  remissReceivedMessage,
  remissSentMessage,
} from "../blocks/remiss-modal.js";
import { registryProblemText } from "../blocks/replies.js";
import type { SlackDeps } from "../deps.js";
import { safeJson, tellPrivately } from "../payload.js";
import { SlackPostError, type SlackPoster } from "../web-poster.js";

const FIELD_BLOCKS: Record<RemissField, string> = {
  bodies: REMISS_BLOCKS.bodies,
  dueOn: REMISS_BLOCKS.dueOn,
  message: REMISS_BLOCKS.message,
};

const BROKEN_FORM = "Formuläret gick inte att läsa. Stäng det och börja om med /arende remittera.";

const selectedOptions = z
  .object({ selected_options: z.array(z.object({ value: z.string().regex(/^\d{1,9}$/) })).max(1000) })
  .partial();
const pickedDate = z.object({ selected_date: z.string().nullish() }).partial();
const typedText = z.object({ value: z.string().nullish() }).partial();

export type RemissSubmission =
  | { ok: true; metadata: RemissMetadata; remiss: RemissRequest }
  | { ok: false; errors: Record<string, string> };

/** Reads the submitted form with zod; anything forged or broken is an error on the field it concerns. */
export function readRemissView(view: Pick<ViewOutput, "private_metadata" | "state">): RemissSubmission {
  const metadata = remissMetadata.safeParse(safeJson(view.private_metadata));
  if (!metadata.success) return { ok: false, errors: { [REMISS_BLOCKS.bodies]: BROKEN_FORM } };
  const values = view.state?.values ?? {};
  const errors: Record<string, string> = {};

  const bodies = selectedOptions.safeParse(values[REMISS_BLOCKS.bodies]?.[REMISS_ACTIONS.bodies] ?? {});
  if (!bodies.success)
    errors[REMISS_BLOCKS.bodies] = "Valet av remissinstanser gick inte att läsa. Välj igen.";
  const due = pickedDate.safeParse(values[REMISS_BLOCKS.dueOn]?.[REMISS_ACTIONS.dueOn] ?? {});
  if (!due.success) errors[REMISS_BLOCKS.dueOn] = "Datumet gick inte att läsa. Välj igen.";
  const message = typedText.safeParse(values[REMISS_BLOCKS.message]?.[REMISS_ACTIONS.message] ?? {});
  if (!message.success) errors[REMISS_BLOCKS.message] = "Meddelandet gick inte att läsa.";
  if (!bodies.success || !due.success || !message.success) return { ok: false, errors };

  return {
    ok: true,
    metadata: metadata.data,
    remiss: {
      caseId: metadata.data.caseId,
      bodyIds: (bodies.data.selected_options ?? []).map((option) => Number(option.value)),
      dueOn: due.data.selected_date ?? null,
      message: message.data.value ?? null,
      confirmedDueOn: metadata.data.confirmedDueOn ?? null,
    },
  };
}

/** Field errors keyed by input block id, several on one field joined. */
export function fieldErrors(errors: readonly FieldError[]): Record<string, string> {
  const keyed: Record<string, string> = {};
  for (const error of errors) {
    const block = FIELD_BLOCKS[error.field];
    keyed[block] = keyed[block] ? `${keyed[block]} ${say(error)}` : say(error);
  }
  return keyed;
}

type ViewArgs = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

/**
 * The remiss form submitted: validation answers in the modal (`response_action: errors`, or the form
 * again with a warning when the due date is not a working day); a sent remiss closes it, then the
 * case card goes to each body's channel and the sender is told where it went.
 */
export function remissSubmitted({ services, poster }: SlackDeps & { poster: SlackPoster }) {
  return async ({ ack, body, view, client, logger }: ViewArgs) => {
    const submission = readRemissView(view);
    if (!submission.ok) return ack({ response_action: "errors", errors: submission.errors });
    const { metadata, remiss } = submission;
    const user = body.user.id;

    let result: Awaited<ReturnType<typeof services.sendOnRemiss>>;
    try {
      result = await services.sendOnRemiss({ by: { userId: user, name: body.user.name }, remiss });
    } catch (error) {
      logger.error("sending on remiss failed", error);
      return ack({
        response_action: "errors",
        errors: { [REMISS_BLOCKS.bodies]: registryProblemText(error) },
      });
    }
    if (!result.ok) {
      switch (result.type) {
        case "invalid":
          return ack({ response_action: "errors", errors: fieldErrors(result.errors) });
        case "refused":
        case "case_not_found":
          return ack({ response_action: "errors", errors: { [REMISS_BLOCKS.bodies]: say(result) } });
        case "confirm_due_date":
          return ack({
            response_action: "update",
            view: confirmDueDateModal(view, {
              metadata,
              warning: result.warning,
              values: { bodyIds: remiss.bodyIds, dueOn: result.dueOn, message: remiss.message },
            }),
          });
      }
    }
    await ack({ response_action: "clear" });

    const delivery: RemissDelivery = { posted: [], failed: [], withoutChannel: [] };
    const card = result.channelCard;
    if (card) {
      for (const { body: answering } of result.referrals) {
        if (!answering.slackChannelId) {
          delivery.withoutChannel.push(answering.name);
          continue;
        }
        const message = remissReceivedMessage(card, {
          bodyName: answering.name,
          dueOn: result.dueOn,
          dueDateWarning: result.dueDateWarning,
          sentBy: user,
          message: remiss.message?.trim() || null,
        });
        try {
          await poster.post({ channel: answering.slackChannelId, ...message });
          delivery.posted.push({ bodyName: answering.name, channelId: answering.slackChannelId });
        } catch (error) {
          const code = error instanceof SlackPostError ? error.code : "unknown";
          logger.warn(`remiss notice to ${answering.slackChannelId} (${answering.name}) failed: ${code}`);
          delivery.failed.push({ bodyName: answering.name, channelId: answering.slackChannelId, code });
        }
      }
    }
    const confirmation = remissSentMessage({
      caseLabel: result.caseLabel,
      bodyNames: result.referrals.map((referral) => referral.body.name),
      dueOn: result.dueOn,
      dueDateWarning: result.dueDateWarning,
      delivery,
    });
    await tellPrivately(
      { client, logger },
      { channel: metadata.channelId, user },
      confirmation,
      "remiss confirmation",
    );
  };
}
