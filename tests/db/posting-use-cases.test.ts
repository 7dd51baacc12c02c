import { and, asc, eq, like } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixedClock } from "../../src/clock.js";
import { approvalMessages, auditEvents, memberships, referrals, slackPosts } from "../../src/db/schema.js";
import type { MessageRenderers } from "../../src/modules/posting/messages.js";
import type { Posting, PostingContext } from "../../src/modules/posting/post-copies.js";
import {
  type HomeView,
  type MessageUpdate,
  type OutgoingMessage,
  PostError,
  type Poster,
  type SlackMessage,
} from "../../src/modules/posting/poster.js";
import { deliverRemissNotices, type SentRemiss } from "../../src/modules/referrals/deliver-remiss-notices.js";
import { sendOnRemiss } from "../../src/modules/referrals/send-on-remiss.js";
import { announceDecision } from "../../src/modules/responses/announce-decision.js";
import { approveResponse } from "../../src/modules/responses/approve-response.js";
import { type RecordedResponse, recordResponse } from "../../src/modules/responses/record-response.js";
import { requestApproval } from "../../src/modules/responses/request-approval.js";
import { type Admit, RegistryBusyError, registryAdmission } from "../../src/modules/shared/availability.js";
import { createContext, type SlackActor, slackActor } from "../../src/modules/shared/context.js";
import { Seeder } from "../support/seed-rows.js";
import { createTestDatabase, type TestDatabase } from "../support/test-database.js";

/**
 * The use cases that tell people in Slack, with a poster standing in for Slack: what each reader
 * received, where each copy is recorded, what a failed post leaves behind, and that a retried or
 * repeated delivery never posts a copy twice.
 */

const ADMIN = "U0ADMIN01";
const REGISTRATOR = "U0REGKS01";
const OFFICER = "U0HANDL01";
/** Godkännare of Socialnämnden; only the second is entitled to Kommunstyrelsen's restricted cases. */
const APPROVER = "U0GODK001";
const ENTITLED_APPROVER = "U0GODK002";
/** Godkännare of Tyst nämnd, whose DMs Slack refuses. */
const QUIET_APPROVER = "U0QUIET01";
// Monday 3 April 2017, 10:00 in Stockholm.
const clock = fixedClock("2017-04-03T08:00:00Z");

let database: TestDatabase;
let seed: Seeder;
const body: Record<"ks" | "social" | "bromma" | "kungsholmen" | "tyst", number> = {
  ks: 0,
  social: 0,
  bromma: 0,
  kungsholmen: 0,
  tyst: 0,
};

beforeAll(async () => {
  database = await createTestDatabase();
  seed = new Seeder(database.db);
  body.ks = await seed.body("Kommunstyrelsen", "board", "C0KS");
  body.social = await seed.body("Socialnämnden", "board", "C0SOCIAL");
  body.bromma = await seed.body("Bromma stadsdelsnämnd", "district_board", "C0BROMMA");
  body.kungsholmen = await seed.body("Kungsholmens stadsdelsnämnd", "district_board");
  body.tyst = await seed.body("Tyst nämnd", "board", "C0TYST");
  const grant = (
    slackUserId: string,
    bodyId: number,
    role: "registrator" | "handlaggare" | "godkannare",
  ) => ({
    slackUserId,
    bodyId,
    role,
    grantedBy: ADMIN,
    grantedAt: new Date("2017-01-01T00:00:00Z"),
  });
  await database.db
    .insert(memberships)
    .values([
      grant(REGISTRATOR, body.ks, "registrator"),
      grant(OFFICER, body.social, "handlaggare"),
      grant(OFFICER, body.tyst, "handlaggare"),
      grant(APPROVER, body.social, "godkannare"),
      grant(ENTITLED_APPROVER, body.social, "godkannare"),
      grant(ENTITLED_APPROVER, body.ks, "handlaggare"),
      grant(QUIET_APPROVER, body.tyst, "godkannare"),
    ]);
});
afterAll(() => database.destroy());

type Post = OutgoingMessage & { ts: string };

/** Slack's ts is unique in its channel; one counter for every fake keeps it so across tests. */
let posted = 0;

/** Slack as the use cases see it: a DM to a user lands in D…; `refuse` makes Slack answer an error. */
class FakeSlack {
  readonly posts: Post[] = [];
  readonly updates: MessageUpdate[] = [];
  readonly homes: { userId: string; view: HomeView }[] = [];
  refuse: (channel: string) => string | undefined = () => undefined;
  /** Holds every post until released, so two calls can meet in the middle. */
  hold: Promise<void> | undefined;

  readonly poster: Poster = {
    post: async (message) => {
      await this.hold;
      const refused = this.refuse(message.channel);
      if (refused) throw new PostError(`Slack said ${refused}`, refused, false);
      posted += 1;
      const ts = `1800000000.${String(posted).padStart(6, "0")}`;
      this.posts.push({ ...message, ts });
      const channel = message.channel.startsWith("U") ? `D${message.channel.slice(1)}` : message.channel;
      return { ts, channel };
    },
    update: async (message) => {
      const refused = this.refuse(message.channel);
      if (refused) throw new PostError(`Slack said ${refused}`, refused, false);
      this.updates.push(message);
    },
    publishHome: async (userId, view) => {
      this.homes.push({ userId, view });
    },
  };

  postsTo(channel: string): string[] {
    return this.posts.filter((post) => post.channel === channel).map((post) => post.text);
  }
}

const said = (text: string): SlackMessage => ({ text, blocks: [] });
/** Each message says what it is and which view of the case it was built from. */
const render: MessageRenderers = {
  remissNotice: (card, notice) => said(`notice to ${notice.bodyName}, ${card.audience}, «${notice.message}»`),
  approvalRequest: (view) => said(`request, ${view.audience}: ${view.caseTitle}`),
  decidedApproval: (view, decision) => said(`${decision.state}, ${view.audience}: ${view.caseTitle}`),
  submitterNotice: (view, decision) => said(`to submitter: ${decision.state}, ${view.audience}`),
  approvedChannelLine: (view, decision) => said(`to channel: ${decision.state}, ${view.audience}`),
  home: (content) => ({
    type: "home",
    blocks: [{ type: "section", text: { type: "mrkdwn", text: content.userId } }],
  }),
};

const roomy = registryAdmission({ timeoutMs: 5_000, maxInFlight: 100, concurrency: 4 });

function as(
  userId: string,
  slack: FakeSlack,
  { admit = roomy, instanceId = "test-instance" }: { admit?: Admit; instanceId?: string } = {},
): PostingContext<SlackActor> {
  const posting: Posting = { poster: slack.poster, admit, instanceId, render };
  return {
    ...createContext({ db: database.db, clock, admins: [ADMIN], actor: slackActor({ userId }) }),
    posting,
  };
}

let cases = 0;
async function newCase({ restricted = false, referredTo = [] as string[] } = {}): Promise<number> {
  cases += 1;
  return seed.case({
    dnr: `108-${3000 + cases}/2017`,
    kind: "motion",
    title: `Hemlig motion ${cases}`,
    publicTitle: `Motion ${cases}`,
    restricted,
    raisedOn: "2017-01-10",
    status: "in_progress",
    responsibleBody: "Kommunstyrelsen",
    referrals: referredTo.map((name) => ({
      body: name,
      sentOn: "2017-03-01",
      dueOn: "2017-04-28",
      state: "open",
    })),
  });
}

async function sent(caseId: number, bodyIds: number[]): Promise<SentRemiss> {
  const result = await sendOnRemiss(
    createContext({ db: database.db, clock, admins: [ADMIN], actor: slackActor({ userId: REGISTRATOR }) }),
    { request: { caseId, bodyIds, dueOn: "2017-04-28", message: "Svara gärna tidigt." } },
  );
  if (!result.ok) throw new Error(`expected the remiss to be sent: ${result.type}`);
  return result;
}

async function recorded(caseId: number, bodyId: number): Promise<RecordedResponse> {
  const [referral] = await database.db
    .select()
    .from(referrals)
    .where(and(eq(referrals.caseId, caseId), eq(referrals.bodyId, bodyId)));
  if (!referral) throw new Error("no referral");
  const result = await recordResponse(
    createContext({ db: database.db, clock, admins: [ADMIN], actor: slackActor({ userId: OFFICER }) }),
    {
      request: {
        caseId,
        referralId: referral.id,
        answeredOn: "2017-03-30",
        summary: "Socialnämnden tillstyrker motionen.",
        link: null,
        declined: false,
      },
    },
  );
  if (!result.ok) throw new Error(`expected the response to be recorded: ${result.type}`);
  return result;
}

const postsOf = (kind: "remiss_notice" | "approval_request") =>
  database.db.select().from(slackPosts).where(eq(slackPosts.kind, kind)).orderBy(asc(slackPosts.id));

const auditOf = (action: string) =>
  database.db.select().from(auditEvents).where(eq(auditEvents.action, action)).orderBy(asc(auditEvents.id));

describe("deliverRemissNotices", () => {
  it("posts each body's notice once, records where it went and which failed, and a retry posts only what never arrived", async () => {
    const slack = new FakeSlack();
    slack.refuse = (channel) => (channel === "C0BROMMA" ? "not_in_channel" : undefined);
    const remiss = await sent(await newCase(), [body.social, body.bromma, body.kungsholmen]);
    const referralTo = (bodyId: number) =>
      remiss.referrals.find((referral) => referral.body.id === bodyId)?.referralId ?? 0;
    const social = referralTo(body.social);
    const bromma = referralTo(body.bromma);

    const delivery = await deliverRemissNotices(as(REGISTRATOR, slack), {
      remiss,
      message: " Svara gärna tidigt. ",
    });

    expect(delivery).toEqual({
      posted: [{ bodyName: "Socialnämnden", channelId: "C0SOCIAL" }],
      failed: [{ bodyName: "Bromma stadsdelsnämnd", channelId: "C0BROMMA", code: "not_in_channel" }],
      withoutChannel: ["Kungsholmens stadsdelsnämnd"],
    });
    expect(slack.postsTo("C0SOCIAL")).toEqual(["notice to Socialnämnden, full, «Svara gärna tidigt.»"]);
    const rows = (await postsOf("remiss_notice")).filter((row) => [social, bromma].includes(row.subjectId));
    expect(rows.map((row) => [row.channelId, row.state, row.messageTs, row.lastError]).sort()).toEqual([
      ["C0BROMMA", "failed", null, "not_in_channel"],
      ["C0SOCIAL", "posted", slack.posts[0]?.ts, null],
    ]);
    const notices = (await auditOf("referral.notice_posted")).filter(
      (event) => event.entityId === String(social),
    );
    expect(notices.map((event) => [event.actorId, event.changes])).toEqual([
      [REGISTRATOR, { case_id: remiss.caseId, channel_id: "C0SOCIAL", message_ts: slack.posts[0]?.ts }],
    ]);
    expect(
      (await auditOf("remiss_notice.failed")).filter(
        (event) => event.entityId === `remiss_notice:${bromma}:C0BROMMA`,
      ),
    ).toHaveLength(1);

    // The bot was invited meanwhile; the same delivery again posts Bromma's notice, and Socialnämnden's not twice.
    slack.refuse = () => undefined;
    const again = await deliverRemissNotices(as(REGISTRATOR, slack), {
      remiss,
      message: "Svara gärna tidigt.",
    });
    expect(again.posted.map((post) => post.channelId).sort()).toEqual(["C0BROMMA", "C0SOCIAL"]);
    expect(again.failed).toEqual([]);
    expect(slack.postsTo("C0SOCIAL")).toHaveLength(1);
    expect(slack.postsTo("C0BROMMA")).toHaveLength(1);
    expect(
      (await auditOf("referral.notice_posted")).filter((event) =>
        [String(social), String(bromma)].includes(event.entityId),
      ),
    ).toHaveLength(2);
  });

  it("two deliveries of one remiss at once (two replicas, a retry) post each notice once", async () => {
    const slack = new FakeSlack();
    let release = () => {};
    slack.hold = new Promise((resolve) => {
      release = resolve;
    });
    const remiss = await sent(await newCase(), [body.social, body.bromma]);
    const both = Promise.all([
      deliverRemissNotices(as(REGISTRATOR, slack, { instanceId: "replica-a" }), { remiss, message: null }),
      deliverRemissNotices(as(REGISTRATOR, slack, { instanceId: "replica-b" }), { remiss, message: null }),
    ]);
    await new Promise((resolve) => setTimeout(resolve, 50));
    release();
    const [first, second] = await both;
    expect(slack.postsTo("C0SOCIAL")).toHaveLength(1);
    expect(slack.postsTo("C0BROMMA")).toHaveLength(1);
    // Each caller can tell its sender where the notices are, whichever of them posted.
    for (const delivery of [first, second]) {
      expect(delivery.posted.map((post) => post.channelId).sort()).toEqual(["C0BROMMA", "C0SOCIAL"]);
    }
  });

  it("a restricted case's notice shows its public data, without the sender's message", async () => {
    const slack = new FakeSlack();
    const remiss = await sent(await newCase({ restricted: true }), [body.social]);
    await deliverRemissNotices(as(REGISTRATOR, slack), { remiss, message: "Hemligt meddelande" });
    expect(slack.postsTo("C0SOCIAL")).toEqual(["notice to Socialnämnden, public, «Hemligt meddelande»"]);
  });

  it("a registry busy for a moment delays the notices; it does not lose them", async () => {
    const slack = new FakeSlack();
    const remiss = await sent(await newCase(), [body.social]);
    let refusals = 0;
    const busyOnce: Admit = (name, step) => {
      if (refusals < 2) {
        refusals += 1;
        return Promise.reject(new RegistryBusyError(100));
      }
      return roomy(name, step);
    };
    const delivery = await deliverRemissNotices(as(REGISTRATOR, slack, { admit: busyOnce }), {
      remiss,
      message: null,
    });
    expect(delivery.posted).toEqual([{ bodyName: "Socialnämnden", channelId: "C0SOCIAL" }]);
    expect(slack.postsTo("C0SOCIAL")).toHaveLength(1);
  });

  it("when the registry stays busy, nothing is posted and every body is reported", async () => {
    const slack = new FakeSlack();
    const remiss = await sent(await newCase(), [body.social, body.bromma]);
    const busy: Admit = () => Promise.reject(new RegistryBusyError(100));
    const delivery = await deliverRemissNotices(as(REGISTRATOR, slack, { admit: busy }), {
      remiss,
      message: null,
    });
    expect(slack.posts).toEqual([]);
    expect(delivery.failed.map((failure) => [failure.channelId, failure.code]).sort()).toEqual([
      ["C0BROMMA", "registry.busy"],
      ["C0SOCIAL", "registry.busy"],
    ]);
    // Nothing was claimed, so a later delivery posts them.
    const later = await deliverRemissNotices(as(REGISTRATOR, slack), { remiss, message: null });
    expect(later.posted.map((post) => post.channelId).sort()).toEqual(["C0BROMMA", "C0SOCIAL"]);
  });
});

describe("requestApproval", () => {
  it("asks each godkännare by DM as they may read it, stores each copy with whose it is, and a retry asks no one twice", async () => {
    const slack = new FakeSlack();
    const caseId = await newCase({ restricted: true, referredTo: ["Socialnämnden"] });
    const response = await recorded(caseId, body.social);

    const delivery = await requestApproval(as(OFFICER, slack), { recorded: response });

    expect(delivery).toEqual({
      approvers: response.approvers,
      channel: null,
      failed: [],
      noApprover: false,
    });
    expect(slack.postsTo(APPROVER)).toEqual([`request, public: Motion ${cases}`]);
    expect(slack.postsTo(ENTITLED_APPROVER)).toEqual([`request, full: Hemlig motion ${cases}`]);
    const copies = await database.db
      .select()
      .from(approvalMessages)
      .where(eq(approvalMessages.responseId, response.responseId));
    expect(copies.map((copy) => [copy.channelId, copy.recipientSlackUserId]).sort()).toEqual([
      ["D0GODK001", APPROVER],
      ["D0GODK002", ENTITLED_APPROVER],
    ]);
    const requested = (await auditOf("referral_response.approval_requested")).filter(
      (event) => event.entityId === String(response.responseId),
    );
    expect(requested.map((event) => event.actorId)).toEqual([OFFICER]);

    // The same delivery again (a retry, a second replica): nobody is asked twice, nothing stored twice.
    const again = await requestApproval(as(OFFICER, slack), { recorded: response });
    expect(again.approvers.sort()).toEqual([APPROVER, ENTITLED_APPROVER]);
    expect(slack.posts).toHaveLength(2);
    expect(
      await database.db
        .select()
        .from(approvalMessages)
        .where(eq(approvalMessages.responseId, response.responseId)),
    ).toHaveLength(2);
    expect(
      (await auditOf("referral_response.approval_requested")).filter(
        (event) => event.entityId === String(response.responseId),
      ),
    ).toHaveLength(1);
  });

  it("when no godkännare can be reached, the body's channel is asked as a channel may read it; the failures are reported and kept", async () => {
    const slack = new FakeSlack();
    slack.refuse = (channel) => (channel === QUIET_APPROVER ? "messages_tab_disabled" : undefined);
    const caseId = await newCase({ restricted: true, referredTo: ["Tyst nämnd"] });
    const response = await recorded(caseId, body.tyst);

    const delivery = await requestApproval(as(OFFICER, slack), { recorded: response });

    expect(delivery).toEqual({
      approvers: [],
      channel: "C0TYST",
      failed: [{ target: QUIET_APPROVER, code: "messages_tab_disabled" }],
      noApprover: false,
    });
    expect(slack.postsTo("C0TYST")).toEqual([`request, public: Motion ${cases}`]);
    const copies = await database.db
      .select()
      .from(approvalMessages)
      .where(eq(approvalMessages.responseId, response.responseId));
    expect(copies.map((copy) => [copy.channelId, copy.recipientSlackUserId])).toEqual([["C0TYST", null]]);
    const claims = await database.db
      .select()
      .from(slackPosts)
      .where(like(slackPosts.key, `approval_request:${response.responseId}:%`))
      .orderBy(asc(slackPosts.id));
    expect(claims.map((claim) => [claim.period, claim.state, claim.lastError])).toEqual([
      [QUIET_APPROVER, "failed", "messages_tab_disabled"],
      ["C0TYST", "posted", null],
    ]);

    // Asked again once the godkännare can be messaged: the DM that never arrived goes now, the channel
    // is not asked twice, and both copies are stored so that a decision updates each.
    slack.refuse = () => undefined;
    const again = await requestApproval(as(OFFICER, slack), { recorded: response });
    expect(again).toMatchObject({ approvers: [QUIET_APPROVER], failed: [] });
    expect(slack.postsTo("C0TYST")).toHaveLength(1);
    expect(slack.postsTo(QUIET_APPROVER)).toHaveLength(1);
    const after = await database.db
      .select()
      .from(approvalMessages)
      .where(eq(approvalMessages.responseId, response.responseId));
    expect(after.map((copy) => [copy.channelId, copy.recipientSlackUserId]).sort()).toEqual([
      ["C0TYST", null],
      ["D0QUIET01", QUIET_APPROVER],
    ]);
  });
});

describe("announceDecision", () => {
  it("updates each stored copy for its own reader, tells the submitter and the responsible body's channel; a copy Slack refuses does not stop the rest", async () => {
    const slack = new FakeSlack();
    const caseId = await newCase({ restricted: true, referredTo: ["Socialnämnden"] });
    const response = await recorded(caseId, body.social);
    await requestApproval(as(OFFICER, slack), { recorded: response });
    const decided = await approveResponse(as(ENTITLED_APPROVER, slack), { responseId: response.responseId });
    if (!decided.ok) throw new Error(`expected an approval: ${decided.type}`);

    // The first copy's DM was deleted meanwhile; a click came from a copy the registry never stored.
    slack.refuse = (channel) => (channel === "D0GODK001" ? "message_not_found" : undefined);
    await announceDecision(as(ENTITLED_APPROVER, slack), {
      subject: decided.subject,
      decision: decided.decision,
      clicked: { channelId: "C0ELSEWHERE", messageTs: "1700000000.000009" },
    });

    expect(slack.updates.map((update) => [update.channel, update.text]).sort()).toEqual([
      ["C0ELSEWHERE", `approved, public: Motion ${cases}`],
      ["D0GODK002", `approved, full: Hemlig motion ${cases}`],
    ]);
    expect(slack.postsTo(OFFICER)).toEqual(["to submitter: approved, public"]);
    expect(slack.postsTo("C0KS")).toEqual(["to channel: approved, public"]);
  });
});
