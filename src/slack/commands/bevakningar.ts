import { say } from "../../messages/sv.js";
import { FOLLOW_ERRORS } from "../../modules/follows/errors.js";
import { followListMessage } from "../blocks/follows.js";
import { textMessage } from "../blocks/message.js";
import type { RequestDeps } from "../deps.js";
import { answerInTime, type CommandArgs } from "./answer-in-time.js";
import { argumentsAfter } from "./subcommand.js";

/** The words after `/arende bevakningar`, or null when the command is about something else. */
export const bevakningarArguments = (text: string): string | null => argumentsAfter(["bevakningar"], text);

/** `/arende bevakningar`: what the asker follows, and in a channel what the channel follows. */
export function bevakningarCommand({ services }: RequestDeps) {
  return (args: CommandArgs, words: string) => {
    if (words !== "") {
      const error = { code: FOLLOW_ERRORS.unexpectedWords, params: { words: words.slice(0, 60) } } as const;
      return args.ack({ response_type: "ephemeral", ...textMessage(say(error)) });
    }
    const channelId = args.command.channel_id;
    const inChannel = /^[CG]/.test(channelId);
    return answerInTime(
      args,
      services
        .listFollows({ channelId: inChannel ? channelId : null })
        .then((lists) => followListMessage({ ...lists, inChannel })),
      "follow list",
    );
  };
}
