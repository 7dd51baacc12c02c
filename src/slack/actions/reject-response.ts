import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from "@slack/bolt";
import { say } from "../../messages/sv.js";
import { alreadyDecidedNotice, rejectReasonModal } from "../blocks/approval-decision.js";
import { approvalButtonValue } from "../blocks/approval-ids.js";
import { textMessage } from "../blocks/message.js";
import { registryProblemText } from "../blocks/replies.js";
import type { SlackDeps } from "../deps.js";
import { safeJson } from "../payload.js";
import { privateReply } from "../private-reply.js";
import { clickedMessage } from "./approve-response.js";

type ActionArgs = SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs;

/**
 * Avslå on an approval request: after a quick, read-only check of the user's right (a refused user
 * gets a private refusal and no form), the reason form opens with the trigger_id, which is valid for
 * 3 seconds. The rejection itself happens when the form is submitted.
 */
export function rejectResponseAction({ servicesFor }: SlackDeps) {
  return async ({ ack, body, action, respond, client, logger }: ActionArgs) => {
    const services = servicesFor({ userId: body.user.id, name: body.user.name });
    await ack();
    const reply = privateReply({ body, respond, client });
    const value = approvalButtonValue.safeParse(safeJson(action.value));
    if (!value.success)
      return void (await reply(
        textMessage("Knappen gick inte att läsa. Öppna remissvaret i diariet i stället."),
      ));

    let form: Awaited<ReturnType<typeof services.prepareRejection>>;
    try {
      form = await services.prepareRejection(value.data.responseId);
    } catch (error) {
      logger.error("checking a rejection failed", error);
      return void (await reply(textMessage(registryProblemText(error))));
    }
    if (!form.ok) {
      switch (form.type) {
        case "refused":
        case "not_found":
          return void (await reply(textMessage(say(form))));
        case "already_decided":
          await reply(alreadyDecidedNotice(form.decision, services.now()));
          await services.showDecision({
            subject: form.subject,
            decision: form.decision,
            clicked: clickedMessage(body),
          });
          return;
      }
    }
    try {
      await client.views.open({ trigger_id: body.trigger_id, view: rejectReasonModal(form.view) });
    } catch (error) {
      logger.warn("the rejection form could not be opened", error);
      await reply(textMessage("Formuläret gick inte att öppna. Klicka på Avslå igen."));
    }
  };
}
