import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importActor, runImportCommand } from "../../src/cli/import-command.js";
import { fixedClock } from "../../src/clock.js";
import { auditEvents, cases } from "../../src/db/schema.js";
import { createContext } from "../../src/modules/shared/context.js";
import { createTestDatabase, type TestDatabase } from "../support/test-database.js";

const DEMO = new URL("../../db/seed/demo.json", import.meta.url).pathname;
const REPORT = new URL("../../db/seed/diarium-report.csv", import.meta.url).pathname;
const MAPPING = new URL("../../db/seed/diarium-mapping.json", import.meta.url).pathname;
const clock = fixedClock("2025-03-01T09:00:00Z");

let database: TestDatabase;
let directory: string;

beforeAll(async () => {
  database = await createTestDatabase();
  directory = await mkdtemp(join(tmpdir(), "arendebot-mapping-"));
  expect((await runImport(DEMO)).code).toBe(0);
});

afterAll(async () => {
  await database?.destroy();
  await rm(directory, { recursive: true, force: true });
});

/** `arendebot import FILE [--mapping MAP]`: its exit code and what it printed. */
async function runImport(file: string, mappingFile?: string) {
  const out = new PassThrough();
  const err = new PassThrough();
  const chunks = { out: [] as Buffer[], err: [] as Buffer[] };
  out.on("data", (chunk: Buffer) => chunks.out.push(chunk));
  err.on("data", (chunk: Buffer) => chunks.err.push(chunk));
  const code = await runImportCommand({
    ctx: createContext({ db: database.db, clock, actor: importActor(file) }),
    file,
    ...(mappingFile ? { mappingFile } : {}),
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

/** A report as Excel on a Swedish Windows saves it: Windows-1252, semicolons, CRLF. */
async function report(name: string, lines: string[]): Promise<string> {
  const file = join(directory, name);
  await writeFile(file, Buffer.from(`${lines.join("\r\n")}\r\n`, "latin1"));
  return file;
}

async function mappingFile(name: string, mapping: unknown): Promise<string> {
  const file = join(directory, name);
  await writeFile(file, JSON.stringify(mapping));
  return file;
}

async function storedCase(title: string) {
  const [row] = await database.db.select().from(cases).where(eq(cases.title, title));
  return row;
}

async function auditCount(): Promise<number> {
  const [row] = await database.db.select({ n: count() }).from(auditEvents);
  return row?.n ?? 0;
}

const HEADER =
  "Diarienummer;Beteckning;Ärendetyp;Ärendemening;Initiativtagare;Registrerad;Status;Ansvarig nämnd;Adresserat till;Beslut";

describe("arendebot import REPORT.csv --mapping MAP.json", () => {
  it("reads db/seed's diarium report of the demo cases as the demo data: nothing changes", async () => {
    const before = await auditCount();
    const result = await runImport(REPORT, MAPPING);
    expect(result.err).toBe("");
    expect(result.code).toBe(0);
    expect(result.out).toContain(
      "diarium-report.csv: 2 rader, 0 skapade, 0 uppdaterade, 2 oförändrade, 0 avvisade",
    );
    expect(await auditCount()).toBe(before);
  });

  it("creates and updates cases from the report's own columns, words and dates", async () => {
    const file = await report("rapport.csv", [
      HEADER,
      ";Motion 2016:114;Motion;Motion om en kompetensutvecklingspeng för socialsekreterare;Isabel Smedberg Palmqvist (L);;Avslutat;Kommunstyrelsen;Kommunfullmäktige;",
      "KS 2025/39;;Skrivelse;Skrivelse om öppettider i Åkeshov;Anna Exempel (A);31.03.2025;Pågående;Kommunstyrelsen;Kommunstyrelsen;",
    ]);
    const result = await runImport(file, MAPPING);
    expect(result.code).toBe(0);
    expect(result.out).toContain("rapport.csv: 2 rader, 1 skapade, 1 uppdaterade, 0 oförändrade, 0 avvisade");
    expect(await storedCase("Motion om en kompetensutvecklingspeng för socialsekreterare")).toMatchObject({
      status: "closed",
    });
    expect(await storedCase("Skrivelse om öppettider i Åkeshov")).toMatchObject({
      dnr: "KS 2025/39",
      kind: "skrivelse",
      raisedOn: "2025-03-31",
      status: "in_progress",
      raisedBy: [{ name: "Anna Exempel", party: "A", title: null }],
    });
  });

  it("rejects a row whose date is not written as the mapping says, by line, and writes the others", async () => {
    const file = await report("datum.csv", [
      HEADER,
      "KS 2025/40;;Skrivelse;Skrivelse om parkbänkar;Bertil Exempel (B);2025-04-01;Pågående;Kommunstyrelsen;;",
      "KS 2025/41;;Skrivelse;Skrivelse om snöröjning;Bertil Exempel (B);01.04.2025;Pågående;Kommunstyrelsen;;",
    ]);
    const result = await runImport(file, MAPPING);
    expect(result.code).toBe(1);
    expect(result.out).toContain("datum.csv: 2 rader, 1 skapade, 0 uppdaterade, 0 oförändrade, 1 avvisade");
    expect(result.out).toContain(
      "line 2: raised_on: «2025-04-01» är inte ett datum skrivet dd.MM.yyyy, som mappningsfilen säger (t.ex. 31.03.2017)",
    );
    expect(await storedCase("Skrivelse om parkbänkar")).toBeUndefined();
    expect(await storedCase("Skrivelse om snöröjning")).toMatchObject({ raisedOn: "2025-04-01" });
  });

  it("refuses the whole report, writing nothing, when a mapped column is missing from it", async () => {
    const before = await auditCount();
    const file = await report("utan-status.csv", [
      "Diarienummer;Ärendetyp;Ärendemening",
      "KS 2025/42;Skrivelse;Skrivelse om lekplatser",
    ]);
    const result = await runImport(file, MAPPING);
    expect(result.code).toBe(2);
    expect(result.err).toContain(
      'utan-status.csv: mappningsfilen nämner "Beteckning", "Initiativtagare", "Registrerad", "Status", "Ansvarig nämnd", "Adresserat till", "Beslut", men rubrikraden har ingen sådan kolumn',
    );
    expect(await auditCount()).toBe(before);
  });

  it("refuses a mapping file that is not valid, naming each problem", async () => {
    const file = await report("rapport2.csv", [HEADER]);
    const map = await mappingFile("fel.json", {
      columns: { Diarienummer: "diarie_nr" },
      dateFormat: "dd.MM",
    });
    const result = await runImport(file, map);
    expect(result.code).toBe(2);
    expect(result.err).toContain("fel.json: mappningsfilen går inte att använda:");
    expect(result.err).toContain('columns.Diarienummer: okänt fält "diarie_nr"');
    expect(result.err).toContain("dateFormat: ska ha år (yyyy)");
  });

  it("asks for a registry when neither a column nor a constant gives one", async () => {
    const file = await report("rapport3.csv", [HEADER]);
    const map = await mappingFile("utan-diarium.json", {
      columns: { Diarienummer: "dnr", Ärendetyp: "kind", Ärendemening: "title" },
    });
    const result = await runImport(file, map);
    expect(result.code).toBe(2);
    expect(result.err).toContain(
      "rapport3.csv: mappningsfilen ger inget värde för registry; mappa en kolumn i rapporten till det eller ange det under constants",
    );
  });

  it("without --mapping, points a report's unknown columns at --mapping", async () => {
    const result = await runImport(REPORT);
    expect(result.code).toBe(2);
    expect(result.err).toContain('okänd kolumn "diarienummer"');
    expect(result.err).toContain("importera den med --mapping");
  });

  it("refuses a mapping for a JSON file", async () => {
    const result = await runImport(DEMO, MAPPING);
    expect(result.code).toBe(2);
    expect(result.err).toContain("en mappningsfil gäller bara CSV-filer");
  });
});
