import { forgetSeenRegistryWrites } from "../modules/cases/forget-seen-registry-writes.js";
import type { JobContext } from "./digest-job.js";

export const REGISTRY_WRITES_JOB = "registry-writes.forget-seen";
/** Hourly: far longer than any snapshot compared against registry_writes is trusted (SNAPSHOT_TRUSTED_MS). */
export const REGISTRY_WRITES_CRON = "41 * * * *";

/** The job's run, remembering between runs the snapshot the next run may prune up to. */
export function forgetSeenRegistryWritesJob(context: () => JobContext): () => Promise<number> {
  let seenBy: string | null = null;
  return async () => {
    const { snapshot, forgotten } = await forgetSeenRegistryWrites(context(), { seenBy });
    seenBy = snapshot;
    return forgotten;
  };
}
