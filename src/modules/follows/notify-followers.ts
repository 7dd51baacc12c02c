import { today } from "../../clock.js";
import { log as processLog } from "../../observability/logger.js";
import { rolesOf } from "../access/roles.js";
import { type Audience, audienceFor, IN_CHANNEL, personReading } from "../cases/audience.js";
import type { CaseDetails } from "../cases/case-details.js";
import { loadCaseDetails } from "../cases/cases.repository.js";
import { loadHistoryContext } from "../history/history.repository.js";
import type { HistoryContext } from "../history/history-event.js";
import { MAX_POST_ATTEMPTS, POST_LEASE_MS, type PostOutcome, postOnce } from "../posting/post-once.js";
import type { Poster, SlackMessage } from "../posting/poster.js";
import { findPost, type PostRow } from "../posting/posts.repository.js";
import type { RequestContext, SystemActor } from "../shared/context.js";
import { planBatch } from "./batching.js";
import {
  type CaseEvent,
  caseEventsAfter,
  type FollowMark,
  type FollowRow,
  feedHorizon,
  listAllFollows,
  moveFollow,
  type PassedDeadline,
  passedDeadlines,
} from "./follows.repository.js";
import { type FollowNotice, presentFollowNotice } from "./present-follow-notice.js";

export type NotifyDeps = {
  poster: Poster;
  /** Who holds a claim: unique per running process. */
  instanceId: string;
  /** The notice as a Slack message; the builder lives with the other Block Kit builders. */
  render: (notice: FollowNotice) => SlackMessage;
  log?: (line: string) => void;
};

export type NotifyReport = Partial<Record<PostOutcome | "waiting" | "moved_on", number>>;

/** Events read per case and run; a longer backlog is told over the following runs. */
const EVENTS_PER_RUN = 500;

/**
 * One run of the follow notifications (every minute, on every replica). For each follow it reads the
 * audit events of its case after the follow's position, and the deadlines that passed since it was
 * last told, and asks planBatch whether to tell now or wait (one message an hour at most).
 *
 * Exactly once: every move of a follow's position goes through one claim in slack_posts, keyed by the
 * follow and the position it starts from (see post-once.ts). Whoever claims the key decides the batch:
 * the claim stores where the batch ends, the message is built from events up to there, and after it is
 * in Slack the follow moves from the start to that end on the condition that it still stands at the
 * start. Two replicas, or two runs in one process, reading the same follow compute the same key, so
 * one posts and the other finds the key claimed or posted. The first message about the case goes to
 * the channel or DM; its ts is kept, and every later one goes in its thread.
 */
export async function notifyFollowers(
  ctx: RequestContext<SystemActor>,
  deps: NotifyDeps,
): Promise<NotifyReport> {
  const report: NotifyReport = {};
  const count = (outcome: keyof NotifyReport) => {
    report[outcome] = (report[outcome] ?? 0) + 1;
  };
  const horizon = await feedHorizon(ctx.db);
  const follows = await listAllFollows(ctx.db);
  const day = today(ctx.clock);
  const byCase = new Map<number, FollowRow[]>();
  for (const follow of follows) byCase.set(follow.caseId, [...(byCase.get(follow.caseId) ?? []), follow]);

  for (const [caseId, caseFollows] of byCase) {
    try {
      const earliest = caseFollows.map(markOf).reduce((min, mark) => (before(mark, min) ? mark : min));
      const events = await caseEventsAfter(ctx.db, {
        caseId,
        after: { txid: earliest.txid, eventId: earliest.eventId },
        horizon,
        limit: EVENTS_PER_RUN,
      });
      const subject = lazySubject(ctx, caseId);
      for (const follow of caseFollows) {
        const outcome = await notifyOne(ctx, deps, {
          follow,
          events,
          day,
          subject,
          fullPage: events.length === EVENTS_PER_RUN,
        });
        if (outcome) count(outcome);
      }
    } catch (error) {
      // One case's trouble must not keep the other cases' followers from being told.
      if (deps.log) deps.log(`Follow notices for case ${caseId} failed: ${error}`);
      else processLog().error({ err: error, caseId }, "follow notices failed");
      count("failed");
    }
  }
  return report;
}

type Subject = () => Promise<{ details: CaseDetails; context: HistoryContext } | null>;

function lazySubject(ctx: RequestContext<SystemActor>, caseId: number): Subject {
  let loaded: Promise<{ details: CaseDetails; context: HistoryContext } | null> | undefined;
  return () => {
    loaded ??= (async () => {
      const [details] = await loadCaseDetails(ctx.db, [caseId]);
      if (!details) return null;
      return { details, context: await loadHistoryContext(ctx.db, caseId) };
    })();
    return loaded;
  };
}

async function notifyOne(
  ctx: RequestContext<SystemActor>,
  deps: NotifyDeps,
  {
    follow,
    events,
    day,
    subject,
    fullPage,
  }: { follow: FollowRow; events: CaseEvent[]; day: string; subject: Subject; fullPage: boolean },
): Promise<keyof NotifyReport | null> {
  const from = markOf(follow);
  const key = followKey(follow.id, from);
  const mine = events.filter((event) => before(from, { txid: event.txid, eventId: event.id }));
  const deadlines =
    from.deadlinesBefore < day
      ? await passedDeadlines(ctx.db, { caseId: follow.caseId, from: from.deadlinesBefore, before: day })
      : [];
  // Most follows have nothing pending most minutes; they cost no more than this.
  if (mine.length === 0 && deadlines.length === 0) return null;

  // A batch posted by a replica that then died before moving the follow: move it now.
  const earlier = await findPost(ctx.db, key);
  if (earlier?.state === "posted" || givenUp(earlier)) {
    if (earlier && settledLongAgo(earlier, ctx.clock.now())) await settle(ctx, follow, earlier, null);
    return null;
  }
  const plan = planBatch({
    events: mine,
    passedDeadlines: deadlines,
    lastToldAt: follow.lastToldAt,
    now: ctx.clock.now(),
  });
  if (plan.type === "wait") return "waiting";
  // Changes that are no news wait to be passed over with the next batch, unless they fill a whole
  // page: then the follow moves past them, so news behind them is read next time.
  if (plan.type === "nothing" && !fullPage) return null;

  const last = mine.at(-1);
  const to: FollowMark = {
    txid: last ? last.txid : from.txid,
    eventId: last ? last.id : from.eventId,
    deadlinesBefore: plan.type === "send" && deadlines.length > 0 ? day : from.deadlinesBefore,
  };
  if (!before(from, to)) return null;

  let postedIn: { channel: string; ts: string } | null = null;
  // Delegates by name: the poster may be a class, whose methods a spread would not copy.
  const threaded: Poster = {
    update: (message) => deps.poster.update(message),
    publishHome: (userId, view) => deps.poster.publishHome(userId, view),
    post: async (message) => {
      const posted = await deps.poster.post({
        ...message,
        ...(follow.threadTs ? { threadTs: follow.threadTs } : {}),
      });
      postedIn = { channel: posted.channel ?? message.channel, ts: posted.ts };
      return posted;
    },
  };

  const outcome = await postOnce(ctx, {
    poster: threaded,
    instanceId: deps.instanceId,
    key,
    kind: "follow_notice",
    subjectId: follow.id,
    period: formatMark(to),
    channelId: follow.threadChannelId ?? follow.followerId,
    late: false,
    build: async () => {
      if (plan.type !== "send") return { messages: [] };
      // A claim taken over from a replica that died keeps that replica's end: the batch is built to it.
      const claimed = await findPost(ctx.db, key);
      const end = claimed ? parseMark(claimed.period) : to;
      const found = await subject();
      if (!found) return { messages: [] };
      const batchEvents = plan.events.filter(
        (event) => !before(end, { txid: event.txid, eventId: event.id }),
      );
      const batchDeadlines = plan.deadlines.filter(
        (deadline: PassedDeadline) => deadline.dueOn < end.deadlinesBefore,
      );
      if (batchEvents.length === 0 && batchDeadlines.length === 0) return { messages: [] };
      const audience = await audienceOf(ctx, follow, found.details);
      const notice = presentFollowNotice({
        details: found.details,
        context: found.context,
        events: batchEvents,
        deadlines: batchDeadlines,
        audience,
        follower: follow.followerKind,
      });
      return { messages: [deps.render(notice)], itemCount: batchEvents.length + batchDeadlines.length };
    },
    ...(deps.log ? { log: deps.log } : {}),
  });

  if (outcome === "posted" || outcome === "nothing_to_post") {
    const row = await findPost(ctx.db, key);
    if (row) await settle(ctx, follow, row, postedIn);
    return outcome === "posted" ? "posted" : "moved_on";
  }
  if (outcome === "failed") {
    const row = await findPost(ctx.db, key);
    // Slack refused it for good (the bot was removed from the channel, the user is gone): the follow
    // moves on rather than stop for ever; the failure is in the audit trail.
    if (row && givenUp(row)) await settle(ctx, follow, row, null);
  }
  return outcome;
}

/** Moves the follow from where it stood to where the claimed batch ended. */
async function settle(
  ctx: RequestContext<SystemActor>,
  follow: FollowRow,
  row: PostRow,
  postedIn: { channel: string; ts: string } | null,
): Promise<void> {
  const told =
    row.state === "posted" && row.partsPosted > 0
      ? {
          at: row.postedAt ?? ctx.clock.now(),
          channelId: postedIn?.channel ?? row.channelId,
          ts: postedIn?.ts ?? row.messageTs,
        }
      : undefined;
  await moveFollow(ctx.db, {
    id: follow.id,
    from: markOf(follow),
    to: parseMark(row.period),
    ...(told ? { told } : {}),
  });
}

/** Slack refused this post as often as it is tried. */
function givenUp(row: PostRow | null): boolean {
  return row?.state === "failed" && row.attempts >= MAX_POST_ATTEMPTS;
}

/**
 * A batch settled by someone else is moved on by a later run only once its poster has had time to
 * move it itself: the poster knows the DM's channel id, which the thread needs.
 */
function settledLongAgo(row: PostRow, now: Date): boolean {
  const at = row.postedAt ?? row.leaseUntil;
  return now.getTime() - at.getTime() > POST_LEASE_MS;
}

async function audienceOf(
  ctx: RequestContext<SystemActor>,
  follow: FollowRow,
  details: CaseDetails,
): Promise<Audience> {
  if (follow.followerKind === "channel") return audienceFor(IN_CHANNEL, details);
  if (!details.restricted) return "full";
  return audienceFor(personReading(await rolesOf(ctx, follow.followerId)), details);
}

function markOf(follow: FollowRow): FollowMark {
  return { txid: follow.toldTxid, eventId: follow.toldEventId, deadlinesBefore: follow.deadlinesToldBefore };
}

/** Whether `a` comes before `b`: in the feed, or (at the same feed position) in passed deadlines. */
function before(
  a: FollowMark | { txid: number; eventId: number },
  b: FollowMark | { txid: number; eventId: number },
): boolean {
  if (a.txid !== b.txid) return a.txid < b.txid;
  if (a.eventId !== b.eventId) return a.eventId < b.eventId;
  if ("deadlinesBefore" in a && "deadlinesBefore" in b) return a.deadlinesBefore < b.deadlinesBefore;
  return false;
}

export function followKey(followId: number, from: FollowMark): string {
  return `follow:${followId}:${formatMark(from)}`;
}

function formatMark(mark: FollowMark): string {
  return `${mark.txid}.${mark.eventId}.${mark.deadlinesBefore}`;
}

function parseMark(text: string): FollowMark {
  const [txid = "0", eventId = "0", deadlinesBefore = ""] = text.split(".");
  return { txid: Number(txid), eventId: Number(eventId), deadlinesBefore };
}
