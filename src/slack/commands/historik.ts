import type { RequestDeps } from "../deps.js";
import { historyReply } from "../history-reply.js";
import { answerInTime, type CommandArgs } from "./answer-in-time.js";
import { argumentsAfter } from "./subcommand.js";

/** The words after `/arende historik`, or null when the command is about something else. */
export const historikArguments = (text: string): string | null => argumentsAfter(["historik"], text);

/** `/arende historik <identifier>`: the newest page of the case's history, to the asker only. */
export function historikCommand({ services }: RequestDeps) {
  return (args: CommandArgs, query: string) =>
    answerInTime(args, services.caseHistory({ query }).then(historyReply), "history lookup");
}
