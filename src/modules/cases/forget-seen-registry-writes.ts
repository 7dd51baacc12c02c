import type { RequestContext } from "../shared/context.js";
import { forgetRegistryWritesSeenBy } from "./cases.repository.js";

/**
 * Prunes `registry_writes`: run it at intervals well over the case cache's `maxEpochMs`, passing the
 * snapshot the previous run answered. Writes that had ended by then are seen by every cache's snapshot
 * (none is older than `maxEpochMs`), so none needs their rows. The first run only takes a snapshot.
 */
export function forgetSeenRegistryWrites(
  { db }: Pick<RequestContext, "db">,
  { seenBy }: { seenBy: string | null },
): Promise<{ snapshot: string; forgotten: number }> {
  return forgetRegistryWritesSeenBy(db, seenBy);
}
