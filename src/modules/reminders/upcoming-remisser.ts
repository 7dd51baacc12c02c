import { today } from "../../clock.js";
import { addDays } from "../shared/calendar.js";
import type { RequestContext } from "../shared/context.js";
import { listReminderCandidates, type ReminderCandidate } from "./reminders.repository.js";

export type { ReminderCandidate };

/**
 * Open remisser due from today (by the context's clock) up to `withinDays` days ahead, whose answering
 * body has a channel to be reminded in; earliest first.
 */
export function listUpcomingRemisser(
  ctx: Pick<RequestContext, "db" | "clock">,
  { withinDays }: { withinDays: number },
): Promise<ReminderCandidate[]> {
  const day = today(ctx.clock);
  return listReminderCandidates(ctx.db, { from: day, to: addDays(day, withinDays) });
}
