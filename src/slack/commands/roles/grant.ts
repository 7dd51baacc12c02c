import type { RoleCommand } from "../../../modules/access/parse-role-command.js";
import { roleChangeMessage } from "../../blocks/roles.js";
import type { SlackDeps } from "../../deps.js";
import { answerInTime, type CommandArgs } from "../answer-in-time.js";

/** `/arende roll ge @namn roll [organ]`: the asker gets the outcome privately; only admins may. */
export async function grantCommand(
  { services }: SlackDeps,
  args: CommandArgs,
  request: Extract<RoleCommand, { type: "grant" }>,
): Promise<void> {
  const { command } = args;
  await answerInTime(
    args,
    services
      .grantRole({
        by: { userId: command.user_id, name: command.user_name },
        slackUserId: request.userId,
        role: request.role,
        body: request.body,
      })
      .then(roleChangeMessage),
    "role grant",
  );
}
