import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Clock } from "../../src/clock.js";
import { auditEvents, caseFollows, cases, memberships, referrals, slackPosts } from "../../src/db/schema.js";
import { runFollowNotifications } from "../../src/jobs/follow-job.js";
import { recordAudit } from "../../src/modules/audit/audit.repository.js";
import { followCase } from "../../src/modules/follows/follow-case.js";
import { feedHorizon } from "../../src/modules/follows/follows.repository.js";
import { listFollowedCases, listFollows } from "../../src/modules/follows/list-follows.js";
import { unfollowCase } from "../../src/modules/follows/unfollow-case.js";
import type { OutgoingMessage, Poster } from "../../src/modules/posting/poster.js";
import { approveResponse } from "../../src/modules/responses/approve-response.js";
import { recordResponse } from "../../src/modules/responses/record-response.js";
import { createContext, slackActor, systemActor } from "../../src/modules/shared/context.js";
import { Seeder } from "../support/seed-rows.js";
import { createTestDatabase, type TestDatabase } from "../support/test-database.js";
import { worded } from "../support/worded.js";

const ADMIN = "U0ADMIN01";
const REGISTRATOR = "U0REGIST1";
const OFFICER = "U0HANDL01";
const APPROVER = "U0GODK001";
const OUTSIDER = "U0OUTSIDE";
const CHANNEL = "C0FOLLOW1";

/** A clock the tests move on: Monday 3 April 2017, 10:00 in Stockholm, to begin with. */
let now = new Date("2017-04-03T08:00:00Z");
const clock: Clock = { now: () => new Date(now) };
const later = (minutes: number) => {
  now = new Date(now.getTime() + minutes * 60_000);
};

let database: TestDatabase;
let seed: Seeder;
let socialnamnden: number;

beforeAll(async () => {
  database = await createTestDatabase();
  seed = new Seeder(database.db);
  socialnamnden = await seed.body("Socialnämnden", "board", "C0SOCIAL");
  await seed.roles([
    { user: REGISTRATOR, role: "registrator", body: socialnamnden, grantedBy: ADMIN },
    { user: OFFICER, role: "handlaggare", body: socialnamnden, grantedBy: ADMIN },
    { user: APPROVER, role: "godkannare", body: socialnamnden, grantedBy: ADMIN },
  ]);
});
afterAll(() => database.destroy());
beforeEach(async () => {
  now = new Date("2017-04-03T08:00:00Z");
  await database.db.delete(caseFollows);
});

const as = (userId: string) =>
  createContext({
    db: database.db,
    clock,
    admins: [ADMIN],
    actor: slackActor({ userId, name: userId.toLowerCase() }),
  });
const job = () => createContext({ db: database.db, clock, admins: [ADMIN], actor: systemActor("follows") });

let made = 0;
async function referredCase({ restricted = false } = {}) {
  made += 1;
  const dnr = `108-${3000 + made}/2017`;
  const caseId = await seed.case({
    dnr,
    kind: "skrivelse",
    title: restricted ? `Hemlig utredning ${made}` : `Bristerna inom socialtjänsten ${made}`,
    publicTitle: restricted ? "Sekretess" : `Bristerna inom socialtjänsten ${made}`,
    restricted,
    raisedOn: "2017-01-10",
    status: "in_progress",
    responsibleBody: "Socialnämnden",
    referrals: [{ body: "Socialnämnden", sentOn: "2017-03-01", dueOn: "2017-04-28", state: "open" }],
  });
  const [referral] = await database.db.select().from(referrals).where(eq(referrals.caseId, caseId));
  return { caseId, dnr: `Dnr ${dnr}`, referralId: referral?.id ?? 0 };
}

/**
 * On PostgreSQL the horizon is the whole server's oldest running transaction: another test file's
 * open transaction holds the newest changes back. A run waits for them, as the every-minute job would.
 */
async function caughtUp(): Promise<void> {
  const [row] = await database.db
    .select({ txid: sql<string>`max(${auditEvents.txid})::text` })
    .from(auditEvents);
  const newest = Number(row?.txid ?? 0);
  const deadline = Date.now() + 15_000;
  while ((await feedHorizon(database.db)) <= newest && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function notify(poster: Poster, instanceId = "test") {
  await caughtUp();
  return runFollowNotifications(job(), { poster, instanceId });
}

class RecordingPoster implements Poster {
  readonly posts: OutgoingMessage[] = [];
  async post(message: OutgoingMessage) {
    this.posts.push(message);
    // As Slack does: a message to a user id lands in their DM channel.
    const channel = message.channel.startsWith("U") ? `D${message.channel.slice(1)}` : message.channel;
    return { ts: `1700000000.${String(this.posts.length).padStart(6, "0")}`, channel };
  }
  async update() {}
  async publishHome() {}
}

const textOf = (message: OutgoingMessage | undefined) => JSON.stringify(message?.blocks ?? []);

async function recordAnswer(caseId: number, referralId: number) {
  const result = await recordResponse(as(OFFICER), {
    request: {
      caseId,
      referralId,
      answeredOn: "2017-04-03",
      summary: "Nämnden tillstyrker förslaget i sin helhet.",
      link: null,
      declined: false,
    },
  });
  if (!result.ok) throw new Error(`not recorded: ${JSON.stringify(result)}`);
  return result;
}

describe("following a case", () => {
  it("a person follows by DM; following again is refused with what to do", async () => {
    const { dnr, caseId } = await referredCase();
    const first = await followCase(as(OUTSIDER), { target: { query: dnr }, follower: { kind: "user" } });
    expect(first).toMatchObject({
      type: "followed",
      case: { caseId, label: dnr },
      follower: { kind: "user", id: OUTSIDER },
    });
    const again = await followCase(as(OUTSIDER), { target: { caseId }, follower: { kind: "user" } });
    expect(worded(again)).toMatchObject({
      type: "refused",
      error: {
        code: "follows.already_following",
        message: `Du bevakar redan ${dnr}. \`/arende bevakningar\` visar alla bevakningar.`,
      },
    });
    const audit = await database.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.action, "case_follow.created"));
    expect(audit.some((event) => event.actorId === OUTSIDER && event.changes.case_id === caseId)).toBe(true);
  });

  it("a channel follows only when a registrator or an admin says so, and never from a DM", async () => {
    const { dnr } = await referredCase();
    const channel = { kind: "channel" as const, channelId: CHANNEL };
    expect(await followCase(as(OUTSIDER), { target: { query: dnr }, follower: channel })).toMatchObject({
      type: "refused",
      error: { code: "follows.not_allowed" },
    });
    expect(
      await followCase(as(REGISTRATOR), {
        target: { query: dnr },
        follower: { kind: "channel", channelId: "D0DIRECT1" },
      }),
    ).toMatchObject({ type: "refused", error: { code: "follows.not_in_channel" } });
    expect(await followCase(as(REGISTRATOR), { target: { query: dnr }, follower: channel })).toMatchObject({
      type: "followed",
      follower: { kind: "channel", id: CHANNEL },
    });
  });

  it("an unknown or mistyped identifier is answered as status answers it", async () => {
    expect(
      await followCase(as(OUTSIDER), { target: { query: "Dnr 999-1/2099" }, follower: { kind: "user" } }),
    ).toMatchObject({
      type: "not_found",
    });
    expect(
      await followCase(as(OUTSIDER), { target: { query: "hej" }, follower: { kind: "user" } }),
    ).toMatchObject({
      type: "invalid",
    });
  });

  describe("a restricted case", () => {
    it.each([
      ["its responsible body's handläggare", OFFICER, "followed"],
      ["an admin", ADMIN, "followed"],
      ["someone without a role for its body", OUTSIDER, "follows.not_entitled"],
    ])("is followed by DM by %s: %s", async (_who, userId, expected) => {
      const { dnr } = await referredCase({ restricted: true });
      const result = await followCase(as(userId), { target: { query: dnr }, follower: { kind: "user" } });
      if (expected === "followed") {
        expect(result).toMatchObject({ type: "followed", case: { audience: "full" } });
      } else {
        expect(result).toMatchObject({ type: "refused", error: { code: expected } });
        expect(JSON.stringify(worded(result))).not.toContain("Hemlig");
      }
    });

    it("is never followed by a channel, not even on an admin's word", async () => {
      const { dnr } = await referredCase({ restricted: true });
      const result = await followCase(as(ADMIN), {
        target: { query: dnr },
        follower: { kind: "channel", channelId: CHANNEL },
      });
      expect(worded(result)).toMatchObject({
        type: "refused",
        error: { code: "follows.channel_restricted" },
      });
      expect(JSON.stringify(worded(result))).not.toContain("Hemlig");
    });
  });

  it("lists what a person and a channel follow, with each case's latest change", async () => {
    const one = await referredCase();
    const two = await referredCase({ restricted: true });
    await followCase(as(OFFICER), { target: { caseId: one.caseId }, follower: { kind: "user" } });
    await followCase(as(OFFICER), { target: { caseId: two.caseId }, follower: { kind: "user" } });
    await followCase(as(REGISTRATOR), {
      target: { caseId: one.caseId },
      follower: { kind: "channel", channelId: CHANNEL },
    });
    later(5);
    await recordAnswer(one.caseId, one.referralId);

    const mine = await listFollowedCases({ ctx: as(OFFICER), userId: OFFICER });
    expect(mine.map((followed) => followed.caseId)).toEqual([one.caseId, two.caseId]);
    expect(mine[0]?.latestChange).toMatchObject({
      action: "referral_response.submitted",
      label: "Remissvar registrerat",
    });
    expect(mine[1]?.title).toBe(`Hemlig utredning ${made}`);
    const asked = await listFollows(as(OFFICER), { userId: OFFICER, channelId: CHANNEL });
    expect(asked.channel.map((followed) => followed.caseId)).toEqual([one.caseId]);
  });

  it("ends a follow; ending one that is not there says so", async () => {
    const { dnr } = await referredCase();
    await followCase(as(OUTSIDER), { target: { query: dnr }, follower: { kind: "user" } });
    expect(
      await unfollowCase(as(OUTSIDER), { target: { query: dnr }, follower: { kind: "user" } }),
    ).toMatchObject({
      type: "unfollowed",
    });
    expect(
      worded(await unfollowCase(as(OUTSIDER), { target: { query: dnr }, follower: { kind: "user" } })),
    ).toMatchObject({
      type: "refused",
      error: {
        code: "follows.not_following",
        message: `Du bevakar inte ${dnr}. \`/arende bevakningar\` visar vad som bevakas.`,
      },
    });
  });
});

describe("telling followers", () => {
  it("tells a follower once that a remissvar was recorded, and the next change an hour later in the thread", async () => {
    const { caseId, dnr, referralId } = await referredCase();
    await followCase(as(OUTSIDER), { target: { caseId }, follower: { kind: "user" } });
    const poster = new RecordingPoster();
    const run = () => notify(poster);

    expect(await run()).toEqual({});
    expect(poster.posts).toHaveLength(0);

    later(1);
    const recorded = await recordAnswer(caseId, referralId);
    later(1);
    expect(await run()).toMatchObject({ posted: 1 });
    expect(poster.posts).toHaveLength(1);
    expect(poster.posts[0]).toMatchObject({ channel: OUTSIDER });
    expect(poster.posts[0]?.text).toContain(dnr);
    expect(textOf(poster.posts[0])).toContain("Remissvar registrerat");
    expect(await run()).toEqual({});

    // Approved ten minutes later: it waits for the hour to pass, then goes in the first message's thread.
    later(10);
    const approved = await approveResponse(as(APPROVER), { responseId: recorded.responseId });
    expect(approved.ok).toBe(true);
    later(1);
    expect(await run()).toMatchObject({ waiting: 1 });
    expect(poster.posts).toHaveLength(1);
    later(50);
    expect(await run()).toMatchObject({ posted: 1 });
    expect(poster.posts).toHaveLength(2);
    expect(poster.posts[1]).toMatchObject({
      channel: `D${OUTSIDER.slice(1)}`,
      threadTs: "1700000000.000001",
    });
    expect(textOf(poster.posts[1])).toContain("Godkänt");
  });

  it("tells of a status change an import made, and of a remiss whose due date passed, once", async () => {
    const { caseId } = await referredCase();
    await followCase(as(REGISTRATOR), {
      target: { caseId },
      follower: { kind: "channel", channelId: CHANNEL },
    });
    later(1);
    await database.db.transaction(async (tx) => {
      await tx.update(cases).set({ status: "closed", closedOn: "2017-04-03" }).where(eq(cases.id, caseId));
      await recordAudit(tx, {
        actor: { type: "import", source: "rattelse.json" },
        at: clock.now(),
        entries: [
          {
            action: "case.updated",
            entityType: "case",
            entityId: caseId,
            changes: { status: { from: "in_progress", to: "closed" }, summary: { from: null, to: "x" } },
          },
        ],
      });
    });
    const poster = new RecordingPoster();
    const run = () => notify(poster);
    expect(await run()).toMatchObject({ posted: 1 });
    expect(poster.posts[0]).toMatchObject({ channel: CHANNEL });
    expect(textOf(poster.posts[0])).toContain("Status");

    // 29 April: the remiss due 28 April has passed unanswered.
    now = new Date("2017-04-29T08:00:00Z");
    await seed.deadline({
      caseId,
      kind: "referral_due",
      dueOn: "2017-04-28",
      state: "open",
      referralBody: "Socialnämnden",
    });
    expect(await run()).toMatchObject({ posted: 1 });
    expect(textOf(poster.posts[1])).toContain(
      "Svarstiden för remissen till Socialnämnden (senast 28 april 2017) har gått ut.",
    );
    later(120);
    expect(await run()).toEqual({});
    expect(poster.posts).toHaveLength(2);
  });

  it("passes over changes that are no news: nothing is posted for them", async () => {
    const { caseId } = await referredCase();
    await followCase(as(OUTSIDER), { target: { caseId }, follower: { kind: "user" } });
    later(1);
    await database.db.transaction((tx) =>
      recordAudit(tx, {
        actor: { type: "cli", user: "anna" },
        at: clock.now(),
        entries: [
          {
            action: "case.updated",
            entityType: "case",
            entityId: caseId,
            changes: { summary: { from: "a", to: "b" } },
          },
        ],
      }),
    );
    const poster = new RecordingPoster();
    expect(await notify(poster)).toEqual({});
    expect(poster.posts).toHaveLength(0);
  });

  it("a restricted case: the entitled follower reads it in full, one who lost the right only its public data", async () => {
    const { caseId, referralId } = await referredCase({ restricted: true });
    await followCase(as(OFFICER), { target: { caseId }, follower: { kind: "user" } });
    await followCase(as(APPROVER), { target: { caseId }, follower: { kind: "user" } });
    // The godkännare leaves Socialnämnden: no longer entitled, still following.
    await database.db.delete(memberships).where(eq(memberships.slackUserId, APPROVER));
    later(1);
    await recordAnswer(caseId, referralId);
    const poster = new RecordingPoster();
    expect(await notify(poster)).toMatchObject({ posted: 2 });
    const toOfficer = poster.posts.find((post) => post.channel === OFFICER);
    const toFormer = poster.posts.find((post) => post.channel === APPROVER);
    expect(textOf(toOfficer)).toContain("Hemlig utredning");
    expect(textOf(toOfficer)).toContain("Socialnämnden");
    expect(textOf(toFormer)).not.toContain("Hemlig");
    expect(textOf(toFormer)).not.toContain("Socialnämnden");
    expect(textOf(toFormer)).toContain("Sekretess");
    expect(textOf(toFormer)).toContain("endast offentliga uppgifter");
    await seed.roles([{ user: APPROVER, role: "godkannare", body: socialnamnden, grantedBy: ADMIN }]);
  });

  it("a replica that died after posting, before moving the follow: the notice is not posted again", async () => {
    const { caseId, referralId } = await referredCase();
    await followCase(as(OUTSIDER), { target: { caseId }, follower: { kind: "user" } });
    const [started] = await database.db.select().from(caseFollows).where(eq(caseFollows.caseId, caseId));
    later(1);
    await recordAnswer(caseId, referralId);
    const poster = new RecordingPoster();
    expect(await notify(poster)).toMatchObject({ posted: 1 });
    // As if the process had died between Slack's answer and moving the follow on.
    await database.db
      .update(caseFollows)
      .set({
        toldTxid: started?.toldTxid,
        toldEventId: started?.toldEventId,
        lastToldAt: null,
        threadTs: null,
      })
      .where(eq(caseFollows.caseId, caseId));
    expect(await notify(poster)).toEqual({});
    later(6);
    expect(await notify(poster)).toEqual({});
    expect(poster.posts).toHaveLength(1);
    const [moved] = await database.db.select().from(caseFollows).where(eq(caseFollows.caseId, caseId));
    expect(moved?.toldTxid).toBeGreaterThan(started?.toldTxid ?? 0);
    expect(moved?.threadTs).toBe("1700000000.000001");
    later(120);
    expect(await notify(poster)).toEqual({});
    expect(poster.posts).toHaveLength(1);
  });

  it("two runs at once post each notice once", async () => {
    const { caseId, referralId } = await referredCase();
    await followCase(as(OUTSIDER), { target: { caseId }, follower: { kind: "user" } });
    await followCase(as(REGISTRATOR), {
      target: { caseId },
      follower: { kind: "channel", channelId: CHANNEL },
    });
    later(1);
    await recordAnswer(caseId, referralId);
    const poster = new RecordingPoster();
    await caughtUp();
    const reports = await Promise.all([
      runFollowNotifications(job(), { poster, instanceId: "replica-a" }),
      runFollowNotifications(job(), { poster, instanceId: "replica-b" }),
    ]);
    expect(poster.posts.map((post) => post.channel).sort()).toEqual([CHANNEL, OUTSIDER].sort());
    expect(reports.reduce((sum, report) => sum + (report.posted ?? 0), 0)).toBe(2);
    const rows = await database.db.select().from(slackPosts).where(eq(slackPosts.kind, "follow_notice"));
    expect(
      rows.filter((row) => row.state === "posted" && row.partsPosted === 1).length,
    ).toBeGreaterThanOrEqual(2);
    later(90);
    await Promise.all([
      runFollowNotifications(job(), { poster, instanceId: "replica-a" }),
      runFollowNotifications(job(), { poster, instanceId: "replica-b" }),
    ]);
    expect(poster.posts).toHaveLength(2);
  });
});
