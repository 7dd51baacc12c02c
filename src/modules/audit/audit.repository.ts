import { sql } from "drizzle-orm";
import type { Executor } from "../../db/client.js";
import { type Actor, actorId } from "../shared/actor.js";

export type AuditEntry = {
  action: string;
  entityType: string;
  entityId: string | number;
  changes: Record<string, unknown>;
};

/**
 * Called inside the mutation's own transaction, so a change and its audit event land together.
 * The events travel as one json parameter: an import writes thousands at once, and building and
 * binding eight parameters per event cost more than the insert itself. The ordinal keeps the
 * events' ids in the order they were given. Each event's `changes` is read from the parameter as
 * json, whose text is the parameter's own: it is stored as jsonb and, verbatim, as the end of the
 * event's change feed entry (`feed_json`), whose beginning is written here.
 */
export async function recordAudit(
  tx: Executor,
  { actor, at, entries }: { actor: Actor; at: Date; entries: AuditEntry[] },
): Promise<void> {
  if (entries.length === 0) return;
  const actorName =
    actor.type === "slack_user" ? (actor.name ?? null) : actor.type === "api_token" ? actor.name : null;
  const occurredAt = at.toISOString();
  const id = actorId(actor);
  // As readFeed writes an event read in full: the same members, in the same form.
  const feedStart = `"at":${JSON.stringify(occurredAt)},"actor":${JSON.stringify({
    type: actor.type,
    id,
    name: actorName,
  })},"action":`;
  const events = JSON.stringify(
    entries.map((entry, ordinal) => {
      const entityId = String(entry.entityId);
      return {
        ordinal,
        action: entry.action,
        entity_type: entry.entityType,
        entity_id: entityId,
        feed: `${feedStart}${JSON.stringify(entry.action)},"entity":${JSON.stringify({
          type: entry.entityType,
          id: entityId,
        })},"changes":`,
        changes: entry.changes,
      };
    }),
  );
  await tx.execute(sql`
    insert into audit_events (occurred_at, actor_type, actor_id, actor_name, action, entity_type, entity_id, changes, feed_json)
    select ${occurredAt}::timestamptz, ${actor.type}::actor_type, ${id}::text, ${actorName}::text,
      x.action, x.entity_type, x.entity_id, x.changes::jsonb, x.feed || x.changes::text
    from json_to_recordset(${events}::json)
      as x(ordinal integer, action text, entity_type text, entity_id text, feed text, changes json)
    order by x.ordinal`);
}
