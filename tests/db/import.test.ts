import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { and, asc, count, eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importActor, runImportCommand } from "../../src/cli/import-command.js";
import { fixedClock } from "../../src/clock.js";
import {
  auditEvents,
  bodies,
  caseIdentifiers,
  cases,
  deadlines,
  referralResponses,
  referrals,
  registries,
  timelineEntries,
} from "../../src/db/schema.js";
import { dnrKey } from "../../src/modules/identifiers/parse-identifier.js";
import { generateCasesCsv } from "../../src/modules/import/generate-sample.js";
import { importRegistry } from "../../src/modules/import/import-registry.js";
import { csvSource } from "../../src/modules/import/read-import-file.js";
import { createContext } from "../../src/modules/shared/context.js";
import { createTestDatabase, type TestDatabase } from "../support/test-database.js";

const DEMO = new URL("../../db/seed/demo.json", import.meta.url).pathname;
const EXAMPLE = new URL("../../db/seed/example.csv", import.meta.url).pathname;
const clock = fixedClock("2025-03-01T09:00:00Z");

let database: TestDatabase;
let directory: string;

beforeAll(async () => {
  database = await createTestDatabase();
  directory = await mkdtemp(join(tmpdir(), "arendebot-import-"));
});

afterAll(async () => {
  await database?.destroy();
  await rm(directory, { recursive: true, force: true });
});

/** Runs `arendebot import FILE` and returns its exit code and what it printed. */
async function runImport(file: string, options: { interactive?: boolean } = {}) {
  const out = new PassThrough();
  const err = new PassThrough();
  const chunks = { out: [] as Buffer[], err: [] as Buffer[] };
  out.on("data", (chunk: Buffer) => chunks.out.push(chunk));
  err.on("data", (chunk: Buffer) => chunks.err.push(chunk));
  const code = await runImportCommand({
    ctx: createContext({ db: database.db, clock, actor: importActor(file) }),
    file,
    out,
    err,
    interactive: options.interactive ?? false,
  });
  return {
    code,
    out: Buffer.concat(chunks.out).toString("utf8"),
    err: Buffer.concat(chunks.err).toString("utf8"),
  };
}

async function writeTemp(name: string, content: string | Buffer): Promise<string> {
  const file = join(directory, name);
  await writeFile(file, content);
  return file;
}

async function auditCount(): Promise<number> {
  const [row] = await database.db.select({ n: count() }).from(auditEvents);
  return row?.n ?? 0;
}

async function tableCounts() {
  const db = database.db;
  const [c] = await db.select({ n: count() }).from(cases);
  const [r] = await db.select({ n: count() }).from(referrals);
  const [s] = await db.select({ n: count() }).from(referralResponses);
  const [t] = await db.select({ n: count() }).from(timelineEntries);
  const [d] = await db.select({ n: count() }).from(deadlines);
  const [i] = await db.select({ n: count() }).from(caseIdentifiers);
  return {
    cases: c?.n,
    referrals: r?.n,
    responses: s?.n,
    timeline: t?.n,
    deadlines: d?.n,
    identifiers: i?.n,
  };
}

async function bodyCodes(): Promise<Map<number, string>> {
  return new Map((await database.db.select().from(bodies)).map((body) => [body.id, body.code]));
}

async function caseByDnr(dnr: string) {
  const [found] = await database.db
    .select()
    .from(cases)
    .where(eq(cases.dnrKey, dnrKey(dnr) ?? ""));
  return found;
}

async function caseByIdentifier(key: string) {
  const [found] = await database.db
    .select({ id: caseIdentifiers.caseId })
    .from(caseIdentifiers)
    .where(eq(caseIdentifiers.key, key));
  if (found === undefined) return undefined;
  const [row] = await database.db.select().from(cases).where(eq(cases.id, found.id));
  return row;
}

describe("db/seed/demo.json", () => {
  it("loads, reporting every row as created", async () => {
    const result = await runImport(DEMO);
    expect(result.code).toBe(0);
    expect(result.err).toBe("");
    expect(result.out).toBe(
      [
        "demo.json: 12 rader, 12 skapade, 0 uppdaterade, 0 oförändrade, 0 avvisade (rows, created, updated, unchanged, rejected)",
        "  diarier (registries): 1 skapade, 0 uppdaterade, 0 oförändrade",
        "  organ (bodies): 9 skapade, 0 uppdaterade, 0 oförändrade",
        "  ärenden (cases): 2 skapade, 0 uppdaterade, 0 oförändrade",
        "  remisser (referrals): 7 skapade, 0 uppdaterade, 0 oförändrade",
        "  remissvar (responses): 2 skapade, 0 uppdaterade, 0 oförändrade",
        "  bevakningar (deadlines): 2 skapade, 0 uppdaterade, 0 oförändrade",
        "  händelser (timeline): 11 skapade, 0 uppdaterade, 0 oförändrade",
        "",
      ].join("\n"),
    );
    expect(await tableCounts()).toEqual({
      cases: 2,
      referrals: 7,
      responses: 2,
      timeline: 11,
      deadlines: 2,
      identifiers: 2,
    });
  });

  it("holds the registry and the bodies, without Slack channels", async () => {
    expect(
      await database.db.select({ code: registries.code, name: registries.name }).from(registries),
    ).toEqual([{ code: "stockholm-ks", name: "Stockholms stad, kommunstyrelsen (stadsledningskontoret)" }]);
    const stored = await database.db
      .select({ code: bodies.code, name: bodies.name, kind: bodies.kind, channel: bodies.slackChannelId })
      .from(bodies)
      .orderBy(asc(bodies.id));
    expect(stored).toEqual([
      { code: "kommunfullmaktige", name: "kommunfullmäktige", kind: "council", channel: null },
      { code: "kommunstyrelsen", name: "kommunstyrelsen", kind: "board", channel: null },
      {
        code: "borgarradsberedningen",
        name: "borgarrådsberedningen",
        kind: "preparatory_body",
        channel: null,
      },
      { code: "stadsledningskontoret", name: "stadsledningskontoret", kind: "administration", channel: null },
      { code: "socialnamnden", name: "socialnämnden", kind: "board", channel: null },
      { code: "sdn-bromma", name: "Bromma stadsdelsnämnd", kind: "district_board", channel: null },
      {
        code: "sdn-hagersten-liljeholmen",
        name: "Hägersten-Liljeholmens stadsdelsnämnd",
        kind: "district_board",
        channel: null,
      },
      { code: "sdn-kungsholmen", name: "Kungsholmens stadsdelsnämnd", kind: "district_board", channel: null },
      {
        code: "akademikerforbundet-ssr",
        name: "Akademikerförbundet SSR",
        kind: "external_organisation",
        channel: null,
      },
    ]);
  });

  it("holds skrivelse Dnr 108-1642/2017 as the documents give it", async () => {
    const codes = await bodyCodes();
    const skrivelse = await caseByDnr("Dnr 108-1642/2017");
    expect(skrivelse).toMatchObject({
      dnr: "108-1642/2017",
      dnrKey: "108-1642-2017",
      kind: "skrivelse",
      title: "Bristerna inom socialtjänsten",
      publicTitle: "Bristerna inom socialtjänsten",
      restricted: false,
      raisedBy: [{ name: "Lotta Edholm", party: "L", title: null }],
      raisedOn: "2016-10-26",
      receivedOn: null,
      closedOn: null,
      status: "closed",
      outcome: "Skrivelsen anses besvarad",
      officerName: null,
      officerSlackUserId: null,
    });
    if (skrivelse === undefined) throw new Error("no skrivelse");
    expect(codes.get(skrivelse.addressedToBodyId ?? 0)).toBe("kommunstyrelsen");
    expect(codes.get(skrivelse.responsibleBodyId ?? 0)).toBe("kommunstyrelsen");
    for (const asked of ["lönesatsning", "kompetenspeng", "hot och våld", "inhyrd personal", "2012-2015"]) {
      expect(skrivelse.summary).toContain(asked);
    }

    expect(
      await database.db
        .select({ display: caseIdentifiers.display, key: caseIdentifiers.key })
        .from(caseIdentifiers)
        .where(eq(caseIdentifiers.caseId, skrivelse.id)),
    ).toEqual([{ display: "PM 2017:95 RVI+VIII", key: "pm 2017:95" }]);

    const remisser = await database.db.select().from(referrals).where(eq(referrals.caseId, skrivelse.id));
    expect(remisser).toHaveLength(1);
    const [slk] = remisser;
    expect(slk).toMatchObject({
      sentOn: null,
      dueOn: null,
      dueStatement: null,
      state: "answered",
      answeredOn: "2017-01-13",
    });
    expect(codes.get(slk?.bodyId ?? 0)).toBe("stadsledningskontoret");
    const svar = await database.db
      .select()
      .from(referralResponses)
      .where(eq(referralResponses.referralId, slk?.id ?? 0));
    expect(svar).toHaveLength(1);
    expect(svar[0]).toMatchObject({
      kind: "answer",
      documentTitle: "Tjänsteutlåtande",
      answeredOn: "2017-01-13",
      approvalState: "approved",
      decidedByName: null,
      decidedAt: null,
    });
    expect(svar[0]?.summary).toContain("sammanhållen lönebildning tillsammans ger goda förutsättningar");
    // The local policy period counts from the skrivelse's date; the case is answered, so it is met.
    expect(
      await database.db
        .select({
          kind: deadlines.kind,
          referralId: deadlines.referralId,
          dueOn: deadlines.dueOn,
          basis: deadlines.basis,
          state: deadlines.state,
          metOn: deadlines.metOn,
        })
        .from(deadlines)
        .where(eq(deadlines.caseId, skrivelse.id)),
    ).toEqual([
      {
        kind: "policy",
        referralId: null,
        dueOn: "2017-01-26",
        basis: "Lokal policy, inte lag: skrivelser besvaras inom 3 månader.",
        state: "met",
        metOn: null,
      },
    ]);

    const timeline = await database.db
      .select()
      .from(timelineEntries)
      .where(eq(timelineEntries.caseId, skrivelse.id))
      .orderBy(asc(timelineEntries.position));
    expect(
      timeline.map((entry) => [entry.position, entry.kind, codes.get(entry.bodyId ?? 0), entry.occurredOn]),
    ).toEqual([
      [1, "proposal", "borgarradsberedningen", "2017-05-04"],
      [2, "decision", "borgarradsberedningen", null],
      [3, "dissent", "borgarradsberedningen", null],
      [4, "statement", "borgarradsberedningen", null],
      [5, "decision", "kommunstyrelsen", null],
      [6, "dissent", "kommunstyrelsen", null],
      [7, "statement", "kommunstyrelsen", null],
    ]);
    const [proposal, supports, brbDissent, brbStatement, ksDecision, ksDissent, ksStatement] = timeline;
    expect(proposal).toMatchObject({
      reference: "PM 2017:95 RVI+VIII",
      people: [
        { name: "Åsa Lindhagen", party: null, title: "borgarråd" },
        { name: "Clara Lindblom", party: null, title: "borgarråd" },
      ],
      text: "Skrivelse av Lotta Edholm (L) anses besvarad med hänvisning till vad som sägs i promemorian.",
    });
    expect(supports?.text).toContain("tillstyrker föredragande borgarrådens förslag");
    expect(brbDissent?.people).toEqual([{ name: "Lotta Edholm", party: "L", title: "borgarråd" }]);
    expect(brbDissent?.text).toContain("Föredragande borgarrådens förslag till beslut avslås.");
    expect(brbDissent?.text).toContain(
      "stadsdelsnämndernas sociala barn- och ungdomsvård 2012-2016 har täckts av inhyrd personal?",
    );
    expect(brbDissent?.text).toContain("Hur har kostnaderna för inhyrda konsulter utvecklats");
    expect(brbStatement?.people).toEqual([
      { name: "Anna König Jerlmyr", party: "M", title: "borgarråd" },
      { name: "Cecilia Brinck", party: "M", title: "borgarråd" },
    ]);
    expect(ksDecision?.text).toBe(
      "Skrivelsen anses besvarad med hänvisning till vad som sägs i promemorian.",
    );
    expect(ksDissent?.people).toEqual([{ name: "Lotta Edholm", party: "L", title: null }]);
    expect(ksDissent?.text).toContain("med hänvisning till Liberalernas reservation i borgarrådsberedningen");
    expect(ksStatement?.people.map((person) => `${person.name} (${person.party})`)).toEqual([
      "Anna König Jerlmyr (M)",
      "Joakim Larsson (M)",
      "Cecilia Brinck (M)",
      "Dennis Wedin (M)",
      "Jonas Nilsson (M)",
    ]);
    expect(ksStatement?.text).toContain(
      "med hänvisning till Moderaternas särskilda uttalande i borgarrådsberedningen",
    );
  });

  it("holds Motion 2016:114 without a dnr, with its six referrals and one deadline", async () => {
    const codes = await bodyCodes();
    const motion = await caseByIdentifier("motion 2016:114");
    expect(motion).toMatchObject({
      dnr: null,
      dnrKey: null,
      kind: "motion",
      title: "Motion om en kompetensutvecklingspeng för socialsekreterare",
      publicTitle: "Motion om en kompetensutvecklingspeng för socialsekreterare",
      restricted: false,
      raisedBy: [{ name: "Isabel Smedberg Palmqvist", party: "L", title: null }],
      raisedOn: null,
      closedOn: null,
      status: "in_progress",
      outcome: null,
    });
    if (motion === undefined) throw new Error("no motion");
    expect(codes.get(motion.addressedToBodyId ?? 0)).toBe("kommunfullmaktige");
    expect(codes.get(motion.responsibleBodyId ?? 0)).toBe("kommunstyrelsen");
    for (const fact of ["10 000 kr", "närmaste chef", "CM2", "uppdra åt kommunstyrelsen"]) {
      expect(motion.summary).toContain(fact);
    }

    const remisser = await database.db
      .select()
      .from(referrals)
      .where(eq(referrals.caseId, motion.id))
      .orderBy(asc(referrals.id));
    expect(remisser.map((referral) => [codes.get(referral.bodyId), referral.state])).toEqual([
      ["socialnamnden", "answered"],
      ["sdn-bromma", "open"],
      ["sdn-hagersten-liljeholmen", "open"],
      ["sdn-kungsholmen", "open"],
      ["stadsledningskontoret", "open"],
      ["akademikerforbundet-ssr", "open"],
    ]);
    const [socialnamnden, ...others] = remisser;
    expect(socialnamnden).toMatchObject({
      sentOn: null,
      dueOn: "2017-03-31",
      dueStatement: "Yttrande på motionen ska senast vara inlämnad 31 mars 2017",
      answeredOn: null,
    });
    for (const other of others) {
      expect(other).toMatchObject({ sentOn: null, dueOn: null, dueStatement: null, answeredOn: null });
    }

    const svar = await database.db
      .select()
      .from(referralResponses)
      .where(
        inArray(
          referralResponses.referralId,
          remisser.map((referral) => referral.id),
        ),
      );
    expect(svar).toHaveLength(1);
    expect(svar[0]).toMatchObject({
      referralId: socialnamnden?.id,
      documentTitle: "Tjänsteutlåtande",
      answeredOn: null,
      approvalState: "approved",
      decidedByName: null,
    });
    expect(svar[0]?.summary).toContain(
      "Nämnden föreslår att motionen om kompetenspeng för socialsekreterare kan anses besvarad med nämndens tjänsteutlåtande.",
    );

    expect(await database.db.select().from(deadlines).where(eq(deadlines.caseId, motion.id))).toEqual([
      {
        id: expect.any(Number),
        caseId: motion.id,
        referralId: socialnamnden?.id,
        kind: "referral_due",
        dueOn: "2017-03-31",
        basis: "Yttrande på motionen ska senast vara inlämnad 31 mars 2017",
        state: "met",
        metOn: null,
      },
    ]);

    const timeline = await database.db
      .select()
      .from(timelineEntries)
      .where(eq(timelineEntries.caseId, motion.id))
      .orderBy(asc(timelineEntries.position));
    expect(
      timeline.map((entry) => [entry.kind, codes.get(entry.bodyId ?? 0) ?? null, entry.occurredOn]),
    ).toEqual([
      ["preparation", null, null],
      ["preparation", null, "2017-03-22"],
      ["preparation", null, "2017-03-23"],
      ["proposal", "socialnamnden", null],
    ]);
    expect(timeline[0]?.text).toContain("beretts inom avdelningen för stadsövergripande sociala frågor");
    expect(timeline[1]?.text).toContain("behandlats i förvaltningsgruppen");
    expect(timeline[2]?.text).toContain("Funktionshinderrådet har haft möjlighet att behandla ärendet");
    expect(timeline[3]?.text).toBe(
      "Nämnden föreslår att motionen om kompetenspeng för socialsekreterare kan anses besvarad med nämndens tjänsteutlåtande.",
    );
  });

  it("audited every row it wrote, in the name of the import file", async () => {
    const events = await database.db.select().from(auditEvents);
    expect(events).toHaveLength(1 + 9 + 2 + 7 + 2 + 2 + 11);
    expect(new Set(events.map((event) => `${event.actorType}:${event.actorId}`))).toEqual(
      new Set(["import:demo.json"]),
    );
    expect(events.filter((event) => event.action === "case.imported")).toHaveLength(2);
    const skrivelse = events.find(
      (event) => event.action === "case.imported" && event.changes.dnr === "108-1642/2017",
    );
    expect(skrivelse?.changes).toMatchObject({
      registry: "stockholm-ks",
      identifiers: ["PM 2017:95 RVI+VIII"],
      responsible_body: "kommunstyrelsen",
      status: "closed",
    });
    expect(skrivelse?.occurredAt).toEqual(new Date("2025-03-01T09:00:00Z"));
  });

  it("changes nothing and audits nothing when imported again", async () => {
    const before = { audit: await auditCount(), rows: await tableCounts() };
    const result = await runImport(DEMO);
    expect(result.code).toBe(0);
    expect(result.out.split("\n")[0]).toBe(
      "demo.json: 12 rader, 0 skapade, 0 uppdaterade, 12 oförändrade, 0 avvisade (rows, created, updated, unchanged, rejected)",
    );
    expect(await auditCount()).toBe(before.audit);
    expect(await tableCounts()).toEqual(before.rows);
  });
});

describe("re-importing a changed file", () => {
  it("updates the changed fields only and audits each change with the import as actor", async () => {
    const demo = JSON.parse(await readFile(DEMO, "utf8"));
    demo.cases[1].status = "prepared";
    demo.cases[1].referrals[0].answered_on = "2017-03-30";
    const file = await writeTemp("demo-changed.json", JSON.stringify(demo, null, 2));
    const before = await auditCount();

    const result = await runImport(file);
    expect(result.code).toBe(0);
    expect(result.out).toContain("12 rader, 0 skapade, 1 uppdaterade, 11 oförändrade, 0 avvisade");
    expect(result.out).toContain("ärenden (cases): 0 skapade, 1 uppdaterade, 1 oförändrade");
    expect(result.out).toContain("remisser (referrals): 0 skapade, 1 uppdaterade, 6 oförändrade");
    expect(result.out).toContain("bevakningar (deadlines): 0 skapade, 1 uppdaterade, 1 oförändrade");

    const motion = await caseByIdentifier("motion 2016:114");
    expect(motion?.status).toBe("prepared");
    expect(motion?.updatedAt).toEqual(new Date("2025-03-01T09:00:00Z"));
    const [deadline] = await database.db
      .select()
      .from(deadlines)
      .where(eq(deadlines.caseId, motion?.id ?? 0));
    expect(deadline).toMatchObject({ state: "met", metOn: "2017-03-30" });

    const events = await database.db.select().from(auditEvents).orderBy(asc(auditEvents.id)).offset(before);
    expect(
      events.map(({ action, entityType, actorType, actorId, changes }) => ({
        action,
        entityType,
        actorType,
        actorId,
        changes,
      })),
    ).toEqual([
      {
        action: "case.updated",
        entityType: "case",
        actorType: "import",
        actorId: "demo-changed.json",
        changes: { status: { from: "in_progress", to: "prepared" } },
      },
      {
        action: "referral.updated",
        entityType: "referral",
        actorType: "import",
        actorId: "demo-changed.json",
        changes: { answered_on: { from: null, to: "2017-03-30" } },
      },
      {
        action: "deadline.updated",
        entityType: "deadline",
        actorType: "import",
        actorId: "demo-changed.json",
        changes: { met_on: { from: null, to: "2017-03-30" } },
      },
    ]);
    expect(events[0]?.entityId).toBe(String(motion?.id));

    // The real seed puts the facts back.
    const restored = await runImport(DEMO);
    expect(restored.out).toContain("0 skapade, 1 uppdaterade, 11 oförändrade");
    expect((await caseByIdentifier("motion 2016:114"))?.status).toBe("in_progress");
  });
});

describe("a CSV file with bad rows", () => {
  const header =
    "registry,registry_name,dnr,identifiers,kind,title,public_title,restricted,summary,raised_by,raised_on,responsible_body,status";
  const csv = [
    header,
    'prov,Provdiarium (testdata),PR 2025/1,,skrivelse,Första provärendet,,nej,"En sammanfattning',
    'över två rader",Anna Prov (A),2025-01-10,kommunstyrelsen,open',
    "prov,Provdiarium (testdata),PR 2025/2,,motion,Okänt organ,,nej,,,2025-01-11,finns-inte,open",
    "prov,Provdiarium (testdata),PR 2025/3,,motion,Fel datum,,nej,,,2025-02-30,,open",
    "prov,Provdiarium (testdata),PR 2025/4,,other,Hemligt ärende,,ja,,,2025-01-12,,open",
    "prov,Provdiarium (testdata),,Motion 2025:5,motion,Andra provärendet,,,,,,socialnamnden,received",
    "prov,Provdiarium (testdata),PR 2025/1,,skrivelse,Samma dnr igen,,nej,,,,,open",
    "prov,Provdiarium (testdata),PR 2025/6,,skrivelse,För få fält",
    "prov,Provdiarium (testdata),,,motion,Utan nummer,,nej,,,,,open",
    "prov,Provdiarium (testdata),PR 2025/7,,skrivelse,Tredje provärendet,,,,,2025-01-13,,",
    "",
  ].join("\n");
  const expectedRejections = [
    'line 4: responsible_body: Okänt organ «finns-inte»: det finns inte i databasen (unknown body "finns-inte")',
    "line 5: raised_on: Ogiltigt datum «2025-02-30»: skriv ÅÅÅÅ-MM-DD, t.ex. 2017-03-31 (invalid date, use YYYY-MM-DD)",
    "line 6: public_title: Offentlig titel (public_title) krävs när ärendet är sekretessbelagt (public_title is required when the case is restricted)",
    "line 8: dnr: Ärendet PR 2025/1 finns redan på rad 2 (the same case twice in the file)",
    "line 9: Raden har 6 fält men rubrikraden har 13 (the row has 6 fields, the header 13)",
    "line 10: dnr: Ärendet saknar både dnr och identifierare; ange minst ett av dem (a case needs a dnr or an identifier)",
  ];

  async function provCases() {
    const [prov] = await database.db.select().from(registries).where(eq(registries.code, "prov"));
    if (prov === undefined) return [];
    return database.db.select().from(cases).where(eq(cases.registryId, prov.id)).orderBy(asc(cases.id));
  }

  it("writes the good rows, reports the bad ones by line and reason, and exits 1", async () => {
    const file = await writeTemp("prov.csv", csv);
    const before = await auditCount();
    const result = await runImport(file);
    expect(result.code).toBe(1);
    expect(result.out.split("\n")).toEqual([
      "prov.csv: 9 rader, 3 skapade, 0 uppdaterade, 0 oförändrade, 6 avvisade (rows, created, updated, unchanged, rejected)",
      "  diarier (registries): 1 skapade, 0 uppdaterade, 0 oförändrade",
      "  ärenden (cases): 3 skapade, 0 uppdaterade, 0 oförändrade",
      "  bevakningar (deadlines): 2 skapade, 0 uppdaterade, 0 oförändrade",
      ...expectedRejections,
      "",
    ]);

    const written = await provCases();
    expect(written.map((row) => [row.dnr, row.title, row.status])).toEqual([
      ["PR 2025/1", "Första provärendet", "open"],
      [null, "Andra provärendet", "received"],
      ["PR 2025/7", "Tredje provärendet", "open"],
    ]);
    expect(written[0]?.summary).toBe("En sammanfattning\növer två rader");
    expect(written[0]?.raisedBy).toEqual([{ name: "Anna Prov", party: "A", title: null }]);

    // Nothing of the rejected rows was written: no case, no identifier, no audit event.
    for (const dnr of ["PR 2025/2", "PR 2025/3", "PR 2025/4", "PR 2025/6"]) {
      expect(await caseByDnr(dnr)).toBeUndefined();
    }
    const identifiers = await database.db
      .select({ key: caseIdentifiers.key })
      .from(caseIdentifiers)
      .where(
        inArray(
          caseIdentifiers.caseId,
          written.map((row) => row.id),
        ),
      );
    expect(identifiers).toEqual([{ key: "motion 2025:5" }]);
    const events = await database.db
      .select({ action: auditEvents.action, actorId: auditEvents.actorId })
      .from(auditEvents)
      .orderBy(asc(auditEvents.id))
      .offset(before);
    expect(events).toEqual([
      { action: "registry.imported", actorId: "prov.csv" },
      { action: "case.imported", actorId: "prov.csv" },
      { action: "case.imported", actorId: "prov.csv" },
      { action: "case.imported", actorId: "prov.csv" },
      { action: "deadline.computed", actorId: "prov.csv" },
      { action: "deadline.computed", actorId: "prov.csv" },
    ]);
  });

  it("rejects the same rows again on re-import and writes nothing new", async () => {
    const file = await writeTemp("prov.csv", csv);
    const before = await auditCount();
    const result = await runImport(file);
    expect(result.code).toBe(1);
    expect(result.out).toContain("prov.csv: 9 rader, 0 skapade, 0 uppdaterade, 3 oförändrade, 6 avvisade");
    expect(result.out.split("\n").filter((line) => line.startsWith("line "))).toEqual(expectedRejections);
    expect(await auditCount()).toBe(before);
    expect(await provCases()).toHaveLength(3);
  });

  it("finds a case without dnr by its identifier, and gives it its dnr once known", async () => {
    const file = await writeTemp(
      "prov-dnr.csv",
      `${header}\nprov,Provdiarium (testdata),PR 2025/8,Motion 2025:5,motion,Andra provärendet,,,,,,socialnamnden,received\n`,
    );
    const result = await runImport(file);
    expect(result.code).toBe(0);
    expect(result.out).toContain("1 rader, 0 skapade, 1 uppdaterade, 0 oförändrade, 0 avvisade");
    const written = await provCases();
    expect(written.map((row) => row.dnr)).toEqual(["PR 2025/1", "PR 2025/8", "PR 2025/7"]);
    const [event] = await database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.actorId, "prov-dnr.csv"), eq(auditEvents.action, "case.updated")));
    expect(event?.changes).toEqual({ dnr: { from: null, to: "PR 2025/8" } });
  });
});

describe("files that cannot be imported as a whole", () => {
  it("exits 2 when the file is missing", async () => {
    const result = await runImport(join(directory, "finns-inte.json"));
    expect(result.code).toBe(2);
    expect(result.err).toContain("filen finns inte");
    expect(result.out).toBe("");
  });

  it("exits 2 for a CSV header with an unknown column", async () => {
    const file = await writeTemp("tittel.csv", "registry,dnr,kind,tittel\nprov,PR 2025/9,motion,Fel\n");
    const result = await runImport(file);
    expect(result.code).toBe(2);
    expect(result.err).toContain('okänd kolumn "tittel"');
  });

  it("exits 2 for broken JSON, naming the line", async () => {
    const file = await writeTemp("trasig.json", '{\n  "cases": [\n    { "kind": "motion", }\n  ]\n}\n');
    const result = await runImport(file);
    expect(result.code).toBe(2);
    expect(result.err).toContain("trasig.json: ogiltig JSON");
  });

  it("exits 2 for an unknown file type", async () => {
    const file = await writeTemp("data.xlsx", "x");
    expect((await runImport(file)).code).toBe(2);
  });
});

describe("a JSON case with a bad referral", () => {
  it("writes nothing of that case and points at the line of the bad field", async () => {
    const json = [
      "{",
      '  "cases": [',
      "    {",
      '      "registry": "stockholm-ks",',
      '      "dnr": "108-9999/2025",',
      '      "kind": "motion",',
      '      "title": "Halvt ärende",',
      '      "referrals": [',
      '        { "body": "socialnamnden", "due_on": "2025-05-02" },',
      '        { "body": "okant-organ" }',
      "      ]",
      "    }",
      "  ]",
      "}",
    ].join("\n");
    const file = await writeTemp("halvt.json", json);
    const before = { audit: await auditCount(), rows: await tableCounts() };
    const result = await runImport(file);
    expect(result.code).toBe(1);
    expect(result.out).toContain(
      'line 10: cases[0].referrals[1].body: Okänt organ «okant-organ»: det finns varken i databasen eller i filens bodies (unknown body "okant-organ")',
    );
    expect(await caseByDnr("108-9999/2025")).toBeUndefined();
    expect(await tableCounts()).toEqual(before.rows);
    expect(await auditCount()).toBe(before.audit);
  });
});

describe("db/seed/example.csv", () => {
  it("imports after the demo data, with its restricted case behind a public title", async () => {
    const result = await runImport(EXAMPLE, { interactive: true });
    expect(result.code).toBe(0);
    expect(result.out).toContain("example.csv: 4 rader, 4 skapade, 0 uppdaterade, 0 oförändrade, 0 avvisade");
    expect(await caseByDnr("EX 2025/3")).toMatchObject({
      restricted: true,
      publicTitle: "Sekretess",
      title: "Exempelärende om en enskild persons förhållanden",
    });
    expect((await caseByDnr("EX 2025/1"))?.publicTitle).toBe(
      "Exempelmotion om längre öppettider på biblioteken",
    );
  });
});

describe("generateCasesCsv", () => {
  it("produces rows that all import, in batches, and a second time change nothing", async () => {
    const source = () => csvSource(generateCasesCsv(1200, { registry: "bench", registryName: "Benchmark" }));
    const actor = { type: "import", source: "generated.csv" } as const;
    const progress: number[] = [];
    const first = await importRegistry(
      { db: database.db, actor, clock },
      {
        source: await source(),
        batchSize: 500,
        onProgress: (update) => progress.push(update.rows),
      },
    );
    expect(first).toMatchObject({ rows: 1200, created: 1200, updated: 0, unchanged: 0, rejected: [] });
    expect(progress).toContain(500);
    expect(progress.at(-1)).toBe(1200);
    const audit = await auditCount();
    const second = await importRegistry({ db: database.db, actor, clock }, { source: await source() });
    expect(second).toMatchObject({ created: 0, updated: 0, unchanged: 1200, rejected: [] });
    expect(await auditCount()).toBe(audit);
  });
});

// ---------------------------------------------------------------------------------------------
// Encodings, line numbers and characters (issue 7, "Nothing lost")

/**
 * Text as Excel's "CSV (semikolonavgränsad)" saves it on a Swedish Windows: Windows-1252, one byte a
 * character. Only the characters these tests use; anything else is a mistake in the test.
 */
function windows1252(text: string): Buffer {
  const high: Record<string, number> = {
    å: 0xe5,
    ä: 0xe4,
    ö: 0xf6,
    Å: 0xc5,
    Ä: 0xc4,
    Ö: 0xd6,
    é: 0xe9,
    "–": 0x96,
    "“": 0x93,
    "”": 0x94,
    "€": 0x80,
  };
  return Buffer.from(
    Array.from(text, (character) => {
      const code = character.charCodeAt(0);
      if (code < 0x80) return code;
      const byte = high[character];
      if (byte === undefined) throw new Error(`no Windows-1252 byte for ${character} in this test`);
      return byte;
    }),
  );
}

const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const SAVE_AS_UTF8 = "i Excel: Spara som → CSV UTF-8 (kommaavgränsad)";

/** The start of an .xlsx workbook (a zip archive), with compressed data stood in for by fixed noise. */
function xlsxLike(): Buffer {
  const header = [0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00, 0x08, 0x00, 0x00, 0x00, 0x21, 0x00];
  const noise: number[] = [];
  let seed = 7;
  for (let index = 0; index < 512; index += 1) {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    noise.push(seed >>> 23);
  }
  return Buffer.concat([Buffer.from(header), Buffer.from("[Content_Types].xml"), Buffer.from(noise)]);
}

async function caseCount(): Promise<number> {
  const [row] = await database.db.select({ n: count() }).from(cases);
  return row?.n ?? 0;
}

describe("Swedish Excel files", () => {
  const rows = [
    "registry;registry_name;dnr;kind;title;summary;raised_by",
    "excel;Exceldiarium för Årsta;EXC 2025/1;skrivelse;Snöröjning på Årstaängsvägen;Plogning – “före kl. 7” – kostar 5 € per gång;Örjan Ärlig (C)",
    "",
  ];
  const csv = rows.join("\r\n");

  it("imports CSV (semikolonavgränsad), which is Windows-1252, with å ä ö and Excel's punctuation intact", async () => {
    const file = windows1252(csv);
    // The fixture is what Excel writes: å ä ö as single bytes, CRLF line ends, no BOM.
    expect([0xe5, 0xe4, 0xf6, 0xc5, 0x96, 0x93, 0x94, 0x80].every((byte) => file.includes(byte))).toBe(true);
    expect(file.subarray(0, 3).equals(UTF8_BOM)).toBe(false);
    const result = await runImport(await writeTemp("excel-1252.csv", file));
    expect(result).toMatchObject({ code: 0, err: "" });
    expect(result.out).toContain("1 rader, 1 skapade, 0 uppdaterade, 0 oförändrade, 0 avvisade");
    expect(await caseByDnr("EXC 2025/1")).toMatchObject({
      title: "Snöröjning på Årstaängsvägen",
      summary: "Plogning – “före kl. 7” – kostar 5 € per gång",
      raisedBy: [{ name: "Örjan Ärlig", party: "C", title: null }],
    });
    const [registry] = await database.db.select().from(registries).where(eq(registries.code, "excel"));
    expect(registry?.name).toBe("Exceldiarium för Årsta");
  });

  it("changes nothing when the same case comes again as CSV UTF-8, or as Windows-1252 once more", async () => {
    const before = await auditCount();
    const utf8 = await runImport(
      await writeTemp("excel-utf8.csv", Buffer.concat([UTF8_BOM, Buffer.from(csv)])),
    );
    expect(utf8.code).toBe(0);
    expect(utf8.out).toContain("1 rader, 0 skapade, 0 uppdaterade, 1 oförändrade, 0 avvisade");
    const again = await runImport(await writeTemp("excel-1252.csv", windows1252(csv)));
    expect(again.out).toContain("1 rader, 0 skapade, 0 uppdaterade, 1 oförändrade, 0 avvisade");
    expect(await auditCount()).toBe(before);
    expect((await caseByDnr("EXC 2025/1"))?.title).toBe("Snöröjning på Årstaängsvägen");
  });

  it("reads Unicode text (UTF-16 LE with a BOM, tab separated) and UTF-16 BE with a BOM", async () => {
    const tsv = (dnr: string) =>
      `registry\tregistry_name\tdnr\tkind\ttitle\r\nexcel\tExceldiarium för Årsta\t${dnr}\tmotion\tMotion om Öland – ”bättre färjor”\r\n`;
    const little = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(tsv("EXC 2025/2"), "utf16le")]);
    const big = Buffer.concat([
      Buffer.from([0xfe, 0xff]),
      Buffer.from(tsv("EXC 2025/3"), "utf16le").swap16(),
    ]);
    for (const [name, file] of [
      ["unicode-le.csv", little],
      ["unicode-be.csv", big],
    ] as const) {
      const result = await runImport(await writeTemp(name, file));
      expect(result).toMatchObject({ code: 0, err: "" });
    }
    expect((await caseByDnr("EXC 2025/2"))?.title).toBe("Motion om Öland – ”bättre färjor”");
    expect((await caseByDnr("EXC 2025/3"))?.title).toBe("Motion om Öland – ”bättre färjor”");
  });

  it("refuses a file whose encoding cannot be told, writes nothing, and says how to save it", async () => {
    const header = "registry;dnr;kind;title\r\n";
    const files: [name: string, bytes: Buffer, says: string][] = [
      [
        "utf16-utan-bom.csv",
        Buffer.from(`${header}excel;EXC 2025/8;motion;Snöröjning\r\n`, "utf16le"),
        "utf16-utan-bom.csv: filen ser ut att vara UTF-16 men saknar byteordningsmärke (BOM)",
      ],
      [
        "blandad.csv",
        Buffer.concat([
          Buffer.from(`${header}excel;EXC 2025/8;motion;Snöröjning i UTF-8\r\n`),
          windows1252("excel;EXC 2025/9;motion;Årstaängsvägen i Windows-1252\r\n"),
        ]),
        "blandad.csv: filen blandar teckenkodningar: rad 2 är skriven i UTF-8 men rad 3 inte (byten 0xC5)",
      ],
      [
        "arbetsbok.csv",
        // An .xlsx workbook renamed: a zip archive, neither UTF-8 nor text.
        xlsxLike(),
        "arbetsbok.csv: teckenkodningen går inte att avgöra: filen är inte UTF-8",
      ],
    ];
    for (const [name, bytes, says] of files) {
      const before = { audit: await auditCount(), cases: await caseCount() };
      const result = await runImport(await writeTemp(name, bytes));
      expect(result.code).toBe(2);
      expect(result.out).toBe("");
      expect(result.err).toContain(says);
      expect(result.err).toContain(SAVE_AS_UTF8);
      expect(result.err.trimEnd().split("\n")).toHaveLength(1);
      expect({ audit: await auditCount(), cases: await caseCount() }).toEqual(before);
    }
    expect(await caseByDnr("EXC 2025/8")).toBeUndefined();
  });

  it("rejects rows whose letters were lost before import, naming field and line, and writes the rest", async () => {
    // Saved as CSV UTF-8, but one row was pasted in from a Windows-1252 file: the BOM says UTF-8,
    // so that row's ö cannot be read.
    const file = Buffer.concat([
      UTF8_BOM,
      Buffer.from(
        "registry;registry_name;dnr;kind;title\r\nexcel;Exceldiarium för Årsta;EXC 2025/10;motion;Snöröjning i UTF-8\r\n",
      ),
      windows1252("excel;Exceldiarium för Årsta;EXC 2025/11;motion;Snöröjning i Windows-1252\r\n"),
    ]);
    const result = await runImport(await writeTemp("bom-men-1252.csv", file));
    expect(result.code).toBe(1);
    expect(result.out.split("\n").filter((line) => line.startsWith("line "))).toEqual([
      "line 3: title: Texten har ersättningstecknet � (U+FFFD) efter «Sn»: där stod ett tecken som gick förlorat när texten sparades eller lästes med fel teckenkodning. Skriv in rätt tecken och spara filen som UTF-8 (replacement character: a character was lost to a wrong encoding)" +
        "; registry_name: Texten har ersättningstecknet � (U+FFFD) efter «Exceldiarium f»: där stod ett tecken som gick förlorat när texten sparades eller lästes med fel teckenkodning. Skriv in rätt tecken och spara filen som UTF-8 (replacement character: a character was lost to a wrong encoding)",
    ]);
    expect((await caseByDnr("EXC 2025/10"))?.title).toBe("Snöröjning i UTF-8");
    expect(await caseByDnr("EXC 2025/11")).toBeUndefined();
  });
});

describe("line numbers in a file saved with CRLF and cells over several lines", () => {
  it("reports each rejected row on the line it starts on, and an unclosed quote where it opened", async () => {
    const csv = [
      "registry;registry_name;dnr;kind;title;summary;raised_on",
      'excel;Exceldiarium för Årsta;EXC 2025/20;skrivelse;Första;"Sammanfattning\r\növer\r\ntre rader";2025-01-10',
      "excel;Exceldiarium för Årsta;EXC 2025/21;skrivelse;Fel datum;;2025-02-30",
      'excel;Exceldiarium för Årsta;EXC 2025/22;skrivelse;Andra;"två\r\nrader";2025-01-11',
      "excel;Exceldiarium för Årsta;EXC 2025/23;beslut;Fel typ;;",
      'excel;Exceldiarium för Årsta;EXC 2025/24;skrivelse;"Tredje;;',
      "excel;Exceldiarium för Årsta;EXC 2025/25;skrivelse;Slukad av citattecknet;;",
      "",
    ].join("\r\n");
    const result = await runImport(await writeTemp("radbrytningar.csv", csv));
    expect(result.code).toBe(1);
    expect(result.out.split("\n").filter((line) => line.startsWith("line "))).toEqual([
      "line 5: raised_on: Ogiltigt datum «2025-02-30»: skriv ÅÅÅÅ-MM-DD, t.ex. 2017-03-31 (invalid date, use YYYY-MM-DD)",
      "line 8: kind: Okänd ärendetyp «beslut»; välj en av: skrivelse, motion, medborgarforslag, interpellation, external_referral, other (unknown case kind)",
      'line 9: title: Citattecknet som inleder fältet stängs aldrig, så resten av filen lästes som en del av fältet. Raderna 9–10 lästes därför inte. Avsluta fältet med " och skriv citattecken inuti ett fält dubbelt ("") (unclosed quote; lines 9–10 were not read)',
    ]);
    expect((await caseByDnr("EXC 2025/20"))?.summary).toBe("Sammanfattning\r\növer\r\ntre rader");
    expect((await caseByDnr("EXC 2025/22"))?.title).toBe("Andra");
  });
});

describe("characters the database cannot store", () => {
  it("rejects a NUL in a CSV field by field and line, instead of failing in the database", async () => {
    const csv = [
      "registry,dnr,kind,title",
      "excel,EXC 2025/30,motion,Utan fel",
      "excel,EXC 2025/31,motion,Med\u0000NUL",
      "",
    ].join("\n");
    const result = await runImport(await writeTemp("nul.csv", csv));
    expect(result.code).toBe(1);
    expect(result.out).not.toContain("Databasfel");
    expect(result.out.split("\n").filter((line) => line.startsWith("line "))).toEqual([
      "line 3: title: Texten har ett NUL-tecken (U+0000) efter «Med»; det kan inte sparas, ta bort det ur filen (NUL character, cannot be stored)",
    ]);
    expect((await caseByDnr("EXC 2025/30"))?.title).toBe("Utan fel");
    expect(await caseByDnr("EXC 2025/31")).toBeUndefined();
  });

  it("rejects NUL, control characters and half characters in JSON, at the line of the field", async () => {
    const json = [
      "{",
      '  "registries": [{ "code": "excel", "name": "Exceldiarium för Årsta" }],',
      '  "cases": [',
      '    { "registry": "excel", "dnr": "EXC 2025/32", "kind": "motion", "title": "Utan fel" },',
      "    {",
      '      "registry": "excel", "dnr": "EXC 2025/33", "kind": "motion", "title": "NUL",',
      '      "summary": "Före\\u0000efter"',
      "    },",
      '    { "registry": "excel", "dnr": "EXC 2025/34", "kind": "motion", "title": "Halvt \\ud83d tecken" },',
      '    { "registry": "excel", "dnr": "EXC 2025/35", "kind": "motion", "title": "Escape \\u001b[0m" }',
      "  ]",
      "}",
    ].join("\n");
    const result = await runImport(await writeTemp("tecken.json", json));
    expect(result.code).toBe(1);
    expect(result.out.split("\n").filter((line) => line.startsWith("line "))).toEqual([
      "line 7: cases[1].summary: Texten har ett NUL-tecken (U+0000) efter «Före»; det kan inte sparas, ta bort det ur filen (NUL character, cannot be stored)",
      "line 9: cases[2].title: Texten har ett halvt tecken (ensamt surrogat U+D83D) efter «Halvt »; rätta texten (lone surrogate, half a character)",
      "line 10: cases[3].title: Texten har styrtecknet U+001B efter «Escape », som inte hör hemma i text; ta bort det ur filen (control character)",
    ]);
    expect((await caseByDnr("EXC 2025/32"))?.title).toBe("Utan fel");
    for (const dnr of ["EXC 2025/33", "EXC 2025/34", "EXC 2025/35"])
      expect(await caseByDnr(dnr)).toBeUndefined();
  });
});

describe("JSON files that cannot be imported as a whole", () => {
  const DEPTH = 100_000;
  const deep: [name: string, text: string][] = [
    ["lista.json", `${"[".repeat(DEPTH)}${"]".repeat(DEPTH)}`],
    ["i-cases.json", `{"cases":[${"[".repeat(DEPTH)}${"]".repeat(DEPTH)}]}`],
    [
      "i-falt.json",
      `{"cases":[{"registry":"excel","dnr":"EXC 2025/40","title":"Djup","kind":${'{"a":'.repeat(DEPTH)}1${"}".repeat(DEPTH)}}]}`,
    ],
  ];
  for (const [name, text] of deep) {
    it(`exits 2 with one line when nested ${DEPTH.toLocaleString("en")} deep (${name})`, async () => {
      const before = await auditCount();
      const result = await runImport(await writeTemp(name, text));
      expect(result).toEqual({
        code: 2,
        out: "",
        err: `${name}: på rad 1 ligger värden mer än 64 nivåer djupt i listor och objekt, men ett ärende i importformatet har högst 7; kontrollera att det är rätt fil (se docs/import-format.md) (nested more than 64 levels deep)\n`,
      });
      expect(await auditCount()).toBe(before);
    });
  }

  it("refuses JSON that is not UTF-8, naming the line, and reads JSON saved as UTF-16 with a BOM", async () => {
    const json = (dnr: string) =>
      `{\n  "registries": [{ "code": "excel", "name": "Exceldiarium för Årsta" }],\n  "cases": [\n    {\n      "registry": "excel", "dnr": "${dnr}", "kind": "motion",\n      "title": "Snöröjning på Årstaängsvägen"\n    }\n  ]\n}\n`;
    const refused = await runImport(await writeTemp("ansi.json", windows1252(json("EXC 2025/41"))));
    expect(refused).toEqual({
      code: 2,
      out: "",
      err: "ansi.json: JSON-filen ska vara UTF-8, men byten 0xF6 på rad 2 är inte UTF-8. Spara filen som UTF-8 och importera igen (JSON must be UTF-8)\n",
    });
    expect(await caseByDnr("EXC 2025/41")).toBeUndefined();

    const unicode = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(json("EXC 2025/42"), "utf16le")]);
    expect((await runImport(await writeTemp("unicode.json", unicode))).code).toBe(0);
    expect((await caseByDnr("EXC 2025/42"))?.title).toBe("Snöröjning på Årstaängsvägen");
  });
});
