import { recordAudit } from "../audit/audit.repository.js";
import type { RequestContext } from "../shared/context.js";
import { deleteMembership, lockStoredAdmins } from "./access.repository.js";
import { ROLE_ERRORS } from "./errors.js";
import {
  auditChanges,
  type RoleActor,
  type RoleChange,
  type RoleChangeResult,
  type RoleGrant,
  refuseUnlessManager,
  resolveRoleBody,
  roleError,
} from "./role-change.js";
import { isBootstrapAdmin } from "./roles.js";

/**
 * `/arende roll ta @namn roll [organ]` and `arendebot roll ta`: only admins (the CLI is trusted).
 * Revoking a role the user does not have writes nothing. The last admin keeps the admin role: someone
 * must stay able to grant roles (ARENDE_ADMINS counts, and cannot be revoked here).
 */
export async function revokeRole(
  ctx: RequestContext<RoleActor>,
  { slackUserId, role, body }: RoleChange,
): Promise<RoleChangeResult> {
  const { db, clock, actor: by } = ctx;
  const refused = await refuseUnlessManager(ctx);
  if (refused) return refused;
  const resolved = await resolveRoleBody(db, role, body, "ta");
  if (!resolved.ok) return resolved;
  const grant: RoleGrant = { slackUserId, role, body: resolved.body };
  const bootstrap = role === "admin" && isBootstrapAdmin(slackUserId, ctx.admins);
  const at = clock.now();

  return db.transaction(async (tx) => {
    if (role === "admin") {
      const stored = await lockStoredAdmins(tx);
      const remaining = new Set([...stored, ...ctx.admins]);
      remaining.delete(slackUserId);
      if (stored.includes(slackUserId) && !bootstrap && remaining.size === 0) {
        return roleError({ code: ROLE_ERRORS.lastAdmin });
      }
    }
    const deleted = await deleteMembership(tx, { slackUserId, bodyId: resolved.body?.id ?? null, role });
    if (!deleted) {
      if (bootstrap) {
        return roleError({ code: ROLE_ERRORS.bootstrapAdmin });
      }
      return { ok: true, outcome: "not_granted", grant, stillAdminByConfig: false };
    }
    await recordAudit(tx, {
      actor: by,
      at,
      entries: [
        {
          action: "role.revoked",
          entityType: "membership",
          entityId: deleted.id,
          changes: auditChanges(grant),
        },
      ],
    });
    return { ok: true, outcome: "revoked", grant, stillAdminByConfig: bootstrap };
  });
}
