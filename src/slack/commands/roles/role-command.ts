import { parseRoleCommand } from "../../../modules/access/parse-role-command.js";
import { roleErrorMessage, roleHelpMessage } from "../../blocks/roles.js";
import type { RequestDeps } from "../../deps.js";
import type { CommandArgs } from "../answer-in-time.js";
import { argumentsAfter } from "../subcommand.js";
import { grantCommand } from "./grant.js";
import { listCommand } from "./list.js";
import { revokeCommand } from "./revoke.js";

/** The words after `/arende roll`, or null when the command is about something else. */
export const roleArguments = (text: string): string | null => argumentsAfter(["roll", "roller"], text);

/** `/arende roll …`: parses, then hands over to one small listener per subcommand. */
export function roleCommand(deps: RequestDeps) {
  return async (args: CommandArgs, words: string): Promise<void> => {
    const request = parseRoleCommand(words);
    switch (request.type) {
      case "help":
        return void (await args.ack({ response_type: "ephemeral", ...roleHelpMessage() }));
      case "invalid":
        return void (await args.ack({ response_type: "ephemeral", ...roleErrorMessage(request.error) }));
      case "grant":
        return grantCommand(deps, args, request);
      case "revoke":
        return revokeCommand(deps, args, request);
      case "list":
        return listCommand(deps, args, request.filter);
    }
  };
}
