import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from "@slack/bolt";
import { helpMessage, unknownCommandMessage } from "../blocks/replies.js";
import type { SlackDeps } from "../deps.js";
import { parseBotRequest } from "../request.js";
import { statusReply } from "../status-reply.js";
import { answerInTime } from "./answer-in-time.js";
import { digestArguments, digestCommand } from "./digest/digest-command.js";

export function arendeCommand({ services }: SlackDeps) {
  const digest = digestCommand({ services });
  return async ({ command, ack, respond, logger }: SlackCommandMiddlewareArgs & AllMiddlewareArgs) => {
    const digestWords = digestArguments(command.text);
    if (digestWords !== null) return digest({ command, ack, respond, logger }, digestWords);
    const request = parseBotRequest(command.text);
    if (request.type === "help") return ack({ response_type: "ephemeral", ...helpMessage() });
    if (request.type === "unknown")
      return ack({ response_type: "ephemeral", ...unknownCommandMessage(request.word) });

    await answerInTime(
      { command, ack, respond, logger },
      services
        .caseStatus(request.query)
        .then(
          (result) =>
            statusReply(result, { viewer: command.user_id, place: "private", today: services.today() })
              .message,
        ),
      "status lookup",
    );
  };
}
