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
 * The events travel as one jsonb parameter: an import writes thousands at once, and building and
 * binding eight parameters per event cost more than the insert itself. The ordinal keeps the
 * events' ids in the order they were given.
 */
export async function recordAudit(
  tx: Executor,
  { actor, at, entries }: { actor: Actor; at: Date; entries: AuditEntry[] },
): Promise<void> {
  if (entries.length === 0) return;
  const actorName =
    actor.type === "slack_user" ? (actor.name ?? null) : actor.type === "api_token" ? actor.name : null;
  const events = JSON.stringify(
    entries.map((entry, ordinal) => ({
      ordinal,
      action: entry.action,
      entity_type: entry.entityType,
      entity_id: String(entry.entityId),
      changes: entry.changes,
    })),
  );
  await tx.execute(sql`
    insert into audit_events (occurred_at, actor_type, actor_id, actor_name, action, entity_type, entity_id, changes)
    select ${at.toISOString()}::timestamptz, ${actor.type}::actor_type, ${actorId(actor)}::text, ${actorName}::text,
      x.action, x.entity_type, x.entity_id, x.changes
    from jsonb_to_recordset(${events}::jsonb)
      as x(ordinal integer, action text, entity_type text, entity_id text, changes jsonb)
    order by x.ordinal`);
}
