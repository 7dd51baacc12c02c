import type { Clock } from "../../clock.js";
import type { Database, Executor } from "../../db/client.js";
import { rolesOf, type UserRoles } from "../access/roles.js";
import type { Actor } from "./actor.js";

export type SlackActor = Extract<Actor, { type: "slack_user" }>;
export type CliActor = Extract<Actor, { type: "cli" }>;
export type SystemActor = Extract<Actor, { type: "system" }>;
export type ImportActor = Extract<Actor, { type: "import" }>;
export type ApiTokenActor = Extract<Actor, { type: "api_token" }>;

/**
 * What one Slack request, job run or CLI command acts with. Use cases take it and their own input,
 * so who acts, what they may do and where it is written are decided once, by whoever received the call.
 */
export type RequestContext<A extends Actor = Actor> = {
  db: Database;
  clock: Clock;
  actor: A;
  /**
   * The actor's roles, ARENDE_ADMINS folded in. Loaded on first ask and kept for the whole request:
   * most lookups never need them, and those that do ask more than once. Only a Slack user holds
   * roles; others get none.
   */
  roles(): Promise<UserRoles>;
  /** ARENDE_ADMINS, for what is decided about other users: who else is admin, who reads a notice. */
  admins: readonly string[];
};

/**
 * A context whose queries run on `db`, typically the use case's open transaction (`{ ...ctx, db: tx }`).
 * Its `roles()` still reads through the request's own database, so the actor's roles must be loaded
 * before the transaction opens, as every permission check does.
 */
export type ReadingContext<A extends Actor = Actor> = Omit<RequestContext<A>, "db"> & { db: Executor };

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
      roles ??= rolesOf({ db, admins }, slackUserId);
      return roles;
    },
  };
}

/**
 * The roles of any Slack user as `ctx` sees them: the actor's own as already loaded for the request,
 * anyone else's (an approver, a submitter) read now.
 */
export function rolesOfUser(
  ctx: Pick<ReadingContext, "db" | "admins" | "actor" | "roles">,
  slackUserId: string,
): Promise<UserRoles> {
  return ctx.actor.type === "slack_user" && ctx.actor.userId === slackUserId
    ? ctx.roles()
    : rolesOf(ctx, slackUserId);
}

/** A Slack user as the audit trail names them. */
export function slackActor(by: { userId: string; name?: string | undefined }): SlackActor {
  return { type: "slack_user", userId: by.userId, ...(by.name ? { name: by.name } : {}) };
}

/** A scheduled job as the audit trail names it. */
export function systemActor(job: string): SystemActor {
  return { type: "system", job };
}
