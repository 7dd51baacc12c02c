import { searchResultsMessage } from "../blocks/search-results.js";
import type { RequestDeps } from "../deps.js";
import { answerInTime, type CommandArgs } from "./answer-in-time.js";
import { argumentsAfter } from "./subcommand.js";

/** The words after `/arende sök`, or null when the command is about something else. */
export const sokArguments = (text: string): string | null => argumentsAfter(["sök", "sok"], text);

/** `/arende sök <ord …> [typ:…] [organ:…] [år:…] [öppna|avslutade]`: the first ten hits, to the asker only. */
export function sokCommand({ services }: RequestDeps) {
  return (args: CommandArgs, text: string) =>
    answerInTime(
      args,
      services.search({ text }).then((result) => searchResultsMessage(text, result)),
      "search",
    );
}
