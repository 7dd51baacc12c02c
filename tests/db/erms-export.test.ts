import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { validateXML } from "xmllint-wasm";
import { runExportCommand } from "../../src/cli/export-command.js";
import { importActor, runImportCommand } from "../../src/cli/import-command.js";
import { runStatusCommand } from "../../src/cli/status-command.js";
import { type Clock, fixedClock } from "../../src/clock.js";
import { bodies, memberships, referrals } from "../../src/db/schema.js";
import { findCaseIdsByIdentifierKey } from "../../src/modules/cases/cases.repository.js";
import { sendOnRemiss } from "../../src/modules/referrals/send-on-remiss.js";
import { approveResponse } from "../../src/modules/responses/approve-response.js";
import { recordResponse } from "../../src/modules/responses/record-response.js";
import { rejectResponse } from "../../src/modules/responses/reject-response.js";
import { createContext, slackActor } from "../../src/modules/shared/context.js";
import { seedDemoCases } from "../support/scenarios.js";
import { createTestDatabase, type TestDatabase } from "../support/test-database.js";

const ADMIN = "U0ADMIN01";
const BROMMA_OFFICER = slackActor({ userId: "U0BROMMA1", name: "bromma.handlaggare" });
const BROMMA_APPROVER = slackActor({ userId: "U0BROMMA2", name: "bromma.godkannare" });
const KUNGSHOLMEN_OFFICER = slackActor({ userId: "U0KUNGS01", name: "kungsholmen.handlaggare" });
const KUNGSHOLMEN_APPROVER = slackActor({ userId: "U0KUNGS02", name: "kungsholmen.godkannare" });
const XSD = new URL("../../standards/cits-erms/ERMS.xsd", import.meta.url).pathname;
// Monday 3 April 2017 in Stockholm: the demo import at 09:00, chat from 10:00.
const importClock = fixedClock("2017-04-03T07:00:00Z");
const chatClock = fixedClock("2017-04-03T08:00:00Z");

let directory: string;
let origin: TestDatabase;
const others: TestDatabase[] = [];

const at = (clock: Clock, actor: ReturnType<typeof slackActor>) =>
  createContext({ db: origin.db, clock, actor, admins: [ADMIN] });

async function bodyId(code: string): Promise<number> {
  const [row] = await origin.db.select({ id: bodies.id }).from(bodies).where(eq(bodies.code, code));
  if (!row) throw new Error(`no body ${code}`);
  return row.id;
}

async function referralId(caseId: number, code: string): Promise<number> {
  const body = await bodyId(code);
  const rows = await origin.db.select().from(referrals).where(eq(referrals.caseId, caseId));
  const found = rows.find((row) => row.bodyId === body);
  if (!found) throw new Error(`no referral to ${code}`);
  return found.id;
}

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), "arendebot-export-"));
  origin = await createTestDatabase();
  await seedDemoCases(origin.db, importClock);
  await origin.db.insert(memberships).values([
    {
      slackUserId: BROMMA_OFFICER.userId,
      bodyId: await bodyId("sdn-bromma"),
      role: "handlaggare",
      grantedBy: ADMIN,
      grantedAt: new Date("2017-01-01T00:00:00Z"),
    },
    {
      slackUserId: BROMMA_APPROVER.userId,
      bodyId: await bodyId("sdn-bromma"),
      role: "godkannare",
      grantedBy: ADMIN,
      grantedAt: new Date("2017-01-01T00:00:00Z"),
    },
    {
      slackUserId: KUNGSHOLMEN_OFFICER.userId,
      bodyId: await bodyId("sdn-kungsholmen"),
      role: "handlaggare",
      grantedBy: ADMIN,
      grantedAt: new Date("2017-01-01T00:00:00Z"),
    },
    {
      slackUserId: KUNGSHOLMEN_APPROVER.userId,
      bodyId: await bodyId("sdn-kungsholmen"),
      role: "godkannare",
      grantedBy: ADMIN,
      grantedAt: new Date("2017-01-01T00:00:00Z"),
    },
  ]);
  const [motion] = await findCaseIdsByIdentifierKey(origin.db, "motion 2016:114");
  if (motion === undefined) throw new Error("no demo motion");

  const sent = await sendOnRemiss(at(chatClock, slackActor({ userId: ADMIN, name: "admin" })), {
    request: {
      caseId: motion,
      bodyIds: [await bodyId("borgarradsberedningen")],
      dueOn: "2017-04-28",
      message: "Synpunkter önskas senast 28 april.",
    },
  });
  expect(sent.ok).toBe(true);
  const answered = await recordResponse(at(chatClock, BROMMA_OFFICER), {
    request: {
      caseId: motion,
      referralId: await referralId(motion, "sdn-bromma"),
      answeredOn: "2017-03-30",
      summary: "Stadsdelsnämnden instämmer i förvaltningens förslag.",
      link: "https://example.se/bromma/yttrande.pdf",
      declined: false,
    },
  });
  if (!answered.ok) throw new Error("not recorded");
  expect(
    (await approveResponse(at(chatClock, BROMMA_APPROVER), { responseId: answered.responseId })).ok,
  ).toBe(true);
  const second = await recordResponse(at(chatClock, KUNGSHOLMEN_OFFICER), {
    request: {
      caseId: motion,
      referralId: await referralId(motion, "sdn-kungsholmen"),
      answeredOn: "2017-03-31",
      summary: "Nämnden har inga synpunkter.",
      link: null,
      declined: false,
    },
  });
  if (!second.ok) throw new Error("not recorded");
  const rejected = await rejectResponse(at(chatClock, KUNGSHOLMEN_APPROVER), {
    responseId: second.responseId,
    reason: "Svaret ska gå via nämndens sammanträde.",
  });
  expect(rejected.ok).toBe(true);
});

afterAll(async () => {
  await Promise.all([origin, ...others].map((database) => database?.destroy()));
  await rm(directory, { recursive: true, force: true });
});

async function exported(format: "erms" | "csv" | "json", since?: string) {
  const out = new PassThrough();
  const err = new PassThrough();
  const chunks = { out: [] as Buffer[], err: [] as Buffer[] };
  out.on("data", (chunk: Buffer) => chunks.out.push(chunk));
  err.on("data", (chunk: Buffer) => chunks.err.push(chunk));
  const file = join(directory, `export-${format}-${since ?? "all"}.${format === "erms" ? "xml" : format}`);
  const code = await runExportCommand({
    ctx: createContext({
      db: origin.db,
      clock: fixedClock("2017-04-04T06:00:00Z"),
      actor: { type: "cli", user: "test" },
    }),
    format,
    since,
    outFile: file,
    out,
    err,
  });
  return { code, file, err: Buffer.concat(chunks.err).toString("utf8") };
}

async function importInto(database: TestDatabase, file: string) {
  const out = new PassThrough();
  const err = new PassThrough();
  const chunks: Buffer[] = [];
  out.on("data", (chunk: Buffer) => chunks.push(chunk));
  err.on("data", (chunk: Buffer) => chunks.push(chunk));
  const code = await runImportCommand({
    ctx: createContext({ db: database.db, clock: importClock, actor: importActor(file) }),
    file,
    out,
    err,
    interactive: false,
  });
  return { code, text: Buffer.concat(chunks).toString("utf8") };
}

async function card(database: TestDatabase, query: string): Promise<string> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on("data", (chunk: Buffer) => chunks.push(chunk));
  await runStatusCommand({
    ctx: createContext({ db: database.db, clock: chatClock, actor: { type: "cli", user: "test" } }),
    query,
    today: "2017-04-04",
    out,
  });
  return Buffer.concat(chunks).toString("utf8");
}

async function emptyDatabase(): Promise<TestDatabase> {
  const database = await createTestDatabase();
  others.push(database);
  return database;
}

describe("arendebot export", { timeout: 60_000 }, () => {
  it("writes what chat changed as FGS Ärendehantering 2.0 that validates against ERMS.xsd", async () => {
    const result = await exported("erms", "2017-04-03");
    expect(result.code).toBe(0);
    expect(result.err).toContain(
      "1 ärenden ändrade i chatten sedan 2017-04-03: 1 remisser skickade, 2 remissvar registrerade, 1 godkända, 1 avslagna",
    );
    const xml = await readFile(result.file, "utf8");
    const validation = await validateXML({
      xml: [{ fileName: "export.xml", contents: xml }],
      schema: [{ fileName: "ERMS.xsd", contents: await readFile(XSD, "utf8") }],
    });
    expect(validation.errors).toEqual([]);
    expect(xml).toContain("<objectId>Motion 2016:114</objectId>");
    expect(xml).toMatch(
      /<record systemIdentifier="[0-9a-f-]{36}" recordType="Remiss">[\s\S]*?<name>borgarrådsberedningen<\/name>[\s\S]*?<date dateType="decision_deadline">2017-04-28T00:00:00<\/date>\s*<date dateType="captured">2017-04-03T10:00:00<\/date>/u,
    );
    expect(xml).toMatch(
      /<actionType>Godkännande<\/actionType>[\s\S]*?<actionDate dateType="decision">2017-04-03T10:00:00.000<\/actionDate>[\s\S]*?<agent agentType="authorising_person">\s*<name>bromma.godkannare<\/name>/u,
    );
    expect(xml).toMatch(
      /<actionMotivation>Svaret ska gå via nämndens sammanträde.<\/actionMotivation>\s*<actionType>Avslag<\/actionType>/u,
    );
  });

  it("writes nothing for a day after the changes", async () => {
    const result = await exported("json", "2017-04-04");
    expect(result.code).toBe(0);
    expect(result.err).toContain("0 ärenden ändrade i chatten sedan 2017-04-04");
    expect(JSON.parse(await readFile(result.file, "utf8"))).toEqual({
      registries: [],
      bodies: [],
      cases: [],
    });
  });

  for (const format of ["erms", "json"] as const) {
    it(`gives the same case card after a round trip through ${format} into an empty database`, async () => {
      const before = await card(origin, "Motion 2016:114");
      expect(before).toContain("Godkänt av");
      const result = await exported(format);
      const target = await emptyDatabase();
      const imported = await importInto(target, result.file);
      expect(imported.text).toContain(", 0 avvisade");
      expect(imported.code).toBe(0);
      expect(await card(target, "Motion 2016:114")).toBe(before);
    });

    it(`changes nothing when the ${format} export is imported back where it came from`, async () => {
      const result = await exported(format);
      const imported = await importInto(origin, result.file);
      expect(imported.code).toBe(0);
      expect(imported.text).toMatch(/1 rader|0 skapade, 0 uppdaterade/u);
      expect(imported.text).toMatch(/ärenden \(cases\): 0 skapade, 0 uppdaterade, 1 oförändrade/u);
    });
  }

  it("writes CSV rows that the CSV import reads back unchanged", async () => {
    const result = await exported("csv");
    const csv = await readFile(result.file, "utf8");
    expect(csv.split("\n")[0]).toContain("registry,registry_name,dnr,identifiers,kind,title");
    const imported = await importInto(origin, result.file);
    expect(imported.code).toBe(0);
    expect(imported.text).toContain("1 rader, 0 skapade, 0 uppdaterade, 1 oförändrade, 0 avvisade");
  });
});
