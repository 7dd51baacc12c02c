import type { Clock } from "../clock.js";
import type { Database } from "../db/client.js";
import { grantRole } from "../modules/access/grant-role.js";
import { listRoles, type RoleListFilterInput } from "../modules/access/list-roles.js";
import { parseRoleWord, parseSlackUserId } from "../modules/access/parse-role-command.js";
import { revokeRole } from "../modules/access/revoke-role.js";
import { type RoleActor, roleChangeSentence } from "../modules/access/role-change.js";
import { ROLE_NAMES } from "../modules/access/roles.js";
import { cliUser } from "./cli-user.js";

export type RoleCommandOptions = {
  db: Database;
  clock: Clock;
  /** ARENDE_ADMINS: admins without a stored role; they count for the last-admin check. */
  admins: readonly string[];
  verb: "ge" | "ta" | "lista";
  /** ge/ta: user id, role, body words; lista: nothing, a user id or a body. */
  words: readonly string[];
  out: NodeJS.WritableStream;
  err: NodeJS.WritableStream;
  /** Who is at the terminal, for the audit event; the login name when left out. */
  user?: string;
};

const USAGE = "arendebot roll ge|ta <U…> <registrator|handläggare|godkännare|admin> [organ]";

/**
 * `arendebot roll ge|ta <slack-user-id> <roll> [organ]` and `arendebot roll lista [<slack-user-id> | organ]`.
 * Operators on the server are trusted: the CLI acts as `{ type: "cli", user }` without a role check.
 * Exit 0 done (or nothing to do), 2 bad input or refused.
 */
export async function runRoleCommand(options: RoleCommandOptions): Promise<number> {
  const { db, clock, admins, verb, words, out, err } = options;
  if (verb === "lista") {
    const result = await listRoles({ db, bootstrapAdmins: admins, filter: listFilter(words) });
    if (!result.ok) return fail(err, result.error.message);
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
  const by: RoleActor = { type: "cli", user: options.user ?? cliUser() };
  const body = bodyWords.join(" ").trim() || null;
  const request = { db, clock, bootstrapAdmins: admins, by, slackUserId, role, body };
  const result = verb === "ge" ? await grantRole(request) : await revokeRole(request);
  if (!result.ok) return fail(err, plain(result.error.message));
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
