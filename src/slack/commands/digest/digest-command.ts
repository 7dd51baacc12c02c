import { parseDigestCommand } from "../../../modules/digests/parse-digest-command.js";
import { digestErrorMessage, digestHelpMessage } from "../../blocks/digest-subscription.js";
import type { RequestDeps } from "../../deps.js";
import type { CommandArgs } from "../answer-in-time.js";
import { argumentsAfter } from "../subcommand.js";
import { previewCommand } from "./preview.js";
import { settingsCommand } from "./settings.js";
import { subscribeCommand } from "./subscribe.js";
import { unsubscribeCommand } from "./unsubscribe.js";

/** The words after `/arende digest`, or null when the command is about something else. */
export const digestArguments = (text: string): string | null => argumentsAfter(["digest"], text);

/** `/arende digest …`: parses, then hands over to one small listener per subcommand. */
export function digestCommand(deps: RequestDeps) {
  return async (args: CommandArgs, words: string): Promise<void> => {
    const request = parseDigestCommand(words);
    switch (request.type) {
      case "help":
        return void (await args.ack({ response_type: "ephemeral", ...digestHelpMessage() }));
      case "invalid":
        return void (await args.ack({ response_type: "ephemeral", ...digestErrorMessage(request.error) }));
      case "subscribe":
        return subscribeCommand(deps, args, request.settings);
      case "settings":
        return settingsCommand(deps, args);
      case "unsubscribe":
        return unsubscribeCommand(deps, args);
      case "preview":
        return previewCommand(deps, args);
    }
  };
}
