import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { sql } from "drizzle-orm";
import iconv from "iconv-lite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importActor, runImportCommand } from "../../src/cli/import-command.js";
import { runStatusCommand } from "../../src/cli/status-command.js";
import { fixedClock } from "../../src/clock.js";
import { rowsOf } from "../../src/db/client.js";
import { createContext } from "../../src/modules/shared/context.js";
import { createTestDatabase, emptyDatabase, type TestDatabase } from "../support/test-database.js";

const DEMO = new URL("../../db/seed/demo.json", import.meta.url).pathname;
const FIXTURES = new URL("../fixtures/erms/", import.meta.url).pathname;
const SWEDISH = join(FIXTURES, "stockholm-fgs2.xml");
const GENERATED = join(FIXTURES, "generated-example-2.1.xml");
const clock = fixedClock("2025-03-01T09:00:00Z");

let directory: string;
let shared: TestDatabase | undefined;
const others: TestDatabase[] = [];

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), "arendebot-erms-"));
});

afterAll(async () => {
  await Promise.all([shared, ...others].map((database) => database?.destroy()));
  await rm(directory, { recursive: true, force: true });
});

/** An empty registry: the file's database, emptied (a new one costs seconds on PGlite). */
async function freshDatabase(): Promise<TestDatabase> {
  shared ??= await createTestDatabase();
  await emptyDatabase(shared.db);
  return shared;
}

/** A second empty registry beside the first, for a test that compares two imports. */
async function anotherDatabase(): Promise<TestDatabase> {
  const database = await createTestDatabase();
  others.push(database);
  return database;
}

async function runImport(database: TestDatabase, file: string) {
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
    interactive: false,
  });
  return {
    code,
    out: Buffer.concat(chunks.out).toString("utf8"),
    err: Buffer.concat(chunks.err).toString("utf8"),
  };
}

async function card(database: TestDatabase, query: string): Promise<string> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on("data", (chunk: Buffer) => chunks.push(chunk));
  await runStatusCommand({
    ctx: createContext({ db: database.db, clock, actor: { type: "cli", user: "test" } }),
    query,
    today: "2017-06-01",
    out,
  });
  return Buffer.concat(chunks).toString("utf8");
}

async function writeTemp(name: string, content: string | Buffer): Promise<string> {
  const file = join(directory, name);
  await writeFile(file, content);
  return file;
}

describe("arendebot import FILE.xml (FGS Ärendehantering 2.0 / CITS ERMS)", { timeout: 60_000 }, () => {
  it("reads the Swedish export of the two demo cases as the very cases of the demo data", async () => {
    const database = await freshDatabase();
    expect((await runImport(database, DEMO)).code).toBe(0);
    const before = await card(database, "Dnr 108-1642/2017");
    const motionBefore = await card(database, "Motion 2016:114");

    const result = await runImport(database, SWEDISH);

    expect(result.err).toBe("");
    expect(result.code).toBe(0);
    expect(result.out).toContain(
      "stockholm-fgs2.xml: 2 rader, 0 skapade, 0 uppdaterade, 2 oförändrade, 0 avvisade",
    );
    expect(await card(database, "Dnr 108-1642/2017")).toBe(before);
    expect(await card(database, "Motion 2016:114")).toBe(motionBefore);
  });

  it("imports the Swedish export into an empty registry with its bodies and the remiss due date", async () => {
    const database = await freshDatabase();
    const result = await runImport(database, SWEDISH);
    expect(result.code).toBe(0);
    expect(result.out).toContain("2 skapade");
    const motion = await card(database, "Motion 2016:114");
    expect(motion).toContain("Motion om en kompetensutvecklingspeng för socialsekreterare");
    expect(motion).toContain("Socialnämnden");
    expect(motion).toContain("31 mars 2017");
    expect(motion).toContain("Akademikerförbundet SSR");
    const letter = await card(database, "Dnr 108-1642/2017");
    expect(letter).toContain("Bristerna inom socialtjänsten");
    expect(letter).toContain("Lotta Edholm (L)");
  });

  it("rejects the generated example's case files one by one, with the field and the reason", async () => {
    const database = await freshDatabase();
    const result = await runImport(database, GENERATED);
    expect(result.err).toBe("");
    expect(result.code).toBe(1);
    expect(result.out).toMatch(
      /line \d+: \/erms\/aggregations\/aggregation\[1\]\.dnr: «objectId0» är inget diarienummer/u,
    );
  });
});

describe("an ERMS file that does not follow ERMS.xsd", { timeout: 60_000 }, () => {
  it("names the element path and the reason of each problem, and still imports the valid case files", async () => {
    const database = await freshDatabase();
    const text = (await readFile(SWEDISH, "utf8"))
      .replace('<status value="closed"/>', '<status value="stängt"/>')
      .replace(
        '<date dateType="created">2016-10-26T00:00:00</date>',
        '<date dateType="created">26/10 2016</date>',
      );
    const result = await runImport(database, await writeTemp("trasig.xml", text));

    expect(result.code).toBe(1);
    expect(result.out).toContain("ärenden (cases): 1 skapade");
    expect(result.out).toContain("1 avvisade");
    const [rejection] = result.out.split("\n").filter((line) => line.startsWith("line "));
    expect(rejection).toMatch(
      /^line \d+: \/erms\/aggregations\/aggregation\[1\]: ärendet följer inte ERMS\.xsd/u,
    );
    expect(rejection).toMatch(
      /rad \d+ \/erms\/aggregations\/aggregation\[1\]\/dates\/date: Element 'date': '26\/10 2016' is not a valid value of the atomic type 'xs:dateTime'/u,
    );
    expect(rejection).toMatch(
      /rad \d+ \/erms\/aggregations\/aggregation\[1\]\/status: .*'stängt' is not an element of the set/u,
    );
    expect(await card(database, "Motion 2016:114")).toContain("Motion om en kompetensutvecklingspeng");
    expect(await card(database, "Dnr 108-1642/2017")).not.toContain("Bristerna");
  });

  it("refuses a file that is not XML, or not an ERMS document, whole", async () => {
    const database = await freshDatabase();
    const broken = await runImport(
      database,
      await writeTemp("halv.xml", '<?xml version="1.0"?>\n<erms>\n<control>'),
    );
    expect(broken.code).toBe(2);
    expect(broken.err).toMatch(/halv\.xml: ogiltig XML på rad 3/u);
    const other = await runImport(database, await writeTemp("annan.xml", "<rss><channel/></rss>"));
    expect(other.code).toBe(2);
    expect(other.err).toContain("rotelementet är <rss>, inte <erms>");
  });
});

describe("the encodings Swedish offices save XML in", { timeout: 60_000 }, () => {
  const latin = async (encoding: string, declared: string, edit: (text: string) => string = (text) => text) =>
    iconv.encode(
      edit(await readFile(SWEDISH, "utf8")).replace('encoding="UTF-8"', `encoding="${declared}"`),
      encoding,
    );

  it("reads ISO-8859-1 and Windows-1252 as they declare, å ä ö and – included", async () => {
    const database = await freshDatabase();
    const iso = await runImport(database, await writeTemp("latin1.xml", await latin("latin1", "ISO-8859-1")));
    expect(iso.code).toBe(0);
    expect(await card(database, "Dnr 108-1642/2017")).toContain("Bristerna inom socialtjänsten");

    const other = await anotherDatabase();
    const dash = (text: string) =>
      text.replace(">Bristerna inom socialtjänsten<", ">Bristerna inom socialtjänsten – skrivelse<");
    const windows = await runImport(
      other,
      await writeTemp("cp1252.xml", await latin("win1252", "windows-1252", dash)),
    );
    expect(windows.code).toBe(0);
    expect(await card(other, "Dnr 108-1642/2017")).toContain("Bristerna inom socialtjänsten – skrivelse");
  });

  it("refuses a file whose bytes are not what it declares, naming the line", async () => {
    const database = await freshDatabase();
    const dash = (text: string) => text.replace(">Bristerna inom socialtjänsten<", ">Bristerna – skrivelse<");
    const mislabelled = await runImport(
      database,
      await writeTemp("fel.xml", await latin("win1252", "ISO-8859-1", dash)),
    );
    expect(mislabelled.code).toBe(2);
    expect(mislabelled.err).toMatch(/byten 0x96 på rad \d+ är ett styrtecken i ISO-8859-1/u);

    const utf8 = (await readFile(SWEDISH, "utf8")).replace('encoding="UTF-8"', 'encoding="ISO-8859-1"');
    const declaredLatin = await runImport(database, await writeTemp("utf8.xml", utf8));
    expect(declaredLatin.code).toBe(2);
    expect(declaredLatin.err).toMatch(/anger teckenkodningen iso-8859-1, men rad \d+ är skriven i UTF-8/u);

    const undeclared = (await latin("win1252", "windows-1252"))
      .toString("latin1")
      .replace(' encoding="windows-1252"', "");
    const noDeclaration = await runImport(
      database,
      await writeTemp("utan.xml", Buffer.from(undeclared, "latin1")),
    );
    expect(noDeclaration.code).toBe(2);
    expect(noDeclaration.err).toMatch(
      /anger ingen teckenkodning och ska då vara UTF-8, men byten 0x[0-9A-F]{2} på rad \d+ är inte UTF-8/u,
    );
  });
});

describe("what a case file says beyond the JSON format's first fields", { timeout: 60_000 }, () => {
  it("keeps the decision deadline as stated beside the statutory one, and skips vendor extensions", async () => {
    const database = await freshDatabase();
    const text = await readFile(SWEDISH, "utf8");
    // The schema puts the case's dates right after its description.
    const at = text.indexOf("</description>", text.indexOf("<title>Motion om")) + "</description>".length;
    const fixed = `${text.slice(0, at)}
      <dates>
        <date dateType="decision_deadline">2017-09-29T00:00:00</date>
      </dates>${text.slice(at)}`;
    const result = await runImport(database, await writeTemp("frist.xml", fixed));
    expect(result.err).toBe("");
    expect(result.code).toBe(0);
    expect(await card(database, "Motion 2016:114")).toContain(
      "Beslutsfrist enligt diariet. Senast 29 september 2017",
    );
    // Stored with the case, so the same file again changes nothing.
    const [stored] = rowsOf<{ decision_due_on: string }>(
      await database.db.execute(
        sql`select decision_due_on::text from cases where decision_due_on is not null`,
      ),
    );
    expect(stored?.decision_due_on).toBe("2017-09-29");
    const again = await runImport(database, await writeTemp("frist-igen.xml", fixed));
    expect(again.code).toBe(0);
    expect(again.out).toMatch(/ 0 uppdaterade/u);
  });
});
