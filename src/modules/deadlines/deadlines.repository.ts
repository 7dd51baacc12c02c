import { and, eq, inArray, isNull } from "drizzle-orm";
import type { Executor } from "../../db/client.js";
import { deadlines } from "../../db/schema.js";

export type DeadlineRow = typeof deadlines.$inferSelect;
export type NewDeadline = typeof deadlines.$inferInsert;

/** The statutory or policy deadlines computed for whole cases (not those of referrals). */
export async function findCaseRuleDeadlines(
  tx: Executor,
  caseIds: readonly number[],
): Promise<DeadlineRow[]> {
  if (caseIds.length === 0) return [];
  return tx
    .select()
    .from(deadlines)
    .where(and(inArray(deadlines.caseId, [...caseIds]), isNull(deadlines.referralId)));
}

export async function insertDeadlineRows(tx: Executor, rows: NewDeadline[]): Promise<number[]> {
  if (rows.length === 0) return [];
  const inserted = await tx.insert(deadlines).values(rows).returning({ id: deadlines.id });
  return inserted.map((row) => row.id);
}

export async function updateDeadlineRow(
  tx: Executor,
  id: number,
  patch: Pick<NewDeadline, "dueOn" | "basis" | "state" | "metOn">,
): Promise<void> {
  await tx.update(deadlines).set(patch).where(eq(deadlines.id, id));
}
