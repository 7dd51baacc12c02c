import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixedClock } from "../../src/clock.js";
import {
  approvalMessages,
  auditEvents,
  memberships,
  referralResponses,
  referrals,
} from "../../src/db/schema.js";
import { say } from "../../src/messages/sv.js";
import { DECLINED_SUMMARY, RESPONSE_ERRORS } from "../../src/modules/responses/errors.js";
import { listApprovers } from "../../src/modules/responses/list-approvers.js";
import { prepareResponse } from "../../src/modules/responses/prepare-response.js";
import { SUMMARY_WITHHELD_NOTICE } from "../../src/modules/responses/present-response.js";
import { recordApprovalMessages } from "../../src/modules/responses/record-approval-messages.js";
import { type ResponseRequest, recordResponse } from "../../src/modules/responses/record-response.js";
import { createContext, slackActor } from "../../src/modules/shared/context.js";
import { Seeder } from "../support/seed-rows.js";
import { createTestDatabase, type TestDatabase } from "../support/test-database.js";
import { refusal, worded } from "../support/worded.js";

const OFFICER = { type: "slack_user" as const, userId: "U0HANDL01", name: "handläggare" };
const BROMMA_OFFICER = { type: "slack_user" as const, userId: "U0BROMMA1", name: "bromma" };
const OUTSIDER = { type: "slack_user" as const, userId: "U0OUTSIDE", name: "utomstående" };
const APPROVER = "U0GODK001";
const ADMIN = "U0ADMIN01";
const bootstrapAdmins = [ADMIN];
// Monday 3 April 2017, 10:00 in Stockholm.
const clock = fixedClock("2017-04-03T08:00:00Z");

let database: TestDatabase;
let seed: Seeder;
let socialnamnden: number;
let bromma: number;
let kommunstyrelsen: number;

beforeAll(async () => {
  database = await createTestDatabase();
  seed = new Seeder(database.db);
  socialnamnden = await seed.body("Socialnämnden", "board", "C0SOCIAL");
  bromma = await seed.body("Bromma stadsdelsnämnd", "district_board", "C0BROMMA");
  kommunstyrelsen = await seed.body("Kommunstyrelsen", "board", "C0KS");
  const grantedAt = new Date("2017-01-01T00:00:00Z");
  await database.db.insert(memberships).values([
    { slackUserId: OFFICER.userId, bodyId: socialnamnden, role: "handlaggare", grantedBy: ADMIN, grantedAt },
    { slackUserId: BROMMA_OFFICER.userId, bodyId: bromma, role: "registrator", grantedBy: ADMIN, grantedAt },
    { slackUserId: APPROVER, bodyId: socialnamnden, role: "godkannare", grantedBy: ADMIN, grantedAt },
    // A role for Kommunstyrelsen entitles APPROVER to the restricted cases it is responsible for.
    { slackUserId: APPROVER, bodyId: kommunstyrelsen, role: "handlaggare", grantedBy: ADMIN, grantedAt },
    // A godkännare of Socialnämnden is not thereby one who records its answers.
    { slackUserId: OUTSIDER.userId, bodyId: socialnamnden, role: "godkannare", grantedBy: ADMIN, grantedAt },
  ]);
});
afterAll(() => database.destroy());

let cases = 0;
/** A case with an open remiss to Socialnämnden and to Bromma. */
async function referredCase(): Promise<{ caseId: number; social: number; brommaReferral: number }> {
  cases += 1;
  const caseId = await seed.case({
    dnr: `108-${2000 + cases}/2017`,
    kind: "motion",
    title: `Motion nummer ${cases}`,
    publicTitle: `Motion nummer ${cases}`,
    raisedOn: "2017-01-10",
    status: "in_progress",
    referrals: [
      { body: "Socialnämnden", sentOn: "2017-03-01", dueOn: "2017-03-31", state: "open" },
      { body: "Bromma stadsdelsnämnd", sentOn: "2017-03-01", dueOn: "2017-04-28", state: "open" },
    ],
  });
  const rows = await database.db.select().from(referrals).where(eq(referrals.caseId, caseId));
  const social = rows.find((row) => row.bodyId === socialnamnden)?.id ?? 0;
  const brommaReferral = rows.find((row) => row.bodyId === bromma)?.id ?? 0;
  return { caseId, social, brommaReferral };
}

const asUser = (userId: string) =>
  createContext({ db: database.db, clock, admins: bootstrapAdmins, actor: slackActor({ userId }) });
const record = (
  request: Partial<ResponseRequest> & { caseId: number; referralId: number | null },
  actor = OFFICER,
) =>
  recordResponse(createContext({ db: database.db, clock, admins: bootstrapAdmins, actor }), {
    request: {
      answeredOn: "2017-04-03",
      summary: "Nämnden tillstyrker förslaget.",
      link: null,
      declined: false,
      ...request,
    },
  });

async function stored(referralId: number) {
  const rows = await database.db
    .select()
    .from(referralResponses)
    .where(eq(referralResponses.referralId, referralId));
  const ids = new Set(rows.map((row) => String(row.id)));
  const audit = (
    await database.db.select().from(auditEvents).where(eq(auditEvents.action, "referral_response.submitted"))
  ).filter((event) => ids.has(event.entityId));
  return { rows, audit };
}

describe("prepareResponse", () => {
  it("lists only the open referrals of bodies the user may answer for", async () => {
    const { caseId, social } = await referredCase();
    const form = await prepareResponse(asUser(OFFICER.userId), { caseId });
    expect(form).toMatchObject({
      type: "ready",
      caseId,
      today: "2017-04-03",
      referrals: [
        { referralId: social, bodyId: socialnamnden, bodyName: "Socialnämnden", dueOn: "2017-03-31" },
      ],
    });
  });

  it("refuses someone with no handläggare or registrator role, and an admin without a body role", async () => {
    const { caseId } = await referredCase();
    for (const slackUserId of [OUTSIDER.userId, ADMIN, APPROVER]) {
      const form = await prepareResponse(asUser(slackUserId), { query: `Dnr 108-${2000 + cases}/2017` });
      expect(form).toMatchObject({ type: "refused", code: RESPONSE_ERRORS.notAllowed });
    }
    expect(caseId).toBeGreaterThan(0);
  });
});

describe("recordResponse", () => {
  it("stores a pending answer and audits it with the submitter", async () => {
    const { caseId, social } = await referredCase();
    const result = await record({
      caseId,
      referralId: social,
      summary: "  Nämnden tillstyrker förslaget.  ",
      link: "https://example.org/tjansteutlatande.pdf",
      answeredOn: "2017-03-30",
    });
    expect(result).toMatchObject({
      ok: true,
      kind: "answer",
      caseLabel: `Dnr 108-${2000 + cases}/2017`,
      approvers: expect.arrayContaining([APPROVER, OUTSIDER.userId]),
      referral: { referralId: social, body: { id: socialnamnden, slackChannelId: "C0SOCIAL" } },
      channelRequest: { audience: "full", summary: "Nämnden tillstyrker förslaget." },
    });
    if (!result.ok) return;
    // An open case: every godkännare reads the answer in full.
    expect(result.requests.map((request) => [request.slackUserId, request.view.summary]).sort()).toEqual(
      [
        [APPROVER, "Nämnden tillstyrker förslaget."],
        [OUTSIDER.userId, "Nämnden tillstyrker förslaget."],
      ].sort(),
    );
    const { rows, audit } = await stored(social);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      kind: "answer",
      summary: "Nämnden tillstyrker förslaget.",
      link: "https://example.org/tjansteutlatande.pdf",
      answeredOn: "2017-03-30",
      approvalState: "pending",
      submittedBySlackUserId: OFFICER.userId,
      submittedByName: "handläggare",
      decidedAt: null,
    });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      actorType: "slack_user",
      actorId: OFFICER.userId,
      entityType: "referral_response",
      changes: { referral_id: social, case_id: caseId, kind: "answer", approval_state: "pending" },
    });
    // The referral stays open until the answer is approved.
    const [referral] = await database.db.select().from(referrals).where(eq(referrals.id, social));
    expect(referral?.state).toBe("open");
  });

  it("stores 'avstår' as a declined response, with or without a summary", async () => {
    const { caseId, social, brommaReferral } = await referredCase();
    const result = await record({ caseId, referralId: social, summary: "", declined: true });
    expect(result).toMatchObject({
      ok: true,
      kind: "declined",
      channelRequest: { kind: "declined", summary: DECLINED_SUMMARY },
    });
    const withReason = await record(
      { caseId, referralId: brommaReferral, summary: "Berör inte stadsdelen.", declined: true },
      BROMMA_OFFICER,
    );
    expect(withReason).toMatchObject({
      ok: true,
      kind: "declined",
      channelRequest: { summary: "Berör inte stadsdelen." },
    });
    expect((await stored(social)).rows[0]).toMatchObject({ kind: "declined", summary: DECLINED_SUMMARY });
  });

  it("a restricted case: the request in full only to a godkännare entitled to the case; the others, and the channel, get its public data", async () => {
    cases += 1;
    const caseId = await seed.case({
      dnr: `108-${2000 + cases}/2017`,
      kind: "other",
      title: "Placering av ett barn med skyddad identitet",
      publicTitle: "Sekretess",
      restricted: true,
      responsibleBody: "Kommunstyrelsen",
      status: "in_progress",
      referrals: [{ body: "Socialnämnden", sentOn: "2017-03-01", dueOn: "2017-04-28", state: "open" }],
    });
    const [referral] = await database.db.select().from(referrals).where(eq(referrals.caseId, caseId));
    const result = await record({
      caseId,
      referralId: referral?.id ?? 0,
      summary: "Nämnden bedömer att barnet bör bo kvar.",
      link: "https://diariet.example.se/svar.pdf",
    });
    if (!result.ok) throw new Error(`expected ok, got ${result.type}`);
    const viewOf = (user: string) => result.requests.find((request) => request.slackUserId === user)?.view;
    expect(viewOf(APPROVER)).toMatchObject({
      audience: "full",
      caseTitle: "Placering av ett barn med skyddad identitet",
      summary: "Nämnden bedömer att barnet bör bo kvar.",
      link: "https://diariet.example.se/svar.pdf",
      withheldNotice: null,
    });
    for (const view of [viewOf(OUTSIDER.userId), result.channelRequest]) {
      expect(view).toMatchObject({
        audience: "public",
        caseLabel: `Dnr 108-${2000 + cases}/2017`,
        caseTitle: "Sekretess",
        summary: null,
        link: null,
        documentTitle: null,
        withheldNotice: SUMMARY_WITHHELD_NOTICE,
      });
    }
  });

  it("refuses invalid input field by field and stores nothing", async () => {
    const { caseId, social } = await referredCase();
    const result = await record({
      caseId,
      referralId: social,
      answeredOn: "2017-04-04",
      summary: "   ",
      link: "javascript:alert(1)",
    });
    expect(result.ok).toBe(false);
    if (result.ok || result.type !== "invalid") throw new Error("expected invalid");
    expect(result.errors.map((error) => [error.field, error.code])).toEqual([
      ["answeredOn", RESPONSE_ERRORS.answerDateInFuture],
      ["summary", RESPONSE_ERRORS.summaryRequired],
      ["link", RESPONSE_ERRORS.invalidLink],
    ]);
    expect(result.errors[0] && say(result.errors[0])).toBe(
      "4 april 2017 har inte varit än. Välj i dag (3 april 2017) eller ett tidigare datum.",
    );

    const more = await record({
      caseId,
      referralId: null,
      answeredOn: "2017-02-30",
      summary: "x".repeat(3001),
      link: "ftp://example.org/a",
    });
    if (more.ok || more.type !== "invalid") throw new Error("expected invalid");
    expect(more.errors.map((error) => error.code)).toEqual([
      RESPONSE_ERRORS.noReferral,
      RESPONSE_ERRORS.invalidAnswerDate,
      RESPONSE_ERRORS.summaryTooLong,
      RESPONSE_ERRORS.invalidLink,
    ]);
    const missingDate = await record({ caseId, referralId: social, answeredOn: null });
    if (missingDate.ok || missingDate.type !== "invalid") throw new Error("expected invalid");
    expect(missingDate.errors.map((error) => error.code)).toEqual([RESPONSE_ERRORS.invalidAnswerDate]);
    expect((await stored(social)).rows).toHaveLength(0);
  });

  it("refuses the wrong body's referral, a referral of another case, and someone without the role", async () => {
    const { caseId, social, brommaReferral } = await referredCase();
    const other = await referredCase();
    const wrongBody = await record({ caseId, referralId: brommaReferral });
    expect(worded(wrongBody)).toEqual({
      ok: false,
      type: "refused",
      code: RESPONSE_ERRORS.notAllowed,
      message: refusal("record_response", "Bromma stadsdelsnämnd"),
    });
    const approverOnly = await record({ caseId, referralId: social }, OUTSIDER);
    expect(approverOnly).toMatchObject({ ok: false, type: "refused", code: RESPONSE_ERRORS.notAllowed });
    const otherCase = await record({ caseId, referralId: other.social });
    if (otherCase.ok || otherCase.type !== "invalid") throw new Error("expected invalid");
    expect(otherCase.errors.map((error) => error.code)).toEqual([RESPONSE_ERRORS.unknownReferral]);
    for (const referralId of [social, brommaReferral, other.social]) {
      expect((await stored(referralId)).rows).toHaveLength(0);
    }
  });

  it("refuses a referral that is no longer open", async () => {
    const { caseId, social } = await referredCase();
    await database.db.update(referrals).set({ state: "withdrawn" }).where(eq(referrals.id, social));
    const result = await record({ caseId, referralId: social });
    if (result.ok || result.type !== "invalid") throw new Error("expected invalid");
    expect(result.errors.map((error) => error.code)).toEqual([RESPONSE_ERRORS.referralClosed]);
  });

  it("a double submit, also concurrent, stores one pending response", async () => {
    const { caseId, social } = await referredCase();
    const results = await Promise.all([
      record({ caseId, referralId: social }),
      record({ caseId, referralId: social }),
      record({ caseId, referralId: social }),
    ]);
    expect(results.filter((result) => result.ok)).toHaveLength(1);
    for (const result of results.filter((candidate) => !candidate.ok)) {
      if (result.ok || result.type !== "invalid") throw new Error("expected invalid");
      expect(result.errors.map((error) => error.code)).toEqual([RESPONSE_ERRORS.alreadyPending]);
    }
    const again = await record({ caseId, referralId: social });
    expect(again).toMatchObject({ ok: false, type: "invalid" });
    const { rows, audit } = await stored(social);
    expect(rows).toHaveLength(1);
    expect(audit).toHaveLength(1);
  });
});

describe("listApprovers and recordApprovalMessages", () => {
  it("lists the body's godkännare only", async () => {
    expect((await listApprovers({ db: database.db, bodyId: socialnamnden })).sort()).toEqual(
      [APPROVER, OUTSIDER.userId].sort(),
    );
    expect(await listApprovers({ db: database.db, bodyId: bromma })).toEqual([]);
  });

  it("stores each posted copy once, with an audit event", async () => {
    const { caseId, social } = await referredCase();
    const result = await record({ caseId, referralId: social });
    if (!result.ok) throw new Error("expected ok");
    const messages = [
      { channelId: "D0GODK001", messageTs: "1700000000.000001", recipientSlackUserId: APPROVER },
      { channelId: "D0OUTSIDE", messageTs: "1700000000.000002", recipientSlackUserId: OUTSIDER.userId },
      { channelId: "C0SOCIAL", messageTs: "1700000000.000003", recipientSlackUserId: null },
    ];
    const ctx = createContext({ db: database.db, clock, actor: OFFICER });
    const args = { responseId: result.responseId, messages };
    expect(await recordApprovalMessages(ctx, args)).toEqual({ stored: 3 });
    expect(await recordApprovalMessages(ctx, args)).toEqual({ stored: 0 });
    const rows = await database.db
      .select()
      .from(approvalMessages)
      .where(eq(approvalMessages.responseId, result.responseId));
    // Whose each direct message is, so a decision can update each copy for its reader.
    expect(rows.map((row) => [row.channelId, row.recipientSlackUserId]).sort()).toEqual([
      ["C0SOCIAL", null],
      ["D0GODK001", APPROVER],
      ["D0OUTSIDE", OUTSIDER.userId],
    ]);
    const audit = await database.db
      .select()
      .from(auditEvents)
      .where(
        and(
          eq(auditEvents.action, "referral_response.approval_requested"),
          eq(auditEvents.entityId, String(result.responseId)),
        ),
      );
    expect(audit).toHaveLength(1);
  });
});
