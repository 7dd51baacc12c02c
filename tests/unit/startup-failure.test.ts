import { describe, expect, it } from "vitest";
import type { Config } from "../../src/config.js";
import { DataDirInUseError, DataDirUnusableError, type LockHolder } from "../../src/db/data-dir-lock.js";
import { explainStartupFailure, redactDatabaseUrl } from "../../src/startup-failure.js";

const postgresConfig = (url: string): Pick<Config, "database" | "port"> => ({
  database: { kind: "postgres", url },
  port: 3000,
});
const pgliteConfig: Pick<Config, "database" | "port"> = {
  database: { kind: "pglite", dataDir: "./data" },
  port: 3000,
};

function errno(code: string, fields: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(`${code} happened`), { code, ...fields });
}

/** As drizzle throws a driver's error: wrapped, with the original as its cause. */
function wrapped(cause: unknown): Error {
  return new Error('Failed query: CREATE SCHEMA IF NOT EXISTS "drizzle"', { cause });
}

describe("redactDatabaseUrl", () => {
  it.each([
    [
      "postgres://arende:hemligt@db.example.se:5432/arende",
      "postgres://arende:***@db.example.se:5432/arende",
    ],
    ["postgresql://arende@db/arende", "postgresql://arende@db/arende"],
    ["postgres://db.example.se/arende", "postgres://db.example.se/arende"],
    ["postgres://u:p@ss:w/rd?@h/db", "postgres://u:***@h/db"],
    ["postgres://u@h/db?sslmode=require&sslpassword=hemligt", "postgres://u@h/db?…"],
  ])("%s is shown as %s", (url, shown) => {
    expect(redactDatabaseUrl(url)).toBe(shown);
  });
});

describe("explainStartupFailure", () => {
  const url = "postgres://arende:hemligt@127.0.0.1:1/arende";

  it("explains the database's refusals through drizzle's wrapping, never showing the password", () => {
    const refused = explainStartupFailure(
      wrapped(errno("ECONNREFUSED", { syscall: "connect", address: "127.0.0.1", port: 1 })),
      postgresConfig(url),
    );
    expect(refused).toEqual({
      cause:
        "the database at DATABASE_URL (postgres://arende:***@127.0.0.1:1/arende) refused the connection (nothing listens on 127.0.0.1:1).",
      fix: "Check the host and port in DATABASE_URL, and that PostgreSQL is running and accepts TCP connections there.",
    });
    const missing = explainStartupFailure(
      wrapped(Object.assign(new Error('database "arende" does not exist'), { code: "3D000" })),
      postgresConfig(url),
    );
    expect(missing?.fix).toContain("createdb arende");
    const password = explainStartupFailure(
      wrapped(
        Object.assign(new Error('password authentication failed for user "arende"'), { code: "28P01" }),
      ),
      postgresConfig(url),
    );
    expect(password?.fix).toBe("Check the user name and password in DATABASE_URL.");
    for (const explained of [refused, missing, password])
      expect(JSON.stringify(explained)).not.toContain("hemligt");
  });

  it("names PORT when the port is taken or privileged", () => {
    expect(explainStartupFailure(errno("EADDRINUSE", { syscall: "listen" }), pgliteConfig)?.cause).toBe(
      "PORT 3000 is already in use by another program on this machine.",
    );
    expect(explainStartupFailure(errno("EACCES", { syscall: "listen" }), pgliteConfig)?.cause).toMatch(
      /^PORT 3000 may not be opened by this user/,
    );
  });

  it("names DATA_DIR for what keeps it from being created or written", () => {
    const because = (code: string) =>
      explainStartupFailure(
        new DataDirUnusableError("/srv/arendebot/data", code, null, { cause: errno(code) }),
        pgliteConfig,
      )?.cause;
    expect(because("EACCES")).toMatch(/^DATA_DIR \/srv\/arendebot\/data is not writable by this user/);
    expect(because("EROFS")).toBe("DATA_DIR /srv/arendebot/data is on a read-only file system.");
    expect(because("EEXIST")).toBe("DATA_DIR /srv/arendebot/data is a file, not a directory.");
    expect(because("ENOSPC")).toBe("the disk holding DATA_DIR /srv/arendebot/data is full.");
  });

  it("names the holder of DATA_DIR, and what to do, by who holds it", () => {
    const holder: LockHolder = {
      what: "the bot (npm start)",
      bot: true,
      pid: 4242,
      hostname: "diarium-1",
      startedAt: "2017-04-03T06:00:00.000Z",
    };
    const now = new Date("2017-04-03T08:30:00Z");
    const busy = (h: LockHolder, elsewhere = false) =>
      explainStartupFailure(
        new DataDirInUseError("/srv/data", "/srv/data/arendebot.lock", h, elsewhere),
        pgliteConfig,
        { now, inSlack: "/arende roll ge" },
      );
    expect(busy(holder)).toEqual({
      cause:
        "DATA_DIR /srv/data is in use by the bot (npm start), pid 4242, running since 2017-04-03 06:00:00 UTC (2 h 30 min); the embedded database takes one process at a time.",
      fix: "Stop the bot first (kill 4242, or stop its service, e.g. systemctl stop arendebot) and try again, or set DATABASE_URL to a PostgreSQL database, which the bot and terminal commands can use side by side. While the bot runs, /arende roll ge in Slack does the same.",
    });
    expect(busy({ ...holder, what: "arendebot import stora.csv", bot: false })?.fix).toMatch(
      /^Wait until it has finished \(or stop it: kill 4242\) and try again/,
    );
    const remote = busy(holder, true);
    expect(remote?.cause).toContain("pid 4242 on host diarium-1");
    expect(remote?.fix).toContain("delete /srv/data/arendebot.lock");
  });

  it("leaves anything else alone: it is a bug, and keeps its stack trace", () => {
    expect(explainStartupFailure(new TypeError("x is undefined"), postgresConfig(url))).toBeNull();
    // A refused connection means DATABASE_URL only when there is one.
    expect(explainStartupFailure(errno("ECONNREFUSED", { syscall: "connect" }), pgliteConfig)).toBeNull();
  });
});
