import type { Executor } from "../../db/client.js";
import { findBodies } from "../bodies/find-bodies.js";
import type { BodyRef } from "../cases/case-details.js";
import type { Actor } from "../shared/actor.js";
import type { RequestContext } from "../shared/context.js";
import { may, refusal } from "./permissions.js";
import { BODY_ROLES, ROLE_NAMES, type Role } from "./roles.js";

/** Shared by grant-role.ts and revoke-role.ts: who acts, the errors, and the checks both make. */

/** A Slack user is checked against their roles; the CLI is run by operators on the server and trusted. */
export type RoleActor = Extract<Actor, { type: "slack_user" } | { type: "cli" }>;

export type RoleErrorCode =
  | "roles.not_allowed"
  | "roles.body_required"
  | "roles.body_forbidden"
  | "roles.unknown_body"
  | "roles.ambiguous_body"
  | "roles.last_admin"
  | "roles.bootstrap_admin";

export type RoleError = { code: RoleErrorCode; message: string };

/** Whose role changes: `body` as typed, resolved by the use case; required for every role but admin. */
export type RoleChange = { slackUserId: string; role: Role; body: string | null };

export type RoleGrant = { slackUserId: string; role: Role; body: BodyRef | null };

export function roleError(code: RoleErrorCode, message: string): { ok: false; error: RoleError } {
  return { ok: false, error: { code, message } };
}

export async function refuseUnlessManager(
  ctx: RequestContext<RoleActor>,
): Promise<{ ok: false; error: RoleError } | null> {
  if (ctx.actor.type === "cli") return null;
  return may(await ctx.roles(), "manage_roles")
    ? null
    : roleError("roles.not_allowed", refusal("manage_roles"));
}

/** The role's body, found by code or name as typed; required for body roles, forbidden for admin. */
export async function resolveRoleBody(
  db: Executor,
  role: Role,
  body: string | null,
  verb: "ge" | "ta",
): Promise<{ ok: true; body: BodyRef | null } | { ok: false; error: RoleError }> {
  const name = ROLE_NAMES[role].one;
  if (!BODY_ROLES.includes(role)) {
    if (body === null) return { ok: true, body: null };
    return roleError(
      "roles.body_forbidden",
      `Administratör gäller hela arendebot, inte ett organ. Skriv utan organ: \`/arende roll ${verb} @namn admin\`.`,
    );
  }
  if (body === null) {
    return roleError(
      "roles.body_required",
      `Rollen ${name} gäller ett organ. Skriv vilket efter rollen, till exempel \`/arende roll ${verb} @namn ${name} socialnämnden\`.`,
    );
  }
  const lookup = await findBodies({ db, terms: [body] });
  if (lookup.ok) return { ok: true, body: lookup.bodies[0] ?? null };
  const names = lookup.candidates.map((candidate) => `\`${candidate.name}\``);
  if (lookup.problem === "ambiguous") {
    return roleError(
      "roles.ambiguous_body",
      `«${lookup.term}» passar flera organ: ${names.join(", ")}. Skriv organets kod eller hela namnet, till exempel \`/arende roll ${verb} @namn ${name} ${lookup.candidates[0]?.code ?? "socialnämnden"}\`.`,
    );
  }
  const suggestions =
    names.length > 0
      ? ` Menade du ${names.length === 1 ? "" : "något av "}${names.join(", ")}?`
      : " Skriv organets kod eller hela namnet som det står i diariet, till exempel `Bromma stadsdelsnämnd`.";
  return roleError("roles.unknown_body", `Jag hittar inget organ som heter «${lookup.term}».${suggestions}`);
}

/** "godkännare för Socialnämnden", "administratör". */
export function describeRole(role: Role, body: BodyRef | null): string {
  return body ? `${ROLE_NAMES[role].one} för ${body.name}` : ROLE_NAMES[role].one;
}

export function auditChanges(grant: RoleGrant): Record<string, unknown> {
  return {
    slack_user_id: grant.slackUserId,
    body: grant.body ? { id: grant.body.id, code: grant.body.code, name: grant.body.name } : null,
    role: grant.role,
  };
}

export function actorName(by: RoleActor): string {
  return by.type === "cli" ? `cli:${by.user}` : by.userId;
}

export type RoleChangeResult =
  | {
      ok: true;
      /** `already_granted` and `not_granted` wrote nothing: the user had the role, or did not. */
      outcome: "granted" | "already_granted" | "revoked" | "not_granted";
      grant: RoleGrant;
      /** After revoking a stored admin role from someone in ARENDE_ADMINS: they remain admin through it. */
      stillAdminByConfig: boolean;
    }
  | { ok: false; error: RoleError };

/** The answer to a grant or revoke, naming the user as `who` (a Slack mention or an id). */
export function roleChangeSentence(result: Extract<RoleChangeResult, { ok: true }>, who: string): string {
  const role = describeRole(result.grant.role, result.grant.body);
  switch (result.outcome) {
    case "granted":
      return `Klart: ${who} är nu ${role}.`;
    case "already_granted":
      return `${who} är redan ${role}, så inget ändrades.`;
    case "revoked":
      return result.stillAdminByConfig
        ? `Klart: den sparade rollen ${role} för ${who} är borttagen, men ${who} är fortfarande administratör genom ARENDE_ADMINS (det ändrar driftansvarig).`
        : `Klart: ${who} är inte längre ${role}.`;
    case "not_granted":
      return `${who} är inte ${role}, så det fanns inget att ta bort.`;
  }
}
