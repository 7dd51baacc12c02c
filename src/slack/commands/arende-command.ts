import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from "@slack/bolt";
import type { SlackMessage } from "../blocks/message.js";
import { helpMessage, registryUnavailableMessage, unknownCommandMessage } from "../blocks/replies.js";
import type { SlackDeps } from "../deps.js";
import { parseBotRequest } from "../request.js";
import { statusReply } from "../status-reply.js";

/** Slack wants an answer within 3 s; a lookup that is not done by then is answered through response_url. */
const ANSWER_IN_ACK_WITHIN_MS = 2_000;

export function arendeCommand({ services }: SlackDeps) {
  return async ({ command, ack, respond, logger }: SlackCommandMiddlewareArgs & AllMiddlewareArgs) => {
    const request = parseBotRequest(command.text);
    if (request.type === "help") return ack({ response_type: "ephemeral", ...helpMessage() });
    if (request.type === "unknown")
      return ack({ response_type: "ephemeral", ...unknownCommandMessage(request.word) });

    const answer: Promise<SlackMessage> = services
      .caseStatus(request.query)
      .then(
        (result) =>
          statusReply(result, { viewer: command.user_id, place: "private", today: services.today() }).message,
      )
      .catch((error: unknown) => {
        logger.error("status lookup failed", error);
        return registryUnavailableMessage();
      });
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<null>((resolve) => {
      timer = setTimeout(() => resolve(null), ANSWER_IN_ACK_WITHIN_MS);
    });
    const quick = await Promise.race([answer, late]);
    clearTimeout(timer);
    if (quick) return ack({ response_type: "ephemeral", ...quick });
    await ack({ response_type: "ephemeral", text: "Jag söker i diariet…" });
    await respond({ response_type: "ephemeral", replace_original: true, ...(await answer) });
  };
}
