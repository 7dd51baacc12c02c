import type { Executor } from "../../db/client.js";
import type { memberRole } from "../../db/schema.js";
import { membershipsOf } from "./access.repository.js";

/** registrator (registry clerk), handlaggare (case officer), godkannare (approver), admin. */
export type Role = (typeof memberRole.enumValues)[number];

export const ROLES: readonly Role[] = ["registrator", "handlaggare", "godkannare", "admin"];

/** Roles that belong to a body; admin is workspace-wide and has none. */
export const BODY_ROLES: readonly Role[] = ["registrator", "handlaggare", "godkannare"];

/** How a role is written in Swedish prose (singular, plural). */
export const ROLE_NAMES: Record<Role, { one: string; many: string }> = {
  registrator: { one: "registrator", many: "registratorer" },
  handlaggare: { one: "handläggare", many: "handläggare" },
  godkannare: { one: "godkännare", many: "godkännare" },
  admin: { one: "administratör", many: "administratörer" },
};

export type UserRoles = {
  slackUserId: string;
  /** Stored admin role, or listed in ARENDE_ADMINS (bootstrap). */
  isAdmin: boolean;
  byBody: ReadonlyMap<number, ReadonlySet<Role>>;
};

/** Whether a Slack user id is an admin through ARENDE_ADMINS, with or without a stored row. */
export function isBootstrapAdmin(slackUserId: string, admins: readonly string[]): boolean {
  return slackUserId !== "" && admins.includes(slackUserId);
}

/** What a Slack user may act as. ARENDE_ADMINS ids are admins even without a stored row. */
export async function rolesOf(
  { db, admins }: { db: Executor; admins: readonly string[] },
  slackUserId: string,
): Promise<UserRoles> {
  const byBody = new Map<number, Set<Role>>();
  let isAdmin = isBootstrapAdmin(slackUserId, admins);
  if (slackUserId === "") return { slackUserId, isAdmin: false, byBody };
  for (const { bodyId, role } of await membershipsOf(db, slackUserId)) {
    if (role === "admin") {
      isAdmin = true;
    } else if (bodyId !== null) {
      const roles = byBody.get(bodyId) ?? new Set<Role>();
      roles.add(role);
      byBody.set(bodyId, roles);
    }
  }
  return { slackUserId, isAdmin, byBody };
}
