import type { Clock } from "../../clock.js";
import type { Database } from "../../db/client.js";
import { rolesOf, type UserRoles } from "../access/roles.js";
import type { Actor } from "./actor.js";

export type SlackActor = Extract<Actor, { type: "slack_user" }>;
export type CliActor = Extract<Actor, { type: "cli" }>;

/**
 * What one Slack request, job run or CLI command acts with. Use cases take it and their own input,
 * so who acts, what they may do and where it is written are decided once, by whoever received the call.
 */
export type RequestContext<A extends Actor = Actor> = {
  db: Database;
  clock: Clock;
  actor: A;
  /**
   * The actor's roles, ARENDE_ADMINS folded in. Loaded on first ask and kept: most lookups never need
   * them, and those that do ask more than once. Only a Slack user holds roles; others get none.
   */
  roles(): Promise<UserRoles>;
  /** ARENDE_ADMINS, for what is decided about other users: who else is admin, who reads a notice. */
  admins: readonly string[];
};

export function createContext<A extends Actor>({
  db,
  clock,
  actor,
  admins = [],
}: {
  db: Database;
  clock: Clock;
  actor: A;
  admins?: readonly string[];
}): RequestContext<A> {
  let roles: Promise<UserRoles> | undefined;
  const slackUserId = actor.type === "slack_user" ? actor.userId : "";
  return {
    db,
    clock,
    actor,
    admins,
    roles: () => {
      roles ??= rolesOf({ db, slackUserId, bootstrapAdmins: admins });
      return roles;
    },
  };
}

/** A Slack user as the audit trail names them. */
export function slackActor(by: { userId: string; name?: string }): SlackActor {
  return { type: "slack_user", userId: by.userId, ...(by.name ? { name: by.name } : {}) };
}
