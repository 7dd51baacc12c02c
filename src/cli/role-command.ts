import { say } from "../messages/sv.js";
import { grantRole } from "../modules/access/grant-role.js";
import { listRoles, type RoleListFilterInput } from "../modules/access/list-roles.js";
import { parseRoleWord, parseSlackUserId } from "../modules/access/parse-role-command.js";
import { revokeRole } from "../modules/access/revoke-role.js";
import { roleChangeSentence } from "../modules/access/role-change.js";
import { ROLE_NAMES } from "../modules/access/roles.js";
import type { CliActor, RequestContext } from "../modules/shared/context.js";

export type RoleCommandOptions = {
  /** The operator at the terminal, trusted; ARENDE_ADMINS count for the last-admin check. */
  ctx: RequestContext<CliActor>;
  verb: "ge" | "ta" | "lista";
  /** ge/ta: user id, role, body words; lista: nothing, a user id or a body. */
  words: readonly string[];
  out: NodeJS.WritableStream;
  err: NodeJS.WritableStream;
};

const USAGE = "arendebot roll ge|ta <U…> <registrator|handläggare|godkännare|admin> [organ]";

/**
 * `arendebot roll ge|ta <slack-user-id> <roll> [organ]` and `arendebot roll lista [<slack-user-id> | organ]`.
 * Operators on the server are trusted: the CLI acts as `{ type: "cli", user }` without a role check.
 * Exit 0 done (or nothing to do), 2 bad input or refused.
 */
export async function runRoleCommand(options: RoleCommandOptions): Promise<number> {
  const { ctx, verb, words, out, err } = options;
  if (verb === "lista") {
    const result = await listRoles(ctx, { filter: listFilter(words) });
    if (!result.ok) return fail(err, say(result.error));
    if (result.entries.length === 0) out.write("Inga roller.\n");
    for (const entry of result.entries) {
      const granted = entry.grantedBy
        ? `${entry.grantedBy} ${entry.grantedAt?.toISOString() ?? ""}`.trim()
        : "ARENDE_ADMINS";
      const also = entry.byConfig && entry.grantedBy ? " (även ARENDE_ADMINS)" : "";
      out.write(
        `${entry.slackUserId}\t${ROLE_NAMES[entry.role].one}\t${entry.body?.name ?? "-"}\t${granted}${also}\n`,
      );
    }
    return 0;
  }

  const [userWord, roleWord, ...bodyWords] = words;
  const slackUserId = userWord === undefined ? null : parseSlackUserId(userWord);
  if (slackUserId === null) {
    return fail(
      err,
      `Ange personens Slack-id (U… eller W…, syns under profilens ⋮ > Kopiera medlems-id): ${USAGE}`,
    );
  }
  const role = roleWord === undefined ? null : parseRoleWord(roleWord);
  if (role === null) {
    return fail(err, `Ange rollen: registrator, handläggare, godkännare eller admin. ${USAGE}`);
  }
  const body = bodyWords.join(" ").trim() || null;
  const request = { slackUserId, role, body };
  const result = verb === "ge" ? await grantRole(ctx, request) : await revokeRole(ctx, request);
  if (!result.ok) return fail(err, plain(say(result.error)));
  out.write(`${roleChangeSentence(result, slackUserId)}\n`);
  return 0;
}

function listFilter(words: readonly string[]): RoleListFilterInput {
  const text = words.join(" ").trim();
  if (text === "") return null;
  const userId = parseSlackUserId(text);
  return userId ? { userId } : { body: text };
}

/** Slack formatting means nothing in a terminal. */
function plain(message: string): string {
  return message.replace(/`/g, "");
}

function fail(err: NodeJS.WritableStream, message: string): number {
  err.write(`${plain(message)}\n`);
  return 2;
}
