import { and, desc, eq, lt, sql } from "drizzle-orm";
import type { Executor } from "../../db/client.js";
import { syncRuns } from "../../db/schema.js";

/**
 * Claims on syncs, one per export version. As with Slack posts (posting/posts.repository.ts), a new
 * version is claimed by INSERT … ON CONFLICT DO NOTHING, a dead holder's claim is taken over by a
 * conditional UPDATE on an expired lease, and every later write is conditional on still holding it.
 */

export type SyncRunRow = typeof syncRuns.$inferSelect;

export type SyncClaim =
  | { claimed: true; row: SyncRunRow }
  /** Done already, or held by a live claim elsewhere. */
  | { claimed: false; row: SyncRunRow };

export async function claimSync(
  db: Executor,
  request: { version: string; sourceName: string; claimedBy: string; at: Date; leaseUntil: Date },
): Promise<SyncClaim> {
  const [inserted] = await db
    .insert(syncRuns)
    .values({
      version: request.version,
      sourceName: request.sourceName,
      claimedBy: request.claimedBy,
      leaseUntil: request.leaseUntil,
      startedAt: request.at,
    })
    .onConflictDoNothing({ target: syncRuns.version })
    .returning();
  if (inserted) return { claimed: true, row: inserted };
  const [retaken] = await db
    .update(syncRuns)
    .set({
      claimedBy: request.claimedBy,
      leaseUntil: request.leaseUntil,
      attempts: sql`${syncRuns.attempts} + 1`,
    })
    .where(
      and(
        eq(syncRuns.version, request.version),
        eq(syncRuns.state, "running"),
        lt(syncRuns.leaseUntil, request.at),
      ),
    )
    .returning();
  if (retaken) return { claimed: true, row: retaken };
  const [current] = await db.select().from(syncRuns).where(eq(syncRuns.version, request.version));
  if (!current) throw new Error(`sync run ${request.version} vanished while being claimed`);
  return { claimed: false, row: current };
}

/** False when the claim was lost (taken over after the lease ran out): the holder must stop. */
export async function extendSyncLease(
  db: Executor,
  { id, claimedBy, leaseUntil }: { id: number; claimedBy: string; leaseUntil: Date },
): Promise<boolean> {
  const rows = await db
    .update(syncRuns)
    .set({ leaseUntil })
    .where(and(eq(syncRuns.id, id), eq(syncRuns.claimedBy, claimedBy), eq(syncRuns.state, "running")))
    .returning({ id: syncRuns.id });
  return rows.length > 0;
}

export async function finishSync(
  db: Executor,
  { id, claimedBy, at, report }: { id: number; claimedBy: string; at: Date; report: unknown },
): Promise<boolean> {
  const rows = await db
    .update(syncRuns)
    .set({ state: "done", finishedAt: at, report })
    .where(and(eq(syncRuns.id, id), eq(syncRuns.claimedBy, claimedBy), eq(syncRuns.state, "running")))
    .returning({ id: syncRuns.id });
  return rows.length > 0;
}

export async function latestSyncs(db: Executor, limit: number): Promise<SyncRunRow[]> {
  return db.select().from(syncRuns).orderBy(desc(syncRuns.startedAt), desc(syncRuns.id)).limit(limit);
}
