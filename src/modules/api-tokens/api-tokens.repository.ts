import { and, asc, eq, isNull } from "drizzle-orm";
import type { Executor } from "../../db/client.js";
import { apiTokens } from "../../db/schema.js";

export type ApiTokenRow = typeof apiTokens.$inferSelect;
export type ApiTokenRight = ApiTokenRow["right"];

export async function insertToken(
  tx: Executor,
  row: { name: string; right: ApiTokenRight; tokenHash: string; createdAt: Date; createdBy: string },
): Promise<ApiTokenRow | null> {
  // The partial unique index on live names decides a race between two terminals making one name.
  const [inserted] = await tx.insert(apiTokens).values(row).onConflictDoNothing().returning();
  return inserted ?? null;
}

export function listTokens(db: Executor): Promise<ApiTokenRow[]> {
  return db.select().from(apiTokens).orderBy(asc(apiTokens.name), asc(apiTokens.id));
}

/** Revokes the live token of that name; null when none is live. */
export async function revokeLiveToken(
  tx: Executor,
  { name, at, by }: { name: string; at: Date; by: string },
): Promise<ApiTokenRow | null> {
  const [revoked] = await tx
    .update(apiTokens)
    .set({ revokedAt: at, revokedBy: by })
    .where(and(eq(apiTokens.name, name), isNull(apiTokens.revokedAt)))
    .returning();
  return revoked ?? null;
}

export async function findLiveTokenByHash(
  db: Executor,
  tokenHash: string,
): Promise<Pick<ApiTokenRow, "id" | "name" | "right"> | null> {
  const [row] = await db
    .select({ id: apiTokens.id, name: apiTokens.name, right: apiTokens.right })
    .from(apiTokens)
    .where(and(eq(apiTokens.tokenHash, tokenHash), isNull(apiTokens.revokedAt)))
    .limit(1);
  return row ?? null;
}
