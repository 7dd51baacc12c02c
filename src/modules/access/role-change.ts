import type { Executor } from "../../db/client.js";
import { findBodies } from "../bodies/find-bodies.js";
import type { BodyRef } from "../cases/case-details.js";
import type { Actor } from "../shared/actor.js";
import type { RequestContext } from "../shared/context.js";
import { ROLE_ERRORS, type RoleError } from "./errors.js";
import { may } from "./permissions.js";
import { BODY_ROLES, ROLE_NAMES, type Role } from "./roles.js";

/** Shared by grant-role.ts and revoke-role.ts: who acts, the errors, and the checks both make. */

/** A Slack user is checked against their roles; the CLI is run by operators on the server and trusted. */
export type RoleActor = Extract<Actor, { type: "slack_user" } | { type: "cli" }>;

/** Whose role changes: `body` as typed, resolved by the use case; required for every role but admin. */
export type RoleChange = { slackUserId: string; role: Role; body: string | null };

export type RoleGrant = { slackUserId: string; role: Role; body: BodyRef | null };

export function roleError(error: RoleError): { ok: false; error: RoleError } {
  return { ok: false, error };
}

export async function refuseUnlessManager(
  ctx: RequestContext<RoleActor>,
): Promise<{ ok: false; error: RoleError } | null> {
  if (ctx.actor.type === "cli") return null;
  return may(await ctx.roles(), "manage_roles") ? null : roleError({ code: ROLE_ERRORS.notAllowed });
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
    return roleError({ code: ROLE_ERRORS.bodyForbidden, params: { verb } });
  }
  if (body === null) return roleError({ code: ROLE_ERRORS.bodyRequired, params: { verb, role: name } });
  const lookup = await findBodies({ db, terms: [body] });
  if (lookup.ok) return { ok: true, body: lookup.bodies[0] ?? null };
  if (lookup.problem === "ambiguous") {
    return roleError({
      code: ROLE_ERRORS.ambiguousBody,
      params: { term: lookup.term, candidates: lookup.candidates, verb, role: name },
    });
  }
  return roleError({
    code: ROLE_ERRORS.unknownBody,
    params: { term: lookup.term, candidates: lookup.candidates.map((candidate) => candidate.name) },
  });
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
