import { randomBytes } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
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
