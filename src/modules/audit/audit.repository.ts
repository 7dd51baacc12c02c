import type { Executor } from "../../db/client.js";
import { auditEvents } from "../../db/schema.js";
import { type Actor, actorId } from "../shared/actor.js";

export type AuditEntry = {
  action: string;
  entityType: string;
  entityId: string | number;
  changes: Record<string, unknown>;
};

/** Called inside the mutation's own transaction, so a change and its audit event land together. */
export async function recordAudit(
  tx: Executor,
  { actor, at, entries }: { actor: Actor; at: Date; entries: AuditEntry[] },
): Promise<void> {
  if (entries.length === 0) return;
  await tx.insert(auditEvents).values(
    entries.map((entry) => ({
      occurredAt: at,
      actorType: actor.type,
      actorId: actorId(actor),
      actorName:
        actor.type === "slack_user" ? (actor.name ?? null) : actor.type === "api_token" ? actor.name : null,
      action: entry.action,
      entityType: entry.entityType,
      entityId: String(entry.entityId),
      changes: entry.changes,
    })),
  );
}
