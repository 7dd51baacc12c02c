import type { RoleCommand } from "../../../modules/access/parse-role-command.js";
import { roleChangeMessage } from "../../blocks/roles.js";
import type { SlackDeps } from "../../deps.js";
import { answerInTime, type CommandArgs } from "../answer-in-time.js";

/** `/arende roll ta @namn roll [organ]`: the asker gets the outcome privately; only admins may. */
export async function revokeCommand(
  { services }: SlackDeps,
  args: CommandArgs,
  request: Extract<RoleCommand, { type: "revoke" }>,
): Promise<void> {
  const { command } = args;
  await answerInTime(
    args,
    services
      .revokeRole({
        by: { userId: command.user_id, name: command.user_name },
        slackUserId: request.userId,
        role: request.role,
        body: request.body,
      })
      .then(roleChangeMessage),
    "role revocation",
  );
}
