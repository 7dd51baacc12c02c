import { and, asc, eq, isNull, type SQL } from "drizzle-orm";
import type { Executor } from "../../db/client.js";
import { bodies, memberships } from "../../db/schema.js";
import type { BodyRef } from "../cases/case-details.js";
import type { Role } from "./roles.js";

export type MembershipKey = { slackUserId: string; bodyId: number | null; role: Role };

export type MembershipRow = MembershipKey & { id: number; grantedBy: string; grantedAt: Date };

export type MembershipListing = MembershipRow & { body: BodyRef | null };

const row = {
  id: memberships.id,
  slackUserId: memberships.slackUserId,
  bodyId: memberships.bodyId,
  role: memberships.role,
  grantedBy: memberships.grantedBy,
  grantedAt: memberships.grantedAt,
};

function sameKey({ slackUserId, bodyId, role }: MembershipKey): SQL | undefined {
  return and(
    eq(memberships.slackUserId, slackUserId),
    bodyId === null ? isNull(memberships.bodyId) : eq(memberships.bodyId, bodyId),
    eq(memberships.role, role),
  );
}

/** One user's stored roles: a body id and a role per row; the admin role has no body. */
export async function membershipsOf(
  db: Executor,
  slackUserId: string,
): Promise<{ bodyId: number | null; role: Role }[]> {
  return db
    .select({ bodyId: memberships.bodyId, role: memberships.role })
    .from(memberships)
    .where(eq(memberships.slackUserId, slackUserId));
}

/** Null when the user already has the role (the unique key holds under concurrent grants too). */
export async function insertMembershipIfAbsent(
  tx: Executor,
  values: MembershipKey & { grantedBy: string; grantedAt: Date },
): Promise<MembershipRow | null> {
  const [inserted] = await tx.insert(memberships).values(values).onConflictDoNothing().returning(row);
  return inserted ?? null;
}

/** The deleted row, or null when the user did not have the role. */
export async function deleteMembership(tx: Executor, key: MembershipKey): Promise<MembershipRow | null> {
  const [deleted] = await tx.delete(memberships).where(sameKey(key)).returning(row);
  return deleted ?? null;
}

/**
 * The Slack user ids with a stored admin role, locked until the transaction ends, so two admins
 * revoking each other at once cannot both pass the "someone stays admin" check.
 */
export async function lockStoredAdmins(tx: Executor): Promise<string[]> {
  const rows = await tx
    .select({ slackUserId: memberships.slackUserId })
    .from(memberships)
    .where(and(eq(memberships.role, "admin"), isNull(memberships.bodyId)))
    .for("update");
  return rows.map((admin) => admin.slackUserId);
}

/** Stored roles with their bodies, optionally for one user or one body; admins first, then by body. */
export async function listMemberships(
  db: Executor,
  filter: { slackUserId?: string; bodyId?: number } = {},
): Promise<MembershipListing[]> {
  const conditions = [
    filter.slackUserId !== undefined ? eq(memberships.slackUserId, filter.slackUserId) : undefined,
    filter.bodyId !== undefined ? eq(memberships.bodyId, filter.bodyId) : undefined,
  ];
  const rows = await db
    .select({ ...row, body: { id: bodies.id, code: bodies.code, name: bodies.name } })
    .from(memberships)
    .leftJoin(bodies, eq(bodies.id, memberships.bodyId))
    .where(and(...conditions))
    .orderBy(asc(bodies.name), asc(memberships.role), asc(memberships.slackUserId));
  return rows.map((listed) => ({ ...listed, body: listed.body?.id != null ? listed.body : null }));
}
