import type { RequestContext } from "../shared/context.js";
import { forgetRegistryWritesSeenBy } from "./cases.repository.js";

/**
 * How old a snapshot may be and still be compared against `registry_writes`: the case cache starts
 * over from a new one at this age, and an import confirms the known rows of an older fingerprint
 * lookup one by one.
 */
export const SNAPSHOT_TRUSTED_MS = 10 * 60_000;

/**
 * Prunes `registry_writes`: run it at intervals well over SNAPSHOT_TRUSTED_MS, passing the snapshot
 * the previous run answered. Writes that had ended by then are seen by every snapshot still trusted
 * (the case cache's, an import's lookup), so none needs their rows. The first run only takes a
 * snapshot.
 */
export function forgetSeenRegistryWrites(
  { db }: Pick<RequestContext, "db">,
  { seenBy }: { seenBy: string | null },
): Promise<{ snapshot: string; forgotten: number }> {
  return forgetRegistryWritesSeenBy(db, seenBy);
}
