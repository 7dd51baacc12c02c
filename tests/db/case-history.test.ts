import { readFile } from "node:fs/promises";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixedClock } from "../../src/clock.js";
import { bodies, cases, referralResponses, referrals } from "../../src/db/schema.js";
import { type AuditEntry, recordAudit } from "../../src/modules/audit/audit.repository.js";
import { getCaseById } from "../../src/modules/cases/get-case-status.js";
import { type CaseHistory, getCaseHistory } from "../../src/modules/history/get-case-history.js";
import { presentHistory } from "../../src/modules/history/present-history.js";
import { importRegistry } from "../../src/modules/import/import-registry.js";
import { jsonSource } from "../../src/modules/import/read-import-file.js";
import type { Actor } from "../../src/modules/shared/actor.js";
import { createContext, slackActor } from "../../src/modules/shared/context.js";
import { richAsText } from "../../src/modules/shared/rich-text.js";
import { Seeder } from "../support/seed-rows.js";
import { createTestDatabase, type TestDatabase } from "../support/test-database.js";

const DEMO = new URL("../../db/seed/demo.json", import.meta.url).pathname;
const OFFICER = "U0HANDL01";
const APPROVER = "U0GODK001";
const OUTSIDER = "U0OUTSIDE";
const ADMIN = "U0ADMIN01";
const SECRET_TITLE = "Orosanmälan gällande barn på Drottninggatan 5";

let database: TestDatabase;
let seed: Seeder;
/** A case with a remiss and a response, its events written at known times; and a neighbour. */
let subject: { caseId: number; referralId: number; responseId: number; deadlineId: number };
let neighbour: { caseId: number; referralId: number };
let secretCaseId: number;

const at = (time: string) => new Date(`2017-04-03T${time}:00+02:00`);
const slack = (userId: string): Actor => ({ type: "slack_user", userId });

async function audit(actor: Actor, time: string, entries: AuditEntry[]) {
  await database.db.transaction((tx) => recordAudit(tx, { actor, at: at(time), entries }));
}

beforeAll(async () => {
  database = await createTestDatabase();
  seed = new Seeder(database.db);
  const socialnamnden = await seed.body("Socialnämnden", "board");
  await seed.body("Kommunstyrelsen", "board");
  const caseId = await seed.case({
    dnr: "108-3001/2017",
    kind: "skrivelse",
    title: "Historikens ärende",
    publicTitle: "Historikens ärende",
    status: "in_progress",
    responsibleBody: "Kommunstyrelsen",
    referrals: [
      {
        body: "Socialnämnden",
        sentOn: "2017-03-01",
        dueOn: "2017-03-31",
        state: "answered",
        answeredOn: "2017-03-22",
        responses: [
          {
            summary: "Nämnden tillstyrker.",
            answeredOn: "2017-03-22",
            approvalState: "approved",
            decidedBySlackUserId: APPROVER,
            decidedByName: "godk",
            decidedAt: at("14:05"),
          },
        ],
      },
    ],
  });
  const [referral] = await database.db.select().from(referrals).where(eq(referrals.caseId, caseId));
  const [response] = await database.db
    .select()
    .from(referralResponses)
    .where(eq(referralResponses.referralId, referral?.id ?? 0));
  const deadlineId = await seed.deadline({
    caseId,
    referralBody: "Socialnämnden",
    kind: "referral_due",
    dueOn: "2017-03-31",
    basis: "Remissen",
  });
  if (!referral || !response) throw new Error("seed failed");
  subject = { caseId, referralId: referral.id, responseId: response.id, deadlineId };

  const otherId = await seed.case({
    dnr: "108-3002/2017",
    kind: "skrivelse",
    title: "Grannens ärende",
    publicTitle: "Grannens ärende",
    referrals: [{ body: "Socialnämnden", dueOn: "2017-04-30", state: "open" }],
  });
  const [otherReferral] = await database.db.select().from(referrals).where(eq(referrals.caseId, otherId));
  neighbour = { caseId: otherId, referralId: otherReferral?.id ?? 0 };

  secretCaseId = await seed.case({
    dnr: "108-2001/2017",
    kind: "other",
    title: SECRET_TITLE,
    publicTitle: "Sekretess",
    restricted: true,
    officerSlackUserId: OFFICER,
    responsibleBody: "Socialnämnden",
  });
  await seed.roles([{ user: APPROVER, role: "godkannare", body: socialnamnden, grantedBy: ADMIN }]);

  // The subject's events, written out of order: the history orders them by time, then by id.
  await audit(slack("U0REG0001"), "09:30", [
    {
      action: "referral.sent",
      entityType: "referral",
      entityId: subject.referralId,
      changes: { case_id: caseId, due_on: "2017-03-31", due_statement: "Svar senast 31 mars 2017" },
    },
  ]);
  await audit(slack(APPROVER), "14:05", [
    {
      action: "referral_response.approved",
      entityType: "referral_response",
      entityId: subject.responseId,
      changes: { referral_id: subject.referralId, approval_state: "approved", from: "pending" },
    },
    {
      action: "referral.answered",
      entityType: "referral",
      entityId: subject.referralId,
      changes: { case_id: caseId, answered_on: "2017-03-22", state: "answered", from: "open" },
    },
    {
      action: "deadline.met",
      entityType: "deadline",
      entityId: subject.deadlineId,
      changes: { referral_id: subject.referralId, state: "met", met_on: "2017-03-22", from: "open" },
    },
  ]);
  await audit(slack(OFFICER), "10:00", [
    {
      action: "referral_response.submitted",
      entityType: "referral_response",
      entityId: subject.responseId,
      changes: {
        referral_id: subject.referralId,
        kind: "answer",
        summary: "Nämnden tillstyrker.",
        answered_on: "2017-03-22",
      },
    },
  ]);
  await audit({ type: "import", source: "demo.json" }, "09:00", [
    { action: "case.imported", entityType: "case", entityId: caseId, changes: {} },
  ]);
  // Not the subject's: another case, its referral, and things whose id happens to be the case's.
  await audit(slack("U0REG0001"), "11:00", [
    { action: "case.imported", entityType: "case", entityId: neighbour.caseId, changes: {} },
    { action: "referral.sent", entityType: "referral", entityId: neighbour.referralId, changes: {} },
    { action: "body.updated", entityType: "body", entityId: caseId, changes: {} },
    { action: "registry.updated", entityType: "registry", entityId: caseId, changes: {} },
    {
      action: "digest_subscription.created",
      entityType: "digest_subscription",
      entityId: caseId,
      changes: {},
    },
    { action: "deadline.met", entityType: "deadline", entityId: 987_654, changes: {} },
  ]);
});

afterAll(async () => {
  await database?.destroy();
});

function one(result: Awaited<ReturnType<typeof getCaseHistory>>): CaseHistory {
  if (result.type !== "found") throw new Error(`expected a history, got ${result.type}`);
  const [history] = result.histories;
  if (!history || result.histories.length !== 1) throw new Error("expected one history");
  return history;
}

const lines = (history: CaseHistory) =>
  presentHistory(history, { audience: "full" }).entries.map(
    (entry) => `${entry.when} ${richAsText(entry.text)}`,
  );

/** The terminal: trusted, it sees every case in full. */
const terminal = () =>
  createContext({
    db: database.db,
    clock: fixedClock("2017-04-03T07:00:00Z"),
    actor: { type: "cli", user: "drift" },
  });

describe("a case's history from the audit trail", () => {
  it("has the case's own events and those of its remisser, remissvar and deadlines, newest first", async () => {
    const history = one(await getCaseHistory(terminal(), { query: "Dnr 108-3001/2017" }));
    expect(history.total).toBe(6);
    expect(history.events.map((event) => [event.action, event.occurredAt.toISOString()])).toEqual([
      // One transaction, one time: the later insert is the newer event.
      ["deadline.met", at("14:05").toISOString()],
      ["referral.answered", at("14:05").toISOString()],
      ["referral_response.approved", at("14:05").toISOString()],
      ["referral_response.submitted", at("10:00").toISOString()],
      ["referral.sent", at("09:30").toISOString()],
      ["case.imported", at("09:00").toISOString()],
    ]);
    expect(lines(history)).toEqual([
      "3 apr. 2017 14:05 Tidsfristen för remissen till Socialnämnden uppfylld 22 mars 2017 (av U0GODK001)",
      "3 apr. 2017 14:05 Remissen till Socialnämnden besvarad 22 mars 2017 (av U0GODK001)",
      "3 apr. 2017 14:05 Godkänt av U0GODK001: remissvaret från Socialnämnden",
      "3 apr. 2017 10:00 Remissvar registrerat av U0HANDL01 för Socialnämnden, daterat 22 mars 2017",
      "3 apr. 2017 09:30 Remiss skickad till Socialnämnden av U0REG0001, svar senast 31 mars 2017",
      "3 apr. 2017 09:00 Ärendet importerat från demo.json",
    ]);
  });

  it("never shows another case's events, nor events of other kinds with the same id", async () => {
    const history = one(await getCaseHistory(terminal(), { caseId: subject.caseId }));
    expect(history.events.map((event) => event.entityType).sort()).toEqual(
      ["case", "deadline", "referral", "referral", "referral_response", "referral_response"].sort(),
    );
    const other = one(await getCaseHistory(terminal(), { caseId: neighbour.caseId }));
    expect(other.events.map((event) => [event.action, event.entityType])).toEqual([
      ["referral.sent", "referral"],
      ["case.imported", "case"],
    ]);
  });

  it("pages: a page at a time, the last page for one past the end", async () => {
    const page = (n: number) => getCaseHistory(terminal(), { caseId: subject.caseId, page: n, pageSize: 4 });
    const first = one(await page(1));
    expect([first.page, first.pages, first.total, first.events.length]).toEqual([1, 2, 6, 4]);
    const second = one(await page(2));
    expect(second.events.map((event) => event.action)).toEqual(["referral.sent", "case.imported"]);
    expect(presentHistory(second, { audience: "full" }).position).toBe(
      "Händelse 5–6 av 6, nyast först · sida 2 av 2",
    );
    expect(one(await page(99)).page).toBe(2);
    expect(one(await page(0)).page).toBe(1);
    expect(one(await page(Number.NaN)).page).toBe(1);
  });

  it("a case without events has an empty history of one page", async () => {
    const history = one(await getCaseHistory(terminal(), { caseId: secretCaseId }));
    expect([history.total, history.pages, history.events]).toEqual([0, 1, []]);
  });

  it("finds the case the way status does, and says when it cannot", async () => {
    expect((await getCaseHistory(terminal(), { query: "dnr 108-3001/2017" })).type).toBe("found");
    expect((await getCaseHistory(terminal(), { query: "Dnr 108-3009/2017" })).type).toBe("not_found");
    expect((await getCaseHistory(terminal(), { query: "hej" })).type).toBe("invalid");
    expect((await getCaseHistory(terminal(), { caseId: 987_654 })).type).toBe("gone");
  });
});

describe("who sees a restricted case's history in full", () => {
  const viewer = (userId: string) =>
    createContext({
      db: database.db,
      clock: fixedClock("2017-04-03T07:00:00Z"),
      admins: [ADMIN],
      actor: slackActor({ userId }),
    });
  const mayViewFull = async (who?: string) =>
    one(await getCaseHistory(who ? viewer(who) : terminal(), { query: "Dnr 108-2001/2017" })).mayViewFull;

  it("by the audience rule: the officer, an admin and the responsible body's people; the terminal sees all", async () => {
    expect(await mayViewFull(OFFICER)).toBe(true);
    expect(await mayViewFull(ADMIN)).toBe(true);
    expect(await mayViewFull(APPROVER)).toBe(true);
    expect(await mayViewFull(OUTSIDER)).toBe(false);
    expect(await mayViewFull()).toBe(true);
  });

  it("an open case is seen in full by anyone", async () => {
    const history = one(await getCaseHistory(viewer(OUTSIDER), { caseId: subject.caseId }));
    expect(history.mayViewFull).toBe(true);
  });
});

describe("the demo registry, imported and corrected", () => {
  it("tells the import and a corrected title in Swedish, and the card knows who approved", async () => {
    const demo = await readFile(DEMO, "utf8");
    await importRegistry(
      {
        db: database.db,
        actor: { type: "import", source: "demo.json" },
        clock: fixedClock("2017-04-03T07:00:00Z"),
      },
      {
        source: jsonSource(demo, "demo.json"),
      },
    );
    const corrected = demo.replace(
      '"title": "Bristerna inom socialtjänsten"',
      '"title": "Brister i socialtjänsten"',
    );
    await importRegistry(
      {
        db: database.db,
        actor: { type: "import", source: "rattelse.json" },
        clock: fixedClock("2017-04-04T07:00:00Z"),
      },
      {
        source: jsonSource(corrected, "rattelse.json"),
      },
    );
    const history = one(await getCaseHistory(terminal(), { query: "Dnr 108-1642/2017" }));
    const shown = lines(history);
    expect(shown[0]).toBe(
      "4 apr. 2017 09:00 Titel ändrad från «Bristerna inom socialtjänsten» till «Brister i socialtjänsten» (vid import från rattelse.json)",
    );
    expect(shown.at(-1)).toBe("3 apr. 2017 09:00 Ärendet importerat från demo.json");
    expect(shown).toContain(
      "3 apr. 2017 09:00 Remiss till stadsledningskontoret registrerad, besvarad 13 januari 2017 (vid import från demo.json)",
    );
    // The motion: found by its series number; its import named no dnr.
    const motion = one(await getCaseHistory(terminal(), { query: "Motion 2016:114" }));
    expect(lines(motion)).toContain("3 apr. 2017 09:00 Ärendet importerat från demo.json");

    const details = await getCaseById(database, { caseId: subject.caseId });
    expect(details?.referrals[0]?.responses[0]).toMatchObject({
      decidedBySlackUserId: APPROVER,
      decidedByName: "godk",
      decidedAt: at("14:05"),
    });
    const [body] = await database.db.select().from(bodies).where(eq(bodies.code, "socialnamnden"));
    expect(body?.name).toBe("socialnämnden");
    const [row] = await database.db.select().from(cases).where(eq(cases.dnr, "108-1642/2017"));
    expect(row?.title).toBe("Brister i socialtjänsten");
  });
});
