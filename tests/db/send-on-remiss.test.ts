import { and, asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixedClock } from "../../src/clock.js";
import { auditEvents, deadlines, memberships, referrals } from "../../src/db/schema.js";
import { say } from "../../src/messages/sv.js";
import { prepareRemiss } from "../../src/modules/referrals/prepare-remiss.js";
import { type RemissRequest, sendOnRemiss } from "../../src/modules/referrals/send-on-remiss.js";
import { createContext, slackActor } from "../../src/modules/shared/context.js";
import { type SeedCase, Seeder } from "../support/seed-rows.js";
import { createTestDatabase, type TestDatabase } from "../support/test-database.js";
import { refusal, worded } from "../support/worded.js";

const REGISTRATOR = { type: "slack_user" as const, userId: "U0REG0001", name: "registrator" };
const ADMIN = { type: "slack_user" as const, userId: "U0ADMIN01", name: "admin" };
const OUTSIDER = { type: "slack_user" as const, userId: "U0OUTSIDE", name: "utomstående" };
const BROMMA_REGISTRATOR = { type: "slack_user" as const, userId: "U0REGBRO1", name: "brommaregistrator" };
const bootstrapAdmins = [ADMIN.userId];
// Monday 3 April 2017, 10:00 in Stockholm.
const clock = fixedClock("2017-04-03T08:00:00Z");

let database: TestDatabase;
let seed: Seeder;
let socialnamnden: number;
let bromma: number;
let kungsholmen: number;

beforeAll(async () => {
  database = await createTestDatabase();
  seed = new Seeder(database.db);
  socialnamnden = await seed.body("Socialnämnden", "board", "C0SOCIAL");
  bromma = await seed.body("Bromma stadsdelsnämnd", "district_board", "C0BROMMA");
  kungsholmen = await seed.body("Kungsholmens stadsdelsnämnd", "district_board");
  const grantedAt = new Date("2017-01-01T00:00:00Z");
  await database.db.insert(memberships).values([
    {
      slackUserId: REGISTRATOR.userId,
      bodyId: socialnamnden,
      role: "registrator",
      grantedBy: ADMIN.userId,
      grantedAt,
    },
    {
      slackUserId: BROMMA_REGISTRATOR.userId,
      bodyId: bromma,
      role: "registrator",
      grantedBy: ADMIN.userId,
      grantedAt,
    },
  ]);
});
afterAll(() => database.destroy());

let cases = 0;
/** A motion Socialnämnden is responsible for, unless told otherwise. */
async function newCase(seedCase: Partial<SeedCase> = {}): Promise<number> {
  cases += 1;
  return seed.case({
    dnr: `108-${1000 + cases}/2017`,
    kind: "motion",
    title: `Motion nummer ${cases}`,
    publicTitle: `Motion nummer ${cases}`,
    raisedOn: "2017-01-10",
    status: "in_progress",
    responsibleBody: "Socialnämnden",
    ...seedCase,
  });
}

const asUser = (userId: string) =>
  createContext({ db: database.db, clock, admins: bootstrapAdmins, actor: slackActor({ userId }) });
const send = (request: Partial<RemissRequest> & { caseId: number }, actor = REGISTRATOR) =>
  sendOnRemiss(createContext({ db: database.db, clock, admins: bootstrapAdmins, actor }), {
    request: { bodyIds: [socialnamnden, bromma], dueOn: "2017-04-28", message: null, ...request },
  });

async function written(caseId: number) {
  const rows = await database.db
    .select()
    .from(referrals)
    .where(eq(referrals.caseId, caseId))
    .orderBy(asc(referrals.id));
  const watches = await database.db.select().from(deadlines).where(eq(deadlines.caseId, caseId));
  const audit = await database.db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.action, "referral.sent"), eq(auditEvents.entityType, "referral")));
  const ids = new Set(rows.map((row) => String(row.id)));
  return { rows, watches, audit: audit.filter((event) => ids.has(event.entityId)) };
}

describe("sendOnRemiss", () => {
  it("creates one open referral per body, a referral_due deadline each and an audit event each", async () => {
    const caseId = await newCase();
    const result = await send({ caseId, message: "Yttrandet ska senast vara inlämnat 28 april 2017." });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.referrals.map((referral) => referral.body.name).sort()).toEqual([
      "Bromma stadsdelsnämnd",
      "Socialnämnden",
    ]);
    expect(result.referrals.find((referral) => referral.body.id === bromma)?.body.slackChannelId).toBe(
      "C0BROMMA",
    );
    expect(result.caseLabel).toBe(`Dnr 108-${1000 + cases}/2017`);
    // The card for the answering bodies' channels: an open case in full, with its new remisser.
    expect(result.channelCard).toMatchObject({
      audience: "full",
      heading: expect.stringContaining("Motion nummer"),
    });
    expect(result.channelCard?.referrals).toHaveLength(2);

    const { rows, watches, audit } = await written(caseId);
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      expect(row).toMatchObject({
        state: "open",
        sentOn: "2017-04-03",
        dueOn: "2017-04-28",
        dueStatement: "Yttrandet ska senast vara inlämnat 28 april 2017.",
      });
    }
    expect(watches.map((watch) => [watch.referralId, watch.kind, watch.dueOn, watch.state]).sort()).toEqual(
      rows.map((row) => [row.id, "referral_due", "2017-04-28", "open"]).sort(),
    );
    expect(audit).toHaveLength(2);
    for (const event of audit) {
      expect(event).toMatchObject({
        actorType: "slack_user",
        actorId: REGISTRATOR.userId,
        actorName: "registrator",
      });
      expect(event.changes).toMatchObject({ case_id: caseId, sent_on: "2017-04-03", due_on: "2017-04-28" });
      expect(event.occurredAt.toISOString()).toBe("2017-04-03T08:00:00.000Z");
    }
  });

  it("states the due date itself when no message is given, and lets an ARENDE_ADMINS admin send", async () => {
    const caseId = await newCase();
    const result = await send({ caseId, bodyIds: [kungsholmen] }, ADMIN);
    expect(result.ok).toBe(true);
    const { rows } = await written(caseId);
    expect(rows.map((row) => row.dueStatement)).toEqual(["Svar senast 28 april 2017"]);
  });

  it("refuses someone who is registrator nowhere and no admin, writing nothing", async () => {
    const caseId = await newCase();
    const result = await send({ caseId }, OUTSIDER);
    expect(worded(result)).toEqual({
      ok: false,
      type: "refused",
      code: "referrals.not_allowed",
      message: refusal("send_on_remiss"),
    });
    const { rows, watches, audit } = await written(caseId);
    expect([rows.length, watches.length, audit.length]).toEqual([0, 0, 0]);
  });

  it("refuses a registrator of another body than the case's responsible one, also on a forged submission, writing nothing", async () => {
    const caseId = await newCase();
    const form = await prepareRemiss(asUser(BROMMA_REGISTRATOR.userId), {
      query: `Dnr 108-${1000 + cases}/2017`,
    });
    const refused = {
      code: "referrals.not_allowed",
      message: refusal("send_on_remiss", "Socialnämnden"),
    };
    expect(worded(form)).toEqual({ type: "refused", ...refused });
    expect(refused.message).toContain("Bara registratorer för Socialnämnden");
    // The form's submission forged with the case id: refused by the use case all the same.
    expect(worded(await send({ caseId, bodyIds: [bromma] }, BROMMA_REGISTRATOR))).toEqual({
      ok: false,
      type: "refused",
      ...refused,
    });
    const { rows, watches, audit } = await written(caseId);
    expect([rows.length, watches.length, audit.length]).toEqual([0, 0, 0]);
  });

  it("a case without a responsible body may be sent by an admin only", async () => {
    const caseId = await newCase({ responsibleBody: undefined });
    expect(worded(await send({ caseId, bodyIds: [bromma] }))).toMatchObject({
      ok: false,
      type: "refused",
      message: refusal("send_on_remiss"),
    });
    expect((await written(caseId)).rows).toHaveLength(0);
    expect((await send({ caseId, bodyIds: [bromma] }, ADMIN)).ok).toBe(true);
  });

  it("a restricted case goes to the answering bodies' channels with its public data only", async () => {
    const caseId = await newCase({
      title: "Utredning om ett barn med skyddad identitet",
      publicTitle: "Sekretess",
      restricted: true,
      summary: "Barnet har placerats hos en jourfamilj.",
    });
    const result = await send({ caseId, bodyIds: [bromma] });
    if (!result.ok) throw new Error(`expected ok, got ${result.type}`);
    const card = JSON.stringify(result.channelCard);
    expect(result.channelCard?.audience).toBe("public");
    expect(card).toContain("Sekretess");
    expect(card).not.toContain("skyddad identitet");
    expect(card).not.toContain("jourfamilj");
  });

  it("refuses a due date in the past (Stockholm's today is allowed), no bodies and a too long message", async () => {
    const caseId = await newCase();
    const result = await send({ caseId, bodyIds: [], dueOn: "2017-04-02", message: "x".repeat(1001) });
    expect(result.ok).toBe(false);
    if (result.ok || result.type !== "invalid") throw new Error("expected field errors");
    expect(result.errors.map((error) => [error.field, error.code])).toEqual([
      ["bodies", "referrals.no_bodies"],
      ["dueOn", "referrals.due_in_past"],
      ["message", "referrals.message_too_long"],
    ]);
    expect(result.errors[1] && say(result.errors[1])).toContain("2 april 2017");
    // 00:30 on 4 April in Stockholm is still 3 April in UTC: "today" is Stockholm's.
    const lateEvening = await sendOnRemiss(
      createContext({
        db: database.db,
        clock: fixedClock("2017-04-03T22:30:00Z"),
        admins: bootstrapAdmins,
        actor: REGISTRATOR,
      }),
      {
        request: { caseId, bodyIds: [bromma], dueOn: "2017-04-03", message: null },
      },
    );
    expect(lateEvening.ok).toBe(false);
    const today = await send({ caseId, bodyIds: [bromma], dueOn: "2017-04-03" });
    expect(today.ok).toBe(true);
  });

  it("refuses a body that already has an open remiss on the case, and writes nothing for the others", async () => {
    const caseId = await newCase();
    expect((await send({ caseId, bodyIds: [bromma] })).ok).toBe(true);
    const result = await send({ caseId, bodyIds: [socialnamnden, bromma] });
    expect(result.ok).toBe(false);
    if (result.ok || result.type !== "invalid") throw new Error("expected field errors");
    expect(worded(result.errors)).toEqual([
      {
        field: "bodies",
        code: "referrals.already_open",
        message: "Bromma stadsdelsnämnd har redan en öppen remiss i ärendet. Ta bort den ur urvalet.",
      },
    ]);
    const { rows, audit } = await written(caseId);
    expect(rows.map((row) => row.bodyId)).toEqual([bromma]);
    expect(audit).toHaveLength(1);
  });

  it("asks to confirm a due date on a non-working day, and keeps it verbatim once confirmed", async () => {
    const caseId = await newCase();
    const first = await send({ caseId, dueOn: "2017-04-29" });
    expect(first).toEqual({
      ok: false,
      type: "confirm_due_date",
      code: "referrals.due_on_non_working_day",
      dueOn: "2017-04-29",
      warning: "svarsdatumet infaller på en lördag",
    });
    expect((await written(caseId)).rows).toHaveLength(0);
    const confirmed = await send({ caseId, dueOn: "2017-04-29", confirmedDueOn: "2017-04-29" });
    expect(confirmed.ok && confirmed.dueDateWarning).toBe("svarsdatumet infaller på en lördag");
    const { rows, watches } = await written(caseId);
    expect(rows.map((row) => row.dueOn)).toEqual(["2017-04-29", "2017-04-29"]);
    expect(watches.map((watch) => watch.dueOn)).toEqual(["2017-04-29", "2017-04-29"]);
  });

  it("concurrent submits of the same remiss create one set of referrals; the other writes nothing", async () => {
    const caseId = await newCase();
    const results = await Promise.all([send({ caseId }), send({ caseId }), send({ caseId })]);
    expect(results.filter((result) => result.ok)).toHaveLength(1);
    for (const result of results.filter((candidate) => !candidate.ok)) {
      expect(result).toMatchObject({
        ok: false,
        type: "invalid",
        errors: [{ field: "bodies", code: "referrals.already_open" }],
      });
    }
    const { rows, watches, audit } = await written(caseId);
    expect([rows.length, watches.length, audit.length]).toEqual([2, 2, 2]);
  });

  it("answers an unknown case and unknown bodies without writing", async () => {
    expect(await send({ caseId: 987654 })).toMatchObject({ ok: false, type: "case_not_found" });
    const caseId = await newCase();
    const result = await send({ caseId, bodyIds: [socialnamnden, 987654] });
    expect(result).toMatchObject({
      ok: false,
      type: "invalid",
      errors: [{ code: "referrals.unknown_body" }],
    });
    expect((await written(caseId)).rows).toHaveLength(0);
  });
});

describe("prepareRemiss", () => {
  it("names the case and marks bodies that already have an open remiss; refuses an outsider", async () => {
    const caseId = await newCase();
    await send({ caseId, bodyIds: [bromma] });
    const form = await prepareRemiss(asUser(REGISTRATOR.userId), { query: `Dnr 108-${1000 + cases}/2017` });
    expect(form).toMatchObject({ type: "ready", caseId, label: `Dnr 108-${1000 + cases}/2017` });
    if (form.type !== "ready") return;
    expect(form.bodies.find((body) => body.id === bromma)?.hasOpenRemiss).toBe(true);
    expect(form.bodies.find((body) => body.id === socialnamnden)?.hasOpenRemiss).toBe(false);

    const refused = await prepareRemiss(asUser(OUTSIDER.userId), { query: "Dnr 108-1001/2017" });
    expect(worded(refused)).toEqual({
      type: "refused",
      code: "referrals.not_allowed",
      message: refusal("send_on_remiss"),
    });
    const unknown = await prepareRemiss(asUser(ADMIN.userId), { query: "Dnr 999-1/2017" });
    expect(unknown).toMatchObject({ type: "lookup", result: { type: "not_found" } });
  });
});
