import { asc, eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixedClock } from "../../src/clock.js";
import {
  approvalMessages,
  auditEvents,
  deadlines,
  memberships,
  referralResponses,
  referrals,
} from "../../src/db/schema.js";
import { findCaseStatus } from "../../src/modules/cases/get-case-status.js";
import { buildDigest } from "../../src/modules/digests/build-digest.js";
import { ALL_CASES } from "../../src/modules/digests/digest.js";
import { approveResponse } from "../../src/modules/responses/approve-response.js";
import { RESPONSE_ERRORS } from "../../src/modules/responses/errors.js";
import { prepareRejection, rejectResponse } from "../../src/modules/responses/reject-response.js";
import { createContext, slackActor } from "../../src/modules/shared/context.js";
import { Seeder } from "../support/seed-rows.js";
import { createTestDatabase, type TestDatabase } from "../support/test-database.js";

const APPROVER = { type: "slack_user" as const, userId: "U0GODK001", name: "godkannare" };
const SECOND_APPROVER = { type: "slack_user" as const, userId: "U0GODK002", name: "godkannare2" };
const BROMMA_APPROVER = { type: "slack_user" as const, userId: "U0GODKBRO", name: "brommagodk" };
const OFFICER = { type: "slack_user" as const, userId: "U0HANDL01", name: "handlaggare" };
const ADMIN = { type: "slack_user" as const, userId: "U0ADMIN01", name: "admin" };
const SUBMITTER = "U0HANDL01";
const bootstrapAdmins = [ADMIN.userId];
// Monday 3 April 2017, 10:00 in Stockholm.
const clock = fixedClock("2017-04-03T08:00:00Z");
const TODAY = "2017-04-03";

let database: TestDatabase;
let seed: Seeder;
let socialnamnden: number;
let bromma: number;

beforeAll(async () => {
  database = await createTestDatabase();
  seed = new Seeder(database.db);
  socialnamnden = await seed.body("Socialnämnden", "board", "C0SOCIAL");
  bromma = await seed.body("Bromma stadsdelsnämnd", "district_board", "C0BROMMA");
  const kommunstyrelsen = await seed.body("Kommunstyrelsen", "board", "C0KS");
  const grant = (slackUserId: string, bodyId: number, role: "godkannare" | "handlaggare") => ({
    slackUserId,
    bodyId,
    role,
    grantedBy: ADMIN.userId,
    grantedAt: new Date("2017-01-01T00:00:00Z"),
  });
  await database.db.insert(memberships).values([
    grant(APPROVER.userId, socialnamnden, "godkannare"),
    grant(SECOND_APPROVER.userId, socialnamnden, "godkannare"),
    grant(BROMMA_APPROVER.userId, bromma, "godkannare"),
    grant(OFFICER.userId, socialnamnden, "handlaggare"),
    // A role for the responsible body entitles SECOND_APPROVER to its restricted cases.
    grant(SECOND_APPROVER.userId, kommunstyrelsen, "handlaggare"),
  ]);
});
afterAll(() => database.destroy());

let cases = 0;
/**
 * A case with an overdue remiss to `body` (due Friday 31 March 2017, watched by a referral_due
 * deadline) and a recorded response awaiting approval, posted as an approval request in one channel.
 */
async function pendingResponse(
  body = "Socialnämnden",
  kind: "answer" | "declined" = "answer",
  restricted = false,
) {
  cases += 1;
  const dnr = `108-${2000 + cases}/2017`;
  const caseId = await seed.case({
    dnr,
    kind: "skrivelse",
    title: restricted ? `Hemlig skrivelse ${cases}` : `Skrivelse ${cases}`,
    publicTitle: restricted ? "Sekretess" : `Skrivelse ${cases}`,
    restricted,
    responsibleBody: "Kommunstyrelsen",
    status: "in_progress",
    referrals: [
      {
        body,
        sentOn: "2017-03-01",
        dueOn: "2017-03-31",
        dueStatement: "ska senast vara inlämnad 31 mars 2017",
        state: "open",
        responses: [
          {
            kind,
            documentTitle: "Tjänsteutlåtande",
            summary: "Motionen kan anses besvarad.",
            answeredOn: "2017-03-22",
            submittedByName: "handlaggare",
            submittedBySlackUserId: SUBMITTER,
            approvalState: "pending",
          },
        ],
      },
    ],
  });
  const [referral] = await database.db.select().from(referrals).where(eq(referrals.caseId, caseId));
  if (!referral) throw new Error("no referral");
  const [deadline] = await database.db
    .insert(deadlines)
    .values({
      caseId,
      referralId: referral.id,
      kind: "referral_due",
      dueOn: "2017-03-31",
      basis: "Remissens svarsdatum",
      state: "open",
    })
    .returning({ id: deadlines.id });
  const [response] = await database.db
    .select()
    .from(referralResponses)
    .where(eq(referralResponses.referralId, referral.id));
  if (!response || !deadline) throw new Error("no response");
  await database.db
    .insert(approvalMessages)
    .values({ responseId: response.id, channelId: "C0SOCIAL", messageTs: `1700000100.${cases}` });
  return { caseId, dnr, referralId: referral.id, deadlineId: deadline.id, responseId: response.id };
}

async function snapshot(ids: { referralId: number; deadlineId: number; responseId: number }) {
  const [response] = await database.db
    .select()
    .from(referralResponses)
    .where(eq(referralResponses.id, ids.responseId));
  const [referral] = await database.db.select().from(referrals).where(eq(referrals.id, ids.referralId));
  const [deadline] = await database.db.select().from(deadlines).where(eq(deadlines.id, ids.deadlineId));
  const audit = await database.db
    .select()
    .from(auditEvents)
    .where(
      inArray(auditEvents.entityId, [String(ids.responseId), String(ids.referralId), String(ids.deadlineId)]),
    )
    .orderBy(asc(auditEvents.id));
  return {
    response,
    referral,
    deadline,
    audit: audit.filter((event) =>
      [
        ["referral_response", ids.responseId],
        ["referral", ids.referralId],
        ["deadline", ids.deadlineId],
      ].some(([type, id]) => event.entityType === type && event.entityId === String(id)),
    ),
  };
}

const asUser = (userId: string) =>
  createContext({ db: database.db, clock, admins: bootstrapAdmins, actor: slackActor({ userId }) });
const approve = (responseId: number, actor = APPROVER) =>
  approveResponse(createContext({ db: database.db, clock, admins: bootstrapAdmins, actor }), { responseId });
const reject = (responseId: number, reason: string, actor = APPROVER) =>
  rejectResponse(createContext({ db: database.db, clock, admins: bootstrapAdmins, actor }), {
    responseId,
    reason,
  });

describe("Godkänn", () => {
  it("approves the response, answers the referral on its date, meets its deadline and audits it all", async () => {
    const ids = await pendingResponse();
    const result = await approve(ids.responseId);
    expect(result).toMatchObject({
      ok: true,
      decision: { state: "approved", bySlackUserId: APPROVER.userId, reason: null },
      referral: { id: ids.referralId, state: "answered", answeredOn: "2017-03-22" },
      deadlineIds: [ids.deadlineId],
      subject: {
        responseId: ids.responseId,
        caseLabel: `Dnr ${ids.dnr}`,
        bodyName: "Socialnämnden",
        submitter: { slackUserId: SUBMITTER, view: { audience: "full" } },
        responsibleChannel: { channelId: "C0KS", view: { audience: "full" } },
        copies: [
          {
            channelId: "C0SOCIAL",
            messageTs: expect.any(String),
            view: { audience: "full", summary: "Motionen kan anses besvarad." },
          },
        ],
      },
    });
    const after = await snapshot(ids);
    expect(after.response).toMatchObject({
      approvalState: "approved",
      decidedBySlackUserId: APPROVER.userId,
      decidedByName: APPROVER.name,
      decidedAt: new Date("2017-04-03T08:00:00Z"),
      decisionReason: null,
    });
    expect(after.referral).toMatchObject({ state: "answered", answeredOn: "2017-03-22" });
    expect(after.deadline).toMatchObject({ state: "met", metOn: "2017-03-22" });
    expect(after.audit.map((event) => [event.action, event.actorId, event.actorType])).toEqual([
      ["referral_response.approved", APPROVER.userId, "slack_user"],
      ["referral.answered", APPROVER.userId, "slack_user"],
      ["deadline.met", APPROVER.userId, "slack_user"],
    ]);
    expect(new Set(after.audit.map((event) => event.occurredAt.toISOString()))).toEqual(
      new Set(["2017-04-03T08:00:00.000Z"]),
    );
  });

  it("shows at once in /arende status (answered) and in the digest (no longer overdue)", async () => {
    const ids = await pendingResponse();
    const before = await buildDigest({ db: database.db, today: TODAY, filter: ALL_CASES });
    const listed = (digest: typeof before) =>
      digest.groups.flatMap((group) => group.items).some((item) => item.caseId === ids.caseId);
    expect(listed(before)).toBe(true);

    expect((await approve(ids.responseId)).ok).toBe(true);

    const status = await findCaseStatus({ db: database.db, query: `Dnr ${ids.dnr}` });
    if (status.type !== "found") throw new Error(`status: ${status.type}`);
    const [details] = status.cases;
    expect(details?.referrals).toMatchObject([
      { state: "answered", answeredOn: "2017-03-22", responses: [{ approvalState: "approved" }] },
    ]);
    // The case's own status is left alone; the stage sentence derives from the referrals.
    expect(details?.status).toBe("in_progress");
    const after = await buildDigest({ db: database.db, today: TODAY, filter: ALL_CASES });
    expect(listed(after)).toBe(false);
  });

  it("a response declining to answer closes the referral as declined", async () => {
    const ids = await pendingResponse("Socialnämnden", "declined");
    expect(await approve(ids.responseId)).toMatchObject({ ok: true, referral: { state: "declined" } });
    const after = await snapshot(ids);
    expect(after.referral).toMatchObject({ state: "declined", answeredOn: "2017-03-22" });
    expect(after.deadline).toMatchObject({ state: "met", metOn: "2017-03-22" });
    expect(after.audit.map((event) => event.action)).toContain("referral.declined");
  });

  it("two approvals at once: exactly one approves, the other is told who decided first", async () => {
    const ids = await pendingResponse();
    const results = await Promise.all([approve(ids.responseId), approve(ids.responseId, SECOND_APPROVER)]);
    const won = results.filter((result) => result.ok);
    const lost = results.filter((result) => !result.ok);
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    const winner = won[0]?.ok ? won[0].decision.bySlackUserId : null;
    expect(lost[0]).toMatchObject({
      ok: false,
      type: "already_decided",
      code: RESPONSE_ERRORS.alreadyDecided,
      decision: { state: "approved", bySlackUserId: winner, at: new Date("2017-04-03T08:00:00Z") },
    });
    const after = await snapshot(ids);
    expect(after.response?.decidedBySlackUserId).toBe(winner);
    expect(after.audit.filter((event) => event.action === "referral_response.approved")).toHaveLength(1);
    expect(after.audit.filter((event) => event.action === "deadline.met")).toHaveLength(1);
  });

  it("after a rejection, an approval from an old message changes nothing", async () => {
    const ids = await pendingResponse();
    expect((await reject(ids.responseId, "Yttrandet saknar beslutsförslag.")).ok).toBe(true);
    const before = await snapshot(ids);
    const result = await approve(ids.responseId, SECOND_APPROVER);
    expect(result).toMatchObject({
      ok: false,
      code: RESPONSE_ERRORS.alreadyDecided,
      decision: {
        state: "rejected",
        bySlackUserId: APPROVER.userId,
        reason: "Yttrandet saknar beslutsförslag.",
      },
    });
    expect(await snapshot(ids)).toEqual(before);
  });

  it("refuses a handläggare, another body's godkännare and an admin; nothing changes", async () => {
    const ids = await pendingResponse();
    const before = await snapshot(ids);
    for (const actor of [OFFICER, BROMMA_APPROVER, ADMIN]) {
      expect(await approve(ids.responseId, actor)).toEqual({
        ok: false,
        type: "refused",
        code: RESPONSE_ERRORS.approvalNotAllowed,
        params: { body: "Socialnämnden" },
      });
      expect(await reject(ids.responseId, "Nej.", actor)).toMatchObject({
        code: RESPONSE_ERRORS.approvalNotAllowed,
      });
    }
    expect(await snapshot(ids)).toEqual(before);
    expect(before.response?.approvalState).toBe("pending");
  });

  it("a forged id naming another body's response is refused; an unknown one is not found", async () => {
    const brommas = await pendingResponse("Bromma stadsdelsnämnd");
    const before = await snapshot(brommas);
    expect(await approve(brommas.responseId)).toMatchObject({
      ok: false,
      code: RESPONSE_ERRORS.approvalNotAllowed,
    });
    expect(await snapshot(brommas)).toEqual(before);
    expect(await approve(999_999)).toMatchObject({ ok: false, code: RESPONSE_ERRORS.notFound });
  });

  it("a referral no longer open (withdrawn) cannot be answered by an old request: nothing changes", async () => {
    const ids = await pendingResponse();
    await database.db.update(referrals).set({ state: "withdrawn" }).where(eq(referrals.id, ids.referralId));
    const before = await snapshot(ids);
    expect(await approve(ids.responseId)).toMatchObject({
      ok: false,
      type: "expired",
      code: RESPONSE_ERRORS.expired,
    });
    expect(await snapshot(ids)).toEqual(before);
  });
});

describe("Avslå", () => {
  it("rejects with the reason and keeps the referral and its deadline open", async () => {
    const ids = await pendingResponse();
    const result = await reject(ids.responseId, "  Yttrandet saknar beslutsförslag.  ");
    expect(result).toMatchObject({
      ok: true,
      decision: {
        state: "rejected",
        bySlackUserId: APPROVER.userId,
        reason: "Yttrandet saknar beslutsförslag.",
      },
    });
    const after = await snapshot(ids);
    expect(after.response).toMatchObject({
      approvalState: "rejected",
      decidedBySlackUserId: APPROVER.userId,
      decisionReason: "Yttrandet saknar beslutsförslag.",
    });
    expect(after.referral).toMatchObject({ state: "open", answeredOn: null });
    expect(after.deadline).toMatchObject({ state: "open", metOn: null });
    expect(after.audit.map((event) => [event.action, event.actorId, event.changes.decision_reason])).toEqual([
      ["referral_response.rejected", APPROVER.userId, "Yttrandet saknar beslutsförslag."],
    ]);
  });

  it("requires a reason, bounded; nothing changes without one", async () => {
    const ids = await pendingResponse();
    const before = await snapshot(ids);
    expect(await reject(ids.responseId, "   ")).toMatchObject({
      ok: false,
      code: RESPONSE_ERRORS.reasonRequired,
    });
    expect(await reject(ids.responseId, "x".repeat(1001))).toMatchObject({
      ok: false,
      code: RESPONSE_ERRORS.reasonTooLong,
    });
    expect(await snapshot(ids)).toEqual(before);
  });

  it("a restricted case: each reader of the decision gets the view the audience rule gives them", async () => {
    const ids = await pendingResponse("Socialnämnden", "answer", true);
    // The copy in SECOND_APPROVER's direct message; SECOND_APPROVER also works for Kommunstyrelsen.
    await database.db.insert(approvalMessages).values([
      {
        responseId: ids.responseId,
        channelId: "D0GODK002",
        messageTs: "1700000900.1",
        recipientSlackUserId: SECOND_APPROVER.userId,
      },
      {
        responseId: ids.responseId,
        channelId: "D0GODK001",
        messageTs: "1700000900.2",
        recipientSlackUserId: APPROVER.userId,
      },
    ]);
    const form = await prepareRejection(asUser(APPROVER.userId), { responseId: ids.responseId });
    expect(form).toMatchObject({
      ok: true,
      view: { audience: "public", caseTitle: "Sekretess", summary: null },
    });
    const entitledForm = await prepareRejection(asUser(SECOND_APPROVER.userId), {
      responseId: ids.responseId,
    });
    expect(entitledForm).toMatchObject({
      ok: true,
      view: { audience: "full", caseTitle: `Hemlig skrivelse ${cases}` },
    });

    const result = await approve(ids.responseId);
    if (!result.ok) throw new Error(`expected ok, got ${result.type}`);
    const audiences = result.subject.copies.map((copy) => [
      copy.channelId,
      copy.view.audience,
      copy.view.summary,
    ]);
    expect(audiences).toEqual([
      ["C0SOCIAL", "public", null],
      ["D0GODK002", "full", "Motionen kan anses besvarad."],
      ["D0GODK001", "public", null],
    ]);
    // The submitter is a handläggare of the answering body only; the responsible channel is a channel.
    expect(result.subject.submitter?.view).toMatchObject({ audience: "public", caseTitle: "Sekretess" });
    expect(result.subject.responsibleChannel?.view).toMatchObject({
      audience: "public",
      caseTitle: "Sekretess",
    });
    expect(result.subject.unrecordedCopy).toMatchObject({ audience: "public", summary: null });
  });

  it("prepareRejection checks the right and that the request is still pending", async () => {
    const ids = await pendingResponse();
    const check = (slackUserId: string) =>
      prepareRejection(asUser(slackUserId), { responseId: ids.responseId });
    expect(await check(APPROVER.userId)).toMatchObject({
      ok: true,
      view: { responseId: ids.responseId, summary: "Motionen kan anses besvarad." },
    });
    expect(await check(BROMMA_APPROVER.userId)).toMatchObject({
      ok: false,
      code: RESPONSE_ERRORS.approvalNotAllowed,
    });
    await approve(ids.responseId);
    expect(await check(SECOND_APPROVER.userId)).toMatchObject({
      ok: false,
      code: RESPONSE_ERRORS.alreadyDecided,
      decision: { state: "approved", bySlackUserId: APPROVER.userId },
    });
  });

  it("a rejection racing an approval: one outcome", async () => {
    const ids = await pendingResponse();
    const results = await Promise.all([
      approve(ids.responseId),
      reject(ids.responseId, "Nej.", SECOND_APPROVER),
    ]);
    expect(results.filter((result) => result.ok)).toHaveLength(1);
    expect(results.filter((result) => !result.ok && result.type === "already_decided")).toHaveLength(1);
    const after = await snapshot(ids);
    expect(after.referral?.state).toBe(after.response?.approvalState === "approved" ? "answered" : "open");
  });
});
