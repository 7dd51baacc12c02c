import type { RoleListFilter } from "../../../modules/access/parse-role-command.js";
import { roleListMessage } from "../../blocks/roles.js";
import type { RequestDeps } from "../../deps.js";
import { answerInTime, type CommandArgs } from "../answer-in-time.js";

/** `/arende roll lista [@namn | organ]`: who has which role, to the asker only. Anyone may ask. */
export async function listCommand(
  { services }: RequestDeps,
  args: CommandArgs,
  filter: RoleListFilter,
): Promise<void> {
  await answerInTime(args, services.listRoles(filter).then(roleListMessage), "role list");
}
