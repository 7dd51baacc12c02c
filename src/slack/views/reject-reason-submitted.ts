import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from "@slack/bolt";
import { z } from "zod";
import { say } from "../../messages/sv.js";
import { RESPONSE_ERRORS } from "../../modules/responses/errors.js";
import { showDecision, tellSubmitter } from "../actions/approve-response.js";
import {
  alreadyDecidedError,
  REJECT_REASON_BLOCK,
  REJECT_REASON_INPUT,
} from "../blocks/approval-decision.js";
import { approvalButtonValue } from "../blocks/approval-ids.js";
import { registryProblemText } from "../blocks/replies.js";
import type { SlackDeps } from "../deps.js";
import { safeJson } from "../payload.js";
import type { SlackPoster } from "../web-poster.js";

type ViewArgs = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

const typedText = z.object({ value: z.string().nullish() }).partial();

const errors = (message: string) =>
  ({ response_action: "errors", errors: { [REJECT_REASON_BLOCK]: message } }) as const;

/**
 * Avslå's form submitted: the reason is required (an error on the field otherwise); a rejection closes
 * the form, updates every copy of the request and tells the submitter why. A request someone else
 * decided first keeps the form open with who it was.
 */
export function rejectReasonSubmitted({ services, poster }: SlackDeps & { poster: SlackPoster }) {
  return async ({ ack, body, view, client, logger }: ViewArgs) => {
    const metadata = approvalButtonValue.safeParse(safeJson(view.private_metadata));
    const typed = typedText.safeParse(view.state?.values?.[REJECT_REASON_BLOCK]?.[REJECT_REASON_INPUT] ?? {});
    if (!metadata.success || !typed.success)
      return ack(errors("Formuläret gick inte att läsa. Stäng det och klicka på Avslå igen."));
    const reason = typed.data.value ?? "";
    if (reason.trim() === "") return ack(errors(say({ code: RESPONSE_ERRORS.reasonRequired })));

    let result: Awaited<ReturnType<typeof services.rejectResponse>>;
    try {
      result = await services.rejectResponse({
        by: { userId: body.user.id, name: body.user.name },
        responseId: metadata.data.responseId,
        reason,
      });
    } catch (error) {
      logger.error("rejecting a response failed", error);
      return ack(errors(registryProblemText(error)));
    }
    if (!result.ok) {
      switch (result.type) {
        case "invalid":
        case "refused":
        case "not_found":
          return ack(errors(say(result)));
        case "already_decided":
          await ack(errors(alreadyDecidedError(result.decision, services.now())));
          await showDecision({ client, logger }, result.subject, result.decision);
          return;
      }
    }
    await ack();
    await showDecision({ client, logger }, result.subject, result.decision);
    await tellSubmitter({ poster, logger }, result.subject, result.decision);
  };
}
