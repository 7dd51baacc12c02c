import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runReportCommand } from "../../src/cli/report-command.js";
import { fixedClock } from "../../src/clock.js";
import { DEFAULT_DEADLINE_RULES } from "../../src/modules/deadlines/deadline-rules.js";
import { importRegistry } from "../../src/modules/import/import-registry.js";
import { jsonSource } from "../../src/modules/import/read-import-file.js";
import { getMotionReport } from "../../src/modules/reports/get-motion-report.js";
import { createContext } from "../../src/modules/shared/context.js";
import { createTestDatabase, type TestDatabase } from "../support/test-database.js";

const DEMO = new URL("../../db/seed/demo.json", import.meta.url).pathname;
const CLOCK = fixedClock("2017-04-03T10:00:00+02:00");

/** Not a real case: a restricted motion raised long enough ago to be past its year. */
const RESTRICTED_MOTION = {
  registries: [{ code: "stockholm-ks", name: "Stockholms stad, kommunstyrelsen (stadsledningskontoret)" }],
  cases: [
    {
      registry: "stockholm-ks",
      dnr: "KS 2015/77",
      identifiers: [],
      kind: "motion",
      title: "Motion om skyddat boende på Hemliga gatan",
      public_title: "Motion om boende",
      restricted: true,
      raised_by: [{ name: "Hemlig Motionär", party: "X", title: null }],
      raised_on: "2015-09-01",
      responsible_body: "kommunstyrelsen",
      status: "in_progress",
      referrals: [],
      timeline: [],
    },
  ],
};

let database: TestDatabase;
const ctx = () => createContext({ db: database.db, clock: CLOCK, actor: { type: "cli", user: "test" } });

beforeAll(async () => {
  database = await createTestDatabase();
  const actor = { type: "import", source: "demo.json" } as const;
  await importRegistry(
    { db: database.db, clock: CLOCK, actor },
    { source: jsonSource(await readFile(DEMO, "utf8"), "demo.json") },
  );
  await importRegistry(
    { db: database.db, clock: CLOCK, actor },
    { source: jsonSource(JSON.stringify(RESTRICTED_MOTION), "extra.json") },
  );
});
afterAll(async () => {
  await database?.destroy();
});

describe("the motion report over the demo registry", () => {
  it("lists motion 2016:114 apart, since the sources do not say when it was raised, and no skrivelse", async () => {
    const result = await getMotionReport(ctx(), {
      per: "2017-04-03",
      rules: DEFAULT_DEADLINE_RULES,
      reader: "everything",
    });
    if (!result.ok) throw new Error("expected a report");
    const { report } = result;
    expect(report.unknownRaisedOn).toEqual([
      expect.objectContaining({
        number: "Motion 2016:114",
        title: "Motion om en kompetensutvecklingspeng för socialsekreterare",
        authors: "Isabel Smedberg Palmqvist",
        parties: "L",
        raisedOn: null,
        responsibleBody: "kommunstyrelsen",
        // socialnämnden answered; the three district boards, SLK and the union have not.
        referralsAnswered: 1,
        referralsOutstanding: 5,
        daysPastYear: null,
      }),
    ]);
    expect(report.unknownRaisedOn[0]?.stage).toMatch(/^Remitterad till Bromma stadsdelsnämnd/);
    expect(report.overdue.map((row) => row.number)).toEqual(["Dnr KS 2015/77"]);
    expect(JSON.stringify(report)).not.toContain("108-1642/2017");
  });

  it("gives a channel the restricted motion by its public data only", async () => {
    const result = await getMotionReport(ctx(), {
      per: "2017-04-03",
      rules: DEFAULT_DEADLINE_RULES,
      reader: "channel",
    });
    if (!result.ok) throw new Error("expected a report");
    const [row] = result.report.overdue;
    // Raised 1 September 2015: the year ended Thursday 1 September 2016, 214 days before 3 April 2017.
    expect(row).toMatchObject({
      number: "Dnr KS 2015/77",
      title: "Motion om boende",
      authors: null,
      daysPastYear: 214,
    });
    expect(JSON.stringify(result.report)).not.toMatch(/Hemlig/);
  });

  it("counts as of today by the clock when no day is given, and refuses a day that is not one", async () => {
    const result = await getMotionReport(ctx(), { rules: DEFAULT_DEADLINE_RULES, reader: "channel" });
    expect(result.ok && result.report.per).toBe("2017-04-03");
    const bad = await getMotionReport(ctx(), {
      per: "2017-02-30",
      rules: DEFAULT_DEADLINE_RULES,
      reader: "channel",
    });
    expect(bad).toEqual({
      ok: false,
      error: { code: "reports.invalid_date", params: { typed: "2017-02-30" } },
    });
  });
});

describe("arendebot rapport motioner", () => {
  const sink = () => {
    const chunks: Buffer[] = [];
    const stream = new Writable({
      write(chunk, _encoding, done) {
        chunks.push(Buffer.from(chunk));
        done();
      },
    });
    return { stream, text: () => Buffer.concat(chunks).toString("utf8") };
  };

  it("writes the CSV to a file, in full for the trusted terminal and public with --offentlig", async () => {
    const dir = await mkdtemp(join(tmpdir(), "rapport-"));
    try {
      const file = join(dir, "motioner.csv");
      const err = sink();
      const base = {
        ctx: ctx(),
        rules: DEFAULT_DEADLINE_RULES,
        format: "csv" as const,
        per: "2017-04-03",
        outFile: file,
        out: sink().stream,
        err: err.stream,
      };
      expect(await runReportCommand(base)).toBe(0);
      expect(await readFile(file, "utf8")).toContain("Motion om skyddat boende på Hemliga gatan;");
      expect(err.text()).toContain(
        "1 motioner och medborgarförslag över ettårsgränsen per 2017-04-03, 1 ej beslutade utan känt datum",
      );
      expect(await runReportCommand({ ...base, publicOnly: true })).toBe(0);
      const published = await readFile(file, "utf8");
      expect(published).toContain("Dnr KS 2015/77;Motion;Motion om boende;Sekretess;Sekretess;2015-09-01;");
      expect(published).not.toContain("Hemlig");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("prints Markdown on standard output", async () => {
    const out = sink();
    const code = await runReportCommand({
      ctx: ctx(),
      rules: DEFAULT_DEADLINE_RULES,
      format: "md",
      per: "2017-04-03",
      out: out.stream,
      err: sink().stream,
    });
    expect(code).toBe(0);
    expect(out.text()).toContain(
      "| Motion 2016:114 | Motion | Motion om en kompetensutvecklingspeng för socialsekreterare | Isabel Smedberg Palmqvist | L | okänt | kommunstyrelsen |",
    );
  });
});
