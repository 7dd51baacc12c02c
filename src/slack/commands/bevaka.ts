import { say } from "../../messages/sv.js";
import { parseFollowArguments } from "../../modules/follows/parse-follow-command.js";
import { followReply, unfollowReply } from "../blocks/follows.js";
import { textMessage } from "../blocks/message.js";
import type { RequestDeps } from "../deps.js";
import { answerInTime, type CommandArgs } from "./answer-in-time.js";
import { argumentsAfter } from "./subcommand.js";

/** The words after `/arende bevaka`, or null when the command is about something else. */
export const bevakaArguments = (text: string): string | null => argumentsAfter(["bevaka"], text);

/** The words after `/arende sluta bevaka`, or null. */
export function slutaBevakaArguments(text: string): string | null {
  const rest = argumentsAfter(["sluta"], text);
  return rest === null ? null : argumentsAfter(["bevaka"], rest);
}

/** `/arende bevaka <identifier> [kanal]`: the asker (by DM), or the channel, follows the case. */
export function bevakaCommand({ services }: RequestDeps) {
  return (args: CommandArgs, words: string) => {
    const parsed = parseFollowArguments(words, "bevaka");
    if (!parsed.ok) return args.ack({ response_type: "ephemeral", ...textMessage(say(parsed.error)) });
    return answerInTime(
      args,
      services
        .followCase({
          target: { query: parsed.query },
          follower: parsed.channel
            ? { kind: "channel", channelId: args.command.channel_id }
            : { kind: "user" },
        })
        .then(followReply),
      "follow",
    );
  };
}

/** `/arende sluta bevaka <identifier> [kanal]`. */
export function slutaBevakaCommand({ services }: RequestDeps) {
  return (args: CommandArgs, words: string) => {
    const parsed = parseFollowArguments(words, "sluta bevaka");
    if (!parsed.ok) return args.ack({ response_type: "ephemeral", ...textMessage(say(parsed.error)) });
    return answerInTime(
      args,
      services
        .unfollowCase({
          target: { query: parsed.query },
          follower: parsed.channel
            ? { kind: "channel", channelId: args.command.channel_id }
            : { kind: "user" },
        })
        .then(unfollowReply),
      "unfollow",
    );
  };
}
