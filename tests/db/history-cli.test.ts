import { spawnSync } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runHistoryCommand } from "../../src/cli/history-command.js";
import { fixedClock, systemClock } from "../../src/clock.js";
import { openDatabase } from "../../src/db/client.js";
import { recordAudit } from "../../src/modules/audit/audit.repository.js";
import { importRegistry } from "../../src/modules/import/import-registry.js";
import { jsonSource } from "../../src/modules/import/read-import-file.js";
import { createContext } from "../../src/modules/shared/context.js";
import { Seeder } from "../support/seed-rows.js";
import { createTestDatabase, type TestDatabase } from "../support/test-database.js";

const ROOT = new URL("../..", import.meta.url).pathname;
const DEMO = join(ROOT, "db/seed/demo.json");
const SECRET_TITLE = "Orosanmälan gällande barn på Drottninggatan 5";

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
  await importRegistry(
    {
      db: database.db,
      actor: { type: "import", source: "demo.json" },
      clock: fixedClock("2017-04-03T07:00:00Z"),
    },
    {
      source: jsonSource(await readFile(DEMO, "utf8"), "demo.json"),
    },
  );
  const seed = new Seeder(database.db);
  const secret = await seed.case({
    registry: "stockholm-sekretess",
    dnr: "108-2001/2017",
    kind: "other",
    title: SECRET_TITLE,
    publicTitle: "Sekretess",
    restricted: true,
  });
  await database.db.transaction((tx) =>
    recordAudit(tx, {
      actor: { type: "cli", user: "marten" },
      at: new Date("2017-04-03T12:05:00Z"),
      entries: [
        {
          action: "case.updated",
          entityType: "case",
          entityId: secret,
          changes: { title: { from: "Orosanmälan", to: SECRET_TITLE } },
        },
      ],
    }),
  );
});

afterAll(async () => {
  await database?.destroy();
});

async function historik(query: string, options: { page?: number; limit?: number } = {}) {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on("data", (chunk: Buffer) => chunks.push(chunk));
  const code = await runHistoryCommand({
    ctx: createContext({ db: database.db, clock: systemClock, actor: { type: "cli", user: "drift" } }),
    query,
    out,
    ...options,
  });
  return { code, out: Buffer.concat(chunks).toString("utf8") };
}

describe("arendebot historik", () => {
  it("prints the case's history newest first, as plain text, and exits 0", async () => {
    const { code, out } = await historik("Dnr 108-1642/2017");
    expect(code).toBe(0);
    const lines = out.trimEnd().split("\n");
    expect(lines.slice(0, 3)).toEqual([
      "Historik · Dnr 108-1642/2017",
      "Bristerna inom socialtjänsten",
      "Händelse 1–11 av 11, nyast först",
    ]);
    expect(lines.at(-1)).toBe("3 apr. 2017 09:00  Ärendet importerat från demo.json");
    expect(out).toContain(
      "3 apr. 2017 09:00  Remiss till stadsledningskontoret registrerad, besvarad 13 januari 2017 (vid import från demo.json)",
    );
    expect(out).not.toContain("Äldre händelser");
    expect(out).not.toMatch(/[*<>]/);
  });

  it("pages with --page and --limit, and says how to get the next page", async () => {
    const { code, out } = await historik("motion 2016:114", { page: 2, limit: 5 });
    expect(code).toBe(0);
    expect(out).toContain("Händelse 6–10 av 13, nyast först · sida 2 av 3");
    expect(out.match(/^3 apr\. 2017 09:00 {2}/gm)).toHaveLength(5);
    expect(out).toContain("Äldre händelser: arendebot historik Motion 2016:114 --page 3 --limit 5");
    const past = await historik("motion 2016:114", { page: 9, limit: 5 });
    expect(past.code).toBe(0);
    expect(past.out).toContain("Sidan 9 finns inte; historiken har 3 sidor.");
    expect(past.out).toContain("sida 3 av 3");
  });

  it("shows a restricted case in full, as status does: the terminal is trusted", async () => {
    const { code, out } = await historik("Dnr 108-2001/2017");
    expect(code).toBe(0);
    expect(out).toContain(SECRET_TITLE);
    expect(out).toContain(`Titel ändrad från «Orosanmälan» till «${SECRET_TITLE}» (av marten i terminalen)`);
    expect(out).toContain("Sekretess: visa inte historiken i en kanal.");
  });

  it("exits 1 for an unknown case, with close matches, and 2 for something that is no identifier", async () => {
    const unknown = await historik("Dnr 108-1643/2017");
    expect(unknown.code).toBe(1);
    expect(unknown.out).toContain("Jag hittar inget ärende med Dnr 108-1643/2017 i diariet.");
    expect(unknown.out).toContain("Dnr 108-1642/2017 Bristerna inom socialtjänsten");
    const invalid = await historik("hej hopp");
    expect(invalid.code).toBe(2);
    expect(invalid.out).toContain("Godtagna former:");
  });
});

describe("the arendebot command", () => {
  let dataDir: string | undefined;
  beforeAll(async () => {
    // On PostgreSQL the program opens this file's database; the embedded one needs a directory of its
    // own, imported here so that only the command under test is started as a program.
    if (database.url) return;
    dataDir = await mkdtemp(join(tmpdir(), "arendebot-historik-"));
    const handle = await openDatabase({ kind: "pglite", dataDir });
    try {
      await handle.migrate();
      await importRegistry(
        {
          db: handle.db,
          actor: { type: "import", source: "demo.json" },
          clock: fixedClock("2017-04-03T07:00:00Z"),
        },
        {
          source: jsonSource(await readFile(DEMO, "utf8"), "demo.json"),
        },
      );
    } finally {
      await handle.close();
    }
  });
  afterAll(async () => {
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it("has historik, with --limit", () => {
    const env = {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? tmpdir(),
      ...(database.url ? { DATABASE_URL: database.url } : { DATA_DIR: dataDir ?? "" }),
    };
    const found = spawnSync(
      process.execPath,
      ["bin/arendebot.js", "historik", "Dnr", "108-1642/2017", "--limit", "3"],
      { cwd: ROOT, env, encoding: "utf8" },
    );
    expect(found.status).toBe(0);
    expect(found.stdout).toContain("Händelse 1–3 av 11, nyast först · sida 1 av 4");
    expect(found.stdout).toContain(
      "Äldre händelser: arendebot historik Dnr 108-1642/2017 --page 2 --limit 3",
    );
  }, 60_000);
});
