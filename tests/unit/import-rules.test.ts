import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/**
 * The layering rules of biome.json, checked by running Biome on small probe files laid out as in src/:
 * each imports one thing, and must be refused or let through. The probes live in a temporary
 * directory with the project's own biome.json (only the git integration is off, since that directory
 * is no checkout), so removing or loosening a rule fails this test.
 */
const ROOT = new URL("../../", import.meta.url).pathname;
const BIOME = join(ROOT, "node_modules/.bin/biome");

const probes: Record<string, { source: string; refused: boolean }> = {
  "src/jobs/probe-drizzle.ts": { source: 'import { sql } from "drizzle-orm";', refused: true },
  "src/jobs/probe-database.ts": { source: 'import { openDatabase } from "../db/client.js";', refused: true },
  "src/jobs/probe-repository.ts": {
    source: 'import { listActiveSubscriptions } from "../modules/digests/subscriptions.repository.js";',
    refused: true,
  },
  "src/jobs/probe-use-case.ts": {
    source: 'import { listDueDigests } from "../modules/digests/due-digests.js";',
    refused: false,
  },
  "src/cli/probe-database.ts": { source: 'import { openDatabase } from "../db/client.js";', refused: true },
  "src/cli/probe-postgres.ts": { source: 'import postgres from "postgres";', refused: true },
  "src/cli/probe-schema.ts": { source: 'import { cases } from "../db/schema.js";', refused: true },
  // The entry point opens and closes the database around every command.
  "src/cli/main.ts": { source: 'import { openDatabase } from "../db/client.js";', refused: false },
  "src/slack/probe-database.ts": { source: 'import { openDatabase } from "../db/client.js";', refused: true },
  "src/modules/posting/probe-slack.ts": {
    source: 'import { textMessage } from "../../slack/blocks/message.js";',
    refused: true,
  },
  "src/modules/digests/probe-slack-poster.ts": {
    source: 'import { createWebPoster } from "../../slack/web-poster.js";',
    refused: true,
  },
  // A module's own repository, and a module whose name merely starts with "slack".
  "src/modules/posting/probe-repository.ts": {
    source: 'import { claimPost } from "./posts.repository.js";',
    refused: false,
  },
  "src/modules/digests/probe-receipts.ts": {
    source: 'import { claimSlackDelivery } from "../slack-receipts/claim-delivery.js";',
    refused: false,
  },
};

let directory: string;
let refusedFiles: Set<string>;

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), "arendebot-import-rules-"));
  const config = JSON.parse(await readFile(join(ROOT, "biome.json"), "utf8"));
  delete config.$schema;
  config.vcs = { enabled: false };
  await writeFile(join(directory, "biome.json"), JSON.stringify(config));
  for (const [path, { source }] of Object.entries(probes)) {
    const name = source.match(/import (?:\{ )?(\w+)/)?.[1] ?? "unknown";
    await mkdir(dirname(join(directory, path)), { recursive: true });
    await writeFile(join(directory, path), `${source}\n\nexport const probe = ${name};\n`);
  }
  // Biome exits 1 when it finds errors; the report is on standard output either way.
  const output = await promisify(execFile)(
    BIOME,
    ["lint", "--reporter=json", "--max-diagnostics=none", "src"],
    { cwd: directory },
  ).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? "" }));
  const report = JSON.parse(output.stdout) as {
    diagnostics: { category: string; location: { path: string | { file: string } } }[];
  };
  refusedFiles = new Set(
    report.diagnostics
      .filter((diagnostic) => diagnostic.category === "lint/style/noRestrictedImports")
      .map(({ location }) => (typeof location.path === "string" ? location.path : location.path.file)),
  );
}, 60_000);

afterAll(async () => {
  if (directory) await rm(directory, { recursive: true, force: true });
});

describe("biome.json's layering rules", () => {
  const cases = Object.entries(probes).map(([path, { source, refused }]) => ({
    path,
    source,
    verdict: refused ? "refused" : "allowed",
  }));
  it.each(cases)("$path: $source is $verdict", ({ path, verdict }) => {
    expect(refusedFiles.has(path) ? "refused" : "allowed").toBe(verdict);
  });
});
