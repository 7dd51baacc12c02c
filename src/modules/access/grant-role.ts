import { recordAudit } from "../audit/audit.repository.js";
import type { RequestContext } from "../shared/context.js";
import { insertMembershipIfAbsent } from "./access.repository.js";
import {
  actorName,
  auditChanges,
  type RoleActor,
  type RoleChange,
  type RoleChangeResult,
  type RoleGrant,
  refuseUnlessManager,
  resolveRoleBody,
} from "./role-change.js";

/**
 * `/arende roll ge @namn roll [organ]` and `arendebot roll ge`: only admins (the CLI is trusted).
 * Granting a role the user already has writes nothing; a new role and its audit event land together.
 */
export async function grantRole(
  ctx: RequestContext<RoleActor>,
  { slackUserId, role, body }: RoleChange,
): Promise<RoleChangeResult> {
  const { db, clock, actor: by } = ctx;
  const refused = await refuseUnlessManager(ctx);
  if (refused) return refused;
  const resolved = await resolveRoleBody(db, role, body, "ge");
  if (!resolved.ok) return resolved;
  const grant: RoleGrant = { slackUserId, role, body: resolved.body };
  const at = clock.now();

  return db.transaction(async (tx) => {
    const inserted = await insertMembershipIfAbsent(tx, {
      slackUserId,
      bodyId: resolved.body?.id ?? null,
      role,
      grantedBy: actorName(by),
      grantedAt: at,
    });
    if (!inserted) return { ok: true, outcome: "already_granted", grant, stillAdminByConfig: false };
    await recordAudit(tx, {
      actor: by,
      at,
      entries: [
        {
          action: "role.granted",
          entityType: "membership",
          entityId: inserted.id,
          changes: auditChanges(grant),
        },
      ],
    });
    return { ok: true, outcome: "granted", grant, stillAdminByConfig: false };
  });
}
