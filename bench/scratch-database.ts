import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import postgres from "postgres";

/** Registers a cleanup the moment there is something to clean up, so a failure or ^C leaves nothing. */
export type Defer = (cleanup: () => Promise<void>) => void;

/** A new, empty data directory for PGlite, removed at cleanup. */
export async function scratchDataDir(defer: Defer, label: string): Promise<string> {
  const dataDir = await mkdtemp(join(tmpdir(), `arendebot-bench-${label}-`));
  defer(() => rm(dataDir, { recursive: true, force: true }));
  return dataDir;
}

/** A new, empty database `arendebot_<label>_<random>` on the server of `adminUrl`, dropped at cleanup; its URL. */
export async function scratchPostgres(adminUrl: string, defer: Defer, label: string): Promise<string> {
  const name = `arendebot_${label}_${randomBytes(4).toString("hex")}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  defer(async () => {
    try {
      await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    } finally {
      await admin.end();
    }
  });
  await admin.unsafe(`CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}
