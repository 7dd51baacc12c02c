import { lt } from "drizzle-orm";
import type { Database } from "../../db/client.js";
import { slackReceipts } from "../../db/schema.js";

/**
 * Claims the right to answer a delivery. True only if every key was new, so a retry (same event_id)
 * and a second delivery of one message (same channel and ts) both lose, on any replica.
 */
export async function claimReceipts(db: Database, keys: string[], at: Date): Promise<boolean> {
  const claimed = await db
    .insert(slackReceipts)
    .values(keys.map((key) => ({ key, receivedAt: at })))
    .onConflictDoNothing()
    .returning({ key: slackReceipts.key });
  return claimed.length === keys.length;
}

/** Slack stops retrying within the hour; older receipts only take space. */
export async function forgetReceiptsBefore(db: Database, before: Date): Promise<number> {
  const removed = await db.delete(slackReceipts).where(lt(slackReceipts.receivedAt, before)).returning();
  return removed.length;
}
