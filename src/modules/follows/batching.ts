/**
 * When a follower is told, and of what: pure rules, so the job and its tests agree on them.
 *
 * "The case moves" is read from the audit trail, which every mutation writes in its own transaction,
 * whether it came from Slack, an import or sync, the terminal or the API: a remiss sent, a remissvar
 * recorded, approved or rejected, a change of status or decision. Other audited changes (a reworded
 * summary, a recomputed deadline, a notice posted) are no news to a follower and are passed over.
 */

/** Actions that are always news to a follower. */
const ALWAYS_NEWS = new Set([
  "referral.sent",
  "referral.imported",
  "referral.answered",
  "referral.declined",
  "referral.withdrawn",
  "referral_response.submitted",
  "referral_response.imported",
  "referral_response.approved",
  "referral_response.rejected",
  "timeline_entry.imported",
  "timeline_entry.updated",
]);

/** Updates that are news only when they change one of these fields (as the writers name them). */
const NEWS_WHEN_CHANGED: Readonly<Record<string, readonly string[]>> = {
  "case.updated": ["status", "outcome", "closed_on", "decision_due_on"],
  "referral.updated": ["state", "answered_on", "due_on"],
  "referral_response.updated": ["approval_state"],
};

export function isNews(event: { action: string; changes: Record<string, unknown> }): boolean {
  if (ALWAYS_NEWS.has(event.action)) return true;
  const fields = NEWS_WHEN_CHANGED[event.action];
  return fields?.some((field) => Object.hasOwn(event.changes, field)) ?? false;
}

/** At most one message per case and follower in this long. */
export const NOTIFY_INTERVAL_MS = 60 * 60_000;

export type BatchPlan<E, D> =
  /** Nothing new: the follow's position may move past what was passed over, without a message. */
  | { type: "nothing"; passedOver: E[] }
  /** One message now, with all of these. */
  | { type: "send"; events: E[]; deadlines: D[] }
  /** News, but the follower was told less than an hour ago: it all waits until `until`. */
  | { type: "wait"; until: Date; events: E[]; deadlines: D[] };

/**
 * Which of a follow's pending changes go out now, and which wait. `events` are the audit events after
 * the follow's position, oldest first; `passedDeadlines` the deadlines that passed since it was last
 * told. The first message goes at once; after that, at most one an hour, everything since in it.
 */
export function planBatch<E extends { action: string; changes: Record<string, unknown> }, D>({
  events,
  passedDeadlines,
  lastToldAt,
  now,
}: {
  events: readonly E[];
  passedDeadlines: readonly D[];
  lastToldAt: Date | null;
  now: Date;
}): BatchPlan<E, D> {
  const news = events.filter(isNews);
  if (news.length === 0 && passedDeadlines.length === 0) return { type: "nothing", passedOver: [...events] };
  const nextAllowed = lastToldAt ? new Date(lastToldAt.getTime() + NOTIFY_INTERVAL_MS) : null;
  if (nextAllowed && nextAllowed.getTime() > now.getTime()) {
    return { type: "wait", until: nextAllowed, events: news, deadlines: [...passedDeadlines] };
  }
  return { type: "send", events: news, deadlines: [...passedDeadlines] };
}
