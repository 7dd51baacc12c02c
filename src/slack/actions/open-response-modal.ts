import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from "@slack/bolt";
import { say } from "../../messages/sv.js";
import { registryProblemMessage, registryUnavailableMessage } from "../blocks/replies.js";
import { openResponseButtonValue, responseFormReply, responseModal } from "../blocks/response-modal.js";
import type { SlackDeps } from "../deps.js";
import { safeJson } from "../payload.js";
import { privateReply } from "../private-reply.js";

/**
 * "Registrera remissvar" under the case card in an answering body's channel: the button names the
 * case only; the clicker's right is checked again, and only their own open referrals are offered.
 * A refusal is answered privately and opens nothing.
 */
export function openResponseModal({ servicesFor }: SlackDeps) {
  return async ({
    ack,
    body,
    action,
    respond,
    client,
    logger,
  }: SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs) => {
    const services = servicesFor({ userId: body.user.id, name: body.user.name });
    await ack();
    const answer = privateReply({ body, respond, client });
    const value = openResponseButtonValue.safeParse(safeJson(action.value));
    if (!value.success) {
      return void (await answer(
        responseFormReply("Knappen är trasig; registrera svaret med /arende remissvar <diarienummer>."),
      ));
    }
    try {
      const form = await services.prepareResponse({ caseId: value.data.caseId });
      if (form.type === "lookup") return void (await answer(registryUnavailableMessage()));
      if (form.type !== "ready") return void (await answer(responseFormReply(say(form))));
      const channel = body.channel?.id ?? body.container?.channel_id;
      await client.views.open({
        trigger_id: body.trigger_id,
        view: responseModal({
          caseLabel: form.label,
          title: form.title,
          referrals: form.referrals,
          today: form.today,
          metadata: { caseId: form.caseId, ...(channel ? { channelId: channel } : {}) },
        }),
      });
    } catch (error) {
      logger.error("opening the response form from the button failed", error);
      const expired = (error as { data?: { error?: string } }).data?.error === "expired_trigger_id";
      await answer(
        expired
          ? responseFormReply("Det tog för lång tid att öppna formuläret. Försök igen.")
          : registryProblemMessage(error),
      );
    }
  };
}
