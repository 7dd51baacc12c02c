import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from "@slack/bolt";
import { say } from "../../messages/sv.js";
import { type SlackMessage, textMessage } from "../blocks/message.js";
import { nothingToChooseMessage, remissModal, selectableBodies } from "../blocks/remiss-modal.js";
import { registryProblemMessage } from "../blocks/replies.js";
import type { SlackDeps } from "../deps.js";
import { statusReply } from "../status-reply.js";
import { argumentsAfter } from "./subcommand.js";

export type RemitteraArgs = Pick<
  SlackCommandMiddlewareArgs & AllMiddlewareArgs,
  "command" | "ack" | "respond" | "logger" | "client"
>;

/** The words after `/arende remittera`, or null when the command is about something else. */
export const remitteraArguments = (text: string): string | null => argumentsAfter(["remittera"], text);

/**
 * `/arende remittera <identifier>`: acks at once, checks the sender's right and the case (a refusal
 * or an unknown case is answered privately and opens nothing), then opens the form with the
 * command's trigger_id, which Slack honours for 3 seconds.
 */
export function remitteraCommand({ services }: SlackDeps) {
  return async ({ command, ack, respond, logger, client }: RemitteraArgs, query: string) => {
    await ack();
    const answer = (message: SlackMessage) =>
      respond({ response_type: "ephemeral", replace_original: false, ...message });
    try {
      const form = await services.prepareRemiss({ slackUserId: command.user_id, query });
      if (form.type === "refused") return void (await answer(textMessage(say(form))));
      if (form.type === "lookup") {
        const reply = statusReply(form.result, {
          place: "private",
          today: services.today(),
        });
        return void (await answer(reply.message));
      }
      if (selectableBodies(form.bodies).length === 0) {
        return void (await answer(nothingToChooseMessage(form.label, form.bodies.length > 0)));
      }
      await client.views.open({
        trigger_id: command.trigger_id,
        view: remissModal({
          caseLabel: form.label,
          title: form.title,
          bodies: form.bodies,
          metadata: { caseId: form.caseId, channelId: command.channel_id },
        }),
      });
    } catch (error) {
      logger.error("opening the remiss form failed", error);
      const expired = (error as { data?: { error?: string } }).data?.error === "expired_trigger_id";
      await answer(
        expired
          ? textMessage("Det tog för lång tid att öppna formuläret. Försök igen.")
          : registryProblemMessage(error),
      );
    }
  };
}
