import type { BodyRef } from "../cases/case-details.js";
import type { RequestContext } from "../shared/context.js";
import { listMemberships } from "./access.repository.js";
import type { RoleError } from "./errors.js";
import { resolveRoleBody } from "./role-change.js";
import type { Role } from "./roles.js";

export type RoleEntry = {
  slackUserId: string;
  role: Role;
  body: BodyRef | null;
  /** Who granted it (a Slack user id or `cli:<user>`) and when; null for ARENDE_ADMINS. */
  grantedBy: string | null;
  grantedAt: Date | null;
  /** Listed in ARENDE_ADMINS; admin whether or not a row is stored. */
  byConfig: boolean;
};

export type RoleListFilterInput = { userId: string } | { body: string } | null;

export type ListRolesResult =
  | { ok: true; filter: { userId: string } | { body: BodyRef } | null; entries: RoleEntry[] }
  | { ok: false; error: RoleError };

/**
 * `/arende roll lista [@namn | organ]`: who has which role. Anyone may ask: knowing who the admins
 * and approvers are is how one asks for a right. Admins come first, then by body.
 */
export async function listRoles(
  { db, admins: bootstrapAdmins }: Pick<RequestContext, "db" | "admins">,
  { filter }: { filter: RoleListFilterInput },
): Promise<ListRolesResult> {
  if (filter && "body" in filter) {
    const resolved = await resolveRoleBody(db, "registrator", filter.body, "ge");
    if (!resolved.ok) return resolved;
    const body = resolved.body as BodyRef;
    const rows = await listMemberships(db, { bodyId: body.id });
    return { ok: true, filter: { body }, entries: rows.map((row) => entryOf(row, bootstrapAdmins)) };
  }
  const userId = filter?.userId;
  const rows = await listMemberships(db, userId === undefined ? {} : { slackUserId: userId });
  const configured = bootstrapAdmins.filter((id) => userId === undefined || id === userId);
  const storedAdmins = new Set(rows.filter((row) => row.role === "admin").map((row) => row.slackUserId));
  const admins: RoleEntry[] = [
    ...rows.filter((row) => row.role === "admin").map((row) => entryOf(row, bootstrapAdmins)),
    ...configured
      .filter((id) => !storedAdmins.has(id))
      .map((id) => ({
        slackUserId: id,
        role: "admin" as const,
        body: null,
        grantedBy: null,
        grantedAt: null,
        byConfig: true,
      })),
  ];
  const others = rows.filter((row) => row.role !== "admin").map((row) => entryOf(row, bootstrapAdmins));
  return { ok: true, filter: userId === undefined ? null : { userId }, entries: [...admins, ...others] };
}

function entryOf(
  row: Awaited<ReturnType<typeof listMemberships>>[number],
  bootstrapAdmins: readonly string[],
): RoleEntry {
  return {
    slackUserId: row.slackUserId,
    role: row.role,
    body: row.body,
    grantedBy: row.grantedBy,
    grantedAt: row.grantedAt,
    byConfig: row.role === "admin" && bootstrapAdmins.includes(row.slackUserId),
  };
}
