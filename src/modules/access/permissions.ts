import type { Role, UserRoles } from "./roles.js";

/**
 * Who may do what: the one place that decides. Use cases take the user's roles from their context and
 * ask `may`; a refusal is answered with the use case's `*.not_allowed` code, which the catalogue
 * (src/messages/sv.ts) words as who may and how to get the right.
 */
export type Action =
  | "configure_digests"
  | "send_on_remiss"
  | "record_response"
  | "approve_response"
  | "manage_roles"
  | "follow_in_channel";

function hasRoleAnywhere(roles: UserRoles, role: Role): boolean {
  for (const held of roles.byBody.values()) if (held.has(role)) return true;
  return false;
}

function hasRoleIn(roles: UserRoles, bodyId: number | undefined, wanted: readonly Role[]): boolean {
  if (bodyId === undefined) return false;
  const held = roles.byBody.get(bodyId);
  return held !== undefined && wanted.some((role) => held.has(role));
}

/**
 * configure_digests: an admin or a registrator of any body. send_on_remiss: an admin, or a
 * registrator of the case's responsible body (`bodyId`): sending a case out shows it to other bodies,
 * which only the body that holds it may decide. follow_in_channel (a channel told of a case's changes):
 * an admin or a registrator of any body, as for digests. record_response: a handläggare or registrator of that
 * body. approve_response: a godkännare of that body. manage_roles: an admin. Without a body, a
 * body-bound action is refused to everyone but an admin sending on remiss.
 */
export function may(roles: UserRoles, action: Action, bodyId?: number): boolean {
  switch (action) {
    case "configure_digests":
    case "follow_in_channel":
      return roles.isAdmin || hasRoleAnywhere(roles, "registrator");
    case "send_on_remiss":
      return roles.isAdmin || hasRoleIn(roles, bodyId, ["registrator"]);
    case "record_response":
      return hasRoleIn(roles, bodyId, ["handlaggare", "registrator"]);
    case "approve_response":
      return hasRoleIn(roles, bodyId, ["godkannare"]);
    case "manage_roles":
      return roles.isAdmin;
  }
}

/**
 * Whether the user may do `action` for at least one body: asked before a case is looked up, so
 * someone with no such role anywhere learns nothing about the case they named.
 */
export function mayForSomeBody(roles: UserRoles, action: Action): boolean {
  if (may(roles, action)) return true;
  for (const bodyId of roles.byBody.keys()) if (may(roles, action, bodyId)) return true;
  return false;
}
