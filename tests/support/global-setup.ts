import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readdirSync, statSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import postgres from "postgres";
import type { TestProject } from "vitest/node";
import { openPostgres, PGlite, pg_trgm, wrapPglite } from "../../src/db/client.js";

declare module "vitest" {
  export interface ProvidedContext {
    testDatabase:
      | { kind: "pglite"; templateFile: string }
      | { kind: "postgres"; adminUrl: string; template: string };
  }
}

/**
 * Migrates one template per run; every test file then starts from a copy of it. A fresh PGlite costs
 * seconds, loading a migrated dump half a second; a PostgreSQL `CREATE DATABASE … TEMPLATE` is faster still.
 */
export default async function setup(project: TestProject) {
  buildIfStale();
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (adminUrl) {
    const template = `arendebot_t${randomBytes(4).toString("hex")}`;
    const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
    await admin.unsafe(`CREATE DATABASE ${template}`);
    const templateDb = openPostgres(withDatabase(adminUrl, template), { max: 1 });
    await templateDb.migrate();
    await templateDb.close();
    project.provide("testDatabase", { kind: "postgres", adminUrl, template });
    return async () => {
      const leftovers = await admin<{ datname: string }[]>`
        SELECT datname FROM pg_database WHERE datname LIKE ${`${template}%`}`;
      // Copies first: a template cannot be dropped while databases are being made from it.
      for (const { datname } of leftovers.sort((a, b) => b.datname.length - a.datname.length)) {
        await admin.unsafe(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
      }
      await admin.end();
    };
  }

  const directory = await mkdtemp(join(tmpdir(), "arendebot-test-"));
  const pglite = await PGlite.create({ extensions: { pg_trgm } });
  await wrapPglite(pglite).migrate();
  const dump = await pglite.dumpDataDir("none");
  await pglite.close();
  const templateFile = join(directory, "template.tar");
  await writeFile(templateFile, Buffer.from(await dump.arrayBuffer()));
  project.provide("testDatabase", { kind: "pglite", templateFile });
  return () => rm(directory, { recursive: true, force: true });
}

export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

const ROOT = new URL("../..", import.meta.url).pathname;

/**
 * Tests run the TypeScript sources, but `arendebot …` (bin/arendebot.js) runs the compiled dist/, as
 * it does for an operator. `npm ci` builds it; this rebuilds it when a source is newer than its output
 * (or the output is missing), so that the suite never tests yesterday's build.
 */
function buildIfStale(): void {
  const built = (path: string) => {
    const output = join(ROOT, "dist", relative(join(ROOT, "src"), path).replace(/\.ts$/, ".js"));
    return existsSync(output) && statSync(output).mtimeMs >= statSync(path).mtimeMs;
  };
  const sources = (directory: string): string[] =>
    readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
      const path = join(directory, entry.name);
      if (entry.isDirectory()) return sources(path);
      return entry.name.endsWith(".ts") ? [path] : [];
    });
  const configNewer = ["tsconfig.json", "tsconfig.build.json"].some(
    (file) =>
      !existsSync(join(ROOT, "dist/main.js")) ||
      statSync(join(ROOT, file)).mtimeMs > statSync(join(ROOT, "dist/main.js")).mtimeMs,
  );
  if (!configNewer && sources(join(ROOT, "src")).every(built)) return;
  try {
    execFileSync("npm", ["run", "--silent", "build"], { cwd: ROOT, stdio: "inherit" });
  } catch (error) {
    // tsc writes its output despite type errors; the tests run the sources and `npm run typecheck`
    // reports them, so a type error under way does not keep the suite from running.
    if (!existsSync(join(ROOT, "dist/cli/main.js"))) throw error;
    console.warn("npm run build reported errors (above); dist/ was written and the tests go on.");
  }
}
