import { mkdtemp, readFile, rm, utimes, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { count, eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { fixedClock } from "../../src/clock.js";
import type { SyncConfig } from "../../src/config.js";
import { auditEvents, cases, syncRuns } from "../../src/db/schema.js";
import { createContext, systemActor } from "../../src/modules/shared/context.js";
import { SyncSourceError } from "../../src/modules/sync/errors.js";
import { claimSync } from "../../src/modules/sync/sync.repository.js";
import { syncFromDiarium } from "../../src/modules/sync/sync-from-diarium.js";
import { createTestDatabase, type TestDatabase } from "../support/test-database.js";

const DEMO = new URL("../../db/seed/demo.json", import.meta.url).pathname;
const clock = fixedClock("2026-11-30T09:00:00Z");

let database: TestDatabase;
let folder: string;
let demo: { registries: unknown[]; bodies: unknown[]; cases: Record<string, unknown>[] };

beforeAll(async () => {
  database = await createTestDatabase();
  demo = JSON.parse(await readFile(DEMO, "utf8"));
});

afterAll(async () => {
  await database?.destroy();
});

beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), "arendebot-sync-"));
  return () => rm(folder, { recursive: true, force: true });
});

const ctx = () => createContext({ db: database.db, clock, actor: systemActor("sync") });
const fromFolder = (): { source: SyncConfig["source"]; header: undefined } => ({
  source: { kind: "folder", path: folder },
  header: undefined,
});

/** Writes an export into the folder, `minutesAgo` old, as the diarium's export job would. */
async function exportFile(name: string, content: unknown, minutesAgo = 0): Promise<void> {
  const file = join(folder, name);
  await writeFile(file, typeof content === "string" ? content : JSON.stringify(content));
  const when = new Date(Date.now() - minutesAgo * 60_000);
  await utimes(file, when, when);
}

async function caseCount(): Promise<number> {
  const [row] = await database.db.select({ n: count() }).from(cases);
  return row?.n ?? 0;
}

async function auditCount(): Promise<number> {
  const [row] = await database.db.select({ n: count() }).from(auditEvents);
  return row?.n ?? 0;
}

const withStatus = (status: string) => ({
  ...demo,
  cases: demo.cases.map((entry) => (entry.dnr === "108-1642/2017" ? { ...entry, status } : entry)),
});

describe("sync from a folder", () => {
  it("imports the newest export once; the same export again is already synced", async () => {
    await exportFile("gammal-export.json", { cases: [] }, 60);
    await exportFile("arenden-2026-11-30.json", demo, 1);
    await exportFile(".arenden-2026-11-30.json.tmp", "{ halfway", 0);
    const first = await syncFromDiarium(ctx(), { ...fromFolder(), instanceId: "a" });
    expect(first).toMatchObject({
      type: "synced",
      report: { sourceName: "arenden-2026-11-30.json", created: 2, updated: 0, rejected: 0 },
    });
    const audited = await auditCount();
    const again = await syncFromDiarium(ctx(), { ...fromFolder(), instanceId: "b" });
    expect(again).toMatchObject({ type: "already_synced", report: { created: 2 } });
    expect(await auditCount()).toBe(audited);
  });

  it("applies a newer export's changes, a status of ad acta included, and deletes nothing absent from it", async () => {
    const before = await caseCount();
    const skrivelseOnly = withStatus("ad_acta");
    skrivelseOnly.cases = skrivelseOnly.cases.filter((entry) => entry.dnr === "108-1642/2017");
    await exportFile("arenden-2026-12-01.json", skrivelseOnly);
    const result = await syncFromDiarium(ctx(), { ...fromFolder(), instanceId: "a" });
    expect(result).toMatchObject({ type: "synced", report: { created: 0, updated: 1, unchanged: 0 } });
    const [skrivelse] = await database.db.select().from(cases).where(eq(cases.dnr, "108-1642/2017"));
    expect(skrivelse?.status).toBe("ad_acta");
    // The motion was not in this export, and is still there.
    expect(await caseCount()).toBe(before);
    const [actor] = await database.db
      .select({ actorId: auditEvents.actorId })
      .from(auditEvents)
      .where(eq(auditEvents.action, "case.updated"));
    expect(actor?.actorId).toBe("synk: arenden-2026-12-01.json");
  });

  it("records an export it cannot read once, with the reason, and imports nothing", async () => {
    const before = await auditCount();
    await exportFile("trasig.json", "{ not json");
    const first = await syncFromDiarium(ctx(), { ...fromFolder(), instanceId: "a" });
    expect(first).toMatchObject({
      type: "synced",
      report: { sourceName: "trasig.json", unreadable: expect.stringContaining("ogiltig JSON") },
    });
    expect(await syncFromDiarium(ctx(), { ...fromFolder(), instanceId: "a" })).toMatchObject({
      type: "already_synced",
    });
    expect(await auditCount()).toBe(before);
  });

  it("has nothing to do in an empty folder, and says so when the folder is missing", async () => {
    expect(await syncFromDiarium(ctx(), { ...fromFolder(), instanceId: "a" })).toEqual({ type: "no_export" });
    await expect(
      syncFromDiarium(ctx(), {
        source: { kind: "folder", path: join(folder, "saknas") },
        header: undefined,
        instanceId: "a",
      }),
    ).rejects.toThrow(/saknas kan inte läsas: finns inte/);
  });
});

describe("exactly once across replicas", () => {
  it("two replicas syncing the same export at once import it once", async () => {
    await exportFile("arenden-samtidigt.json", withStatus("initiated"));
    const results = await Promise.all(
      ["replica-1", "replica-2"].map((instanceId) => syncFromDiarium(ctx(), { ...fromFolder(), instanceId })),
    );
    expect(results.map((result) => result.type).sort()).toEqual(["claimed_elsewhere", "synced"]);
    const [run] = await database.db
      .select()
      .from(syncRuns)
      .where(eq(syncRuns.sourceName, "arenden-samtidigt.json"));
    expect(run).toMatchObject({ state: "done", attempts: 1 });
    // The one status change, written and audited once.
    const changes = await database.db
      .select({ action: auditEvents.action })
      .from(auditEvents)
      .where(eq(auditEvents.actorId, "synk: arenden-samtidigt.json"));
    expect(changes.filter(({ action }) => action === "case.updated")).toHaveLength(1);
  });

  it("takes over a sync whose holder died, and redoing it duplicates nothing", async () => {
    const export_ = withStatus("in_progress");
    await exportFile("arenden-avbruten.json", export_);
    const { createHash } = await import("node:crypto");
    const version = createHash("sha256").update(JSON.stringify(export_)).digest("hex");
    // A replica claimed it ten minutes ago and died before finishing.
    const died = new Date(clock.now().getTime() - 10 * 60_000);
    const claim = await claimSync(database.db, {
      version,
      sourceName: "arenden-avbruten.json",
      claimedBy: "dead-replica",
      at: died,
      leaseUntil: new Date(died.getTime() + 60_000),
    });
    expect(claim.claimed).toBe(true);
    const cases = await caseCount();
    const result = await syncFromDiarium(ctx(), { ...fromFolder(), instanceId: "alive" });
    expect(result).toMatchObject({ type: "synced", report: { updated: 1 } });
    expect(await caseCount()).toBe(cases);
    const [run] = await database.db.select().from(syncRuns).where(eq(syncRuns.version, version));
    expect(run).toMatchObject({ state: "done", claimedBy: "alive", attempts: 2 });
  });

  it("leaves a live claim alone", async () => {
    const { createHash } = await import("node:crypto");
    await exportFile("arenden-pagaende.json", withStatus("on_hold"));
    const version = createHash("sha256")
      .update(JSON.stringify(withStatus("on_hold")))
      .digest("hex");
    await claimSync(database.db, {
      version,
      sourceName: "arenden-pagaende.json",
      claimedBy: "busy-replica",
      at: clock.now(),
      leaseUntil: new Date(clock.now().getTime() + 60_000),
    });
    expect(await syncFromDiarium(ctx(), { ...fromFolder(), instanceId: "other" })).toEqual({
      type: "claimed_elsewhere",
    });
  });
});

describe("sync from an http(s) URL", () => {
  let server: Server;
  let url: string;
  let served: { body: string; type: string; disposition?: string };
  let seenAuth: string[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      seenAuth.push(req.headers["x-api-key"] as string);
      if (req.headers["x-api-key"] !== "hemlig-nyckel") {
        res.writeHead(401).end();
        return;
      }
      res.writeHead(200, {
        "content-type": served.type,
        ...(served.disposition ? { "content-disposition": served.disposition } : {}),
      });
      res.end(served.body);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/export/senaste`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => {
    seenAuth = [];
  });

  it("fetches the export with the configured header and names it as the server does", async () => {
    served = {
      body: JSON.stringify(withStatus("expedited")),
      type: "application/octet-stream",
      disposition: 'attachment; filename="diarium-export.json"',
    };
    const result = await syncFromDiarium(ctx(), {
      source: { kind: "url", url },
      header: ["X-Api-Key", "hemlig-nyckel"],
      instanceId: "a",
    });
    expect(result).toMatchObject({
      type: "synced",
      report: { sourceName: "diarium-export.json", updated: 1 },
    });
    expect(seenAuth).toEqual(["hemlig-nyckel"]);
  });

  it("tells the format from the content type when the URL has no extension", async () => {
    served = { body: JSON.stringify(withStatus("prepared")), type: "application/json; charset=utf-8" };
    const result = await syncFromDiarium(ctx(), {
      source: { kind: "url", url },
      header: ["X-Api-Key", "hemlig-nyckel"],
      instanceId: "a",
    });
    expect(result).toMatchObject({ type: "synced", report: { sourceName: "senaste.json", updated: 1 } });
  });

  it("says what to check when the server refuses the key", async () => {
    const refused = syncFromDiarium(ctx(), {
      source: { kind: "url", url: `${url}?token=x` },
      header: ["X-Api-Key", "fel"],
      instanceId: "a",
    });
    await expect(refused).rejects.toThrow(SyncSourceError);
    await expect(refused).rejects.toThrow(
      /^http:\/\/127\.0\.0\.1:\d+\/export\/senaste svarade HTTP 401; kontrollera ARENDE_SYNC_AUTH$/,
    );
  });
});
