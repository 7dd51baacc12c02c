import { and, eq } from "drizzle-orm";
import type { Database, Executor } from "../../db/client.js";
import { digestSubscriptions } from "../../db/schema.js";

export type SubscriptionRow = typeof digestSubscriptions.$inferSelect;
export type SubscriptionValues = Pick<
  SubscriptionRow,
  "weekday" | "time" | "caseKinds" | "bodyIds" | "postWhenEmpty" | "createdBySlackUserId"
>;

export async function findSubscriptionByChannel(
  db: Executor,
  channelId: string,
): Promise<SubscriptionRow | null> {
  const [row] = await db
    .select()
    .from(digestSubscriptions)
    .where(eq(digestSubscriptions.channelId, channelId));
  return row ?? null;
}

export async function findSubscriptionById(db: Executor, id: number): Promise<SubscriptionRow | null> {
  const [row] = await db.select().from(digestSubscriptions).where(eq(digestSubscriptions.id, id));
  return row ?? null;
}

export async function listActiveSubscriptions(db: Database): Promise<SubscriptionRow[]> {
  return db.select().from(digestSubscriptions).where(eq(digestSubscriptions.active, true));
}

/** One subscription per channel: subscribing again changes its settings and reactivates it. */
export async function upsertSubscription(
  tx: Executor,
  channelId: string,
  values: SubscriptionValues,
  at: Date,
): Promise<SubscriptionRow> {
  const [row] = await tx
    .insert(digestSubscriptions)
    .values({ channelId, ...values, active: true, createdAt: at, updatedAt: at })
    .onConflictDoUpdate({
      target: digestSubscriptions.channelId,
      set: { ...values, active: true, updatedAt: at },
    })
    .returning();
  if (!row) throw new Error("subscription upsert returned no row");
  return row;
}

/** Conditional, so two concurrent "avsluta" end it once and the loser learns it was already ended. */
export async function deactivateSubscription(
  tx: Executor,
  channelId: string,
  at: Date,
): Promise<SubscriptionRow | null> {
  const [row] = await tx
    .update(digestSubscriptions)
    .set({ active: false, updatedAt: at })
    .where(and(eq(digestSubscriptions.channelId, channelId), eq(digestSubscriptions.active, true)))
    .returning();
  return row ?? null;
}

/** The channel's subscription, locked until the transaction ends, so concurrent changes see each other. */
export async function lockSubscriptionByChannel(
  tx: Executor,
  channelId: string,
): Promise<SubscriptionRow | null> {
  const [row] = await tx
    .select()
    .from(digestSubscriptions)
    .where(eq(digestSubscriptions.channelId, channelId))
    .for("update");
  return row ?? null;
}

/** Null when the channel already has a row (perhaps inserted a moment ago by a concurrent request). */
export async function insertSubscriptionIfAbsent(
  tx: Executor,
  channelId: string,
  values: SubscriptionValues,
  at: Date,
): Promise<SubscriptionRow | null> {
  const [row] = await tx
    .insert(digestSubscriptions)
    .values({ channelId, ...values, active: true, createdAt: at, updatedAt: at })
    .onConflictDoNothing({ target: digestSubscriptions.channelId })
    .returning();
  return row ?? null;
}

export async function updateSubscription(
  tx: Executor,
  id: number,
  patch: Partial<SubscriptionValues> & { active?: boolean },
  at: Date,
): Promise<SubscriptionRow> {
  const [row] = await tx
    .update(digestSubscriptions)
    .set({ ...patch, updatedAt: at })
    .where(eq(digestSubscriptions.id, id))
    .returning();
  if (!row) throw new Error(`subscription ${id} vanished during an update`);
  return row;
}
