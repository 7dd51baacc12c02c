import { today } from "../clock.js";
import { caseLabel } from "../modules/cases/present-case.js";
import { postOnce } from "../modules/posting/post-once.js";
import { listReminderCandidates, type ReminderCandidate } from "../modules/reminders/reminders.repository.js";
import type { Actor } from "../modules/shared/actor.js";
import { addDays, daysBetween } from "../modules/shared/calendar.js";
import { log as processLog } from "../observability/logger.js";
import { reminderMessage } from "../slack/blocks/reminder.js";
import { inParallel, type PostingJobDeps, type RunReport } from "./digest-job.js";

export const REMINDER_JOB = "reminders";

/**
 * The threshold a remiss due in `daysLeft` days is reminded for: the smallest configured number of
 * days that is at least `daysLeft`, or null when it is not yet within any (or already past due).
 * With [7, 1]: 7…2 days left → 7, 1 or 0 days left → 1. A reminder missed while the bot was down is
 * therefore sent late while its threshold is the current one, and a bot down for a week sends only
 * the nearest reminder, not both at once.
 */
export function reminderThreshold(daysLeft: number, reminderDays: readonly number[]): number | null {
  if (daysLeft < 0) return null;
  const within = reminderDays.filter((days) => days >= daysLeft);
  return within.length > 0 ? Math.min(...within) : null;
}

export function reminderKey(referralId: number, threshold: number): string {
  return `reminder:${referralId}:${threshold}`;
}

/**
 * Runs every minute and once at start-up: each open remiss due within the largest threshold, whose
 * answering body has a channel, gets one reminder per threshold in that channel, through postOnce.
 */
export async function runDueReminders({
  db,
  clock,
  poster,
  instanceId,
  reminderDays,
  log,
}: PostingJobDeps & { reminderDays: readonly number[] }): Promise<RunReport> {
  const report: RunReport = {};
  if (reminderDays.length === 0) return report;
  const day = today(clock);
  const candidates = await listReminderCandidates(db, {
    from: day,
    to: addDays(day, Math.max(...reminderDays)),
  });
  const actor: Actor = { type: "system", job: REMINDER_JOB };

  // Several remisser may go to one channel: in order within it, channels side by side.
  const byChannel = new Map<string, ReminderCandidate[]>();
  for (const candidate of candidates) {
    byChannel.set(candidate.channelId, [...(byChannel.get(candidate.channelId) ?? []), candidate]);
  }
  await inParallel([...byChannel.values()], 4, async (channelCandidates) => {
    for (const candidate of channelCandidates) {
      const daysLeft = daysBetween(day, candidate.dueOn);
      const threshold = reminderThreshold(daysLeft, reminderDays);
      if (threshold === null) continue;
      try {
        const outcome = await postOnce({
          db,
          clock,
          poster,
          instanceId,
          actor,
          key: reminderKey(candidate.referralId, threshold),
          kind: "reminder",
          subjectId: candidate.referralId,
          period: String(threshold),
          channelId: candidate.channelId,
          late: false,
          build: async () => ({
            messages: [
              reminderMessage({
                label: caseLabel({
                  id: candidate.caseId,
                  dnr: candidate.dnr,
                  identifiers: candidate.identifier ? [candidate.identifier] : [],
                }),
                publicTitle: candidate.publicTitle,
                dueOn: candidate.dueOn,
                daysLeft,
              }),
            ],
            itemCount: 1,
          }),
          ...(log ? { log } : {}),
        });
        report[outcome] = (report[outcome] ?? 0) + 1;
      } catch (error) {
        const key = reminderKey(candidate.referralId, threshold);
        if (log) log(`Reminder ${key} failed: ${error}`);
        else processLog().error({ err: error, key }, "reminder failed");
        report.failed = (report.failed ?? 0) + 1;
      }
    }
  });
  return report;
}
