import { schedule } from "node-cron";
import { REGISTRY_TIME_ZONE } from "../clock.js";

export type Job = { name: string; cron: string; run(): Promise<unknown> };
export type Schedules = { stop(): Promise<void> };

/**
 * Runs jobs on cron expressions read in Stockholm time, as officials read their calendars, including
 * across daylight-saving changes. Stopping waits for a run already under way.
 */
export function startSchedules(jobs: Job[], onError: (job: Job, error: unknown) => void): Schedules {
  const running = new Set<Promise<unknown>>();
  const tasks = jobs.map((job) =>
    schedule(
      job.cron,
      () => {
        const run = job.run().catch((error: unknown) => onError(job, error));
        running.add(run);
        return run.finally(() => running.delete(run));
      },
      { name: job.name, timezone: REGISTRY_TIME_ZONE, noOverlap: true },
    ),
  );
  return {
    stop: async () => {
      await Promise.all(tasks.map((task) => task.destroy()));
      await Promise.allSettled([...running]);
    },
  };
}
