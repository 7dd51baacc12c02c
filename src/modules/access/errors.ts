import type { Coded } from "../../messages/sv.js";

/**
 * Stable error codes of granting, revoking and listing roles: the use cases' (`roles.*`) and the
 * parser's complaints about what was typed (`roles.command.*`). Worded by the catalogue
 * (src/messages/sv.ts) at the edges.
 */
export const ROLE_ERRORS = {
  notAllowed: "roles.not_allowed",
  bodyRequired: "roles.body_required",
  bodyForbidden: "roles.body_forbidden",
  unknownBody: "roles.unknown_body",
  ambiguousBody: "roles.ambiguous_body",
  lastAdmin: "roles.last_admin",
  bootstrapAdmin: "roles.bootstrap_admin",
  unknownSubcommand: "roles.command.unknown_subcommand",
  missingUser: "roles.command.missing_user",
  unresolvedUser: "roles.command.unresolved_user",
  severalUsers: "roles.command.several_users",
  missingRole: "roles.command.missing_role",
  unknownRole: "roles.command.unknown_role",
  unexpectedWords: "roles.command.unexpected_words",
} as const;

export type RoleErrorCode = (typeof ROLE_ERRORS)[keyof typeof ROLE_ERRORS];

export type RoleError = Coded<RoleErrorCode>;
