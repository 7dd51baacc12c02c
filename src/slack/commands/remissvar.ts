import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from "@slack/bolt";
import { say } from "../../messages/sv.js";
import type { SlackMessage } from "../blocks/message.js";
import { registryProblemMessage } from "../blocks/replies.js";
import { responseFormReply, responseModal } from "../blocks/response-modal.js";
import type { SlackDeps } from "../deps.js";
import { statusReply } from "../status-reply.js";
import { argumentsAfter } from "./subcommand.js";

export type RemissvarArgs = Pick<
  SlackCommandMiddlewareArgs & AllMiddlewareArgs,
  "command" | "ack" | "respond" | "logger" | "client"
>;

/** The words after `/arende remissvar`, or null when the command is about something else. */
export const remissvarArguments = (text: string): string | null => argumentsAfter(["remissvar"], text);

/**
 * `/arende remissvar <identifier>`: acks at once, checks the sender's right and the case (a refusal,
 * an unknown case or a case with nothing open to answer is answered privately and opens nothing),
 * then opens the form with the command's trigger_id, which Slack honours for 3 seconds.
 */
export function remissvarCommand({ services }: SlackDeps) {
  return async ({ command, ack, respond, logger, client }: RemissvarArgs, query: string) => {
    await ack();
    const answer = (message: SlackMessage) =>
      respond({ response_type: "ephemeral", replace_original: false, ...message });
    try {
      const form = await services.prepareResponse({ slackUserId: command.user_id, query });
      if (form.type === "lookup") {
        const reply = statusReply(form.result, {
          place: "private",
          today: services.today(),
        });
        return void (await answer(reply.message));
      }
      if (form.type !== "ready") return void (await answer(responseFormReply(say(form))));
      await client.views.open({
        trigger_id: command.trigger_id,
        view: responseModal({
          caseLabel: form.label,
          title: form.title,
          referrals: form.referrals,
          today: form.today,
          metadata: { caseId: form.caseId, channelId: command.channel_id },
        }),
      });
    } catch (error) {
      logger.error("opening the response form failed", error);
      const expired = (error as { data?: { error?: string } }).data?.error === "expired_trigger_id";
      await answer(
        expired
          ? responseFormReply("Det tog för lång tid att öppna formuläret. Försök igen.")
          : registryProblemMessage(error),
      );
    }
  };
}
