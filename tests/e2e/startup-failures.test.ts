import { randomBytes } from "node:crypto";
import { chmod, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeSlack } from "../support/fake-slack.js";
import { withDatabase } from "../support/global-setup.js";
import { type Finished, finish, runCli, runMigrate, startMain } from "../support/processes.js";
import { freePort } from "../support/running-bot.js";

/**
 * What an operator can get wrong at start-up (the database, the port, DATA_DIR) is told in one or two
 * lines naming the variable to fix: no stack trace, no secret, a non-zero exit.
 */

const PASSWORD = "s3cret-db-password";
const SLACK = {
  SLACK_BOT_TOKEN: "xoxb-startup-failure-token",
  SLACK_SIGNING_SECRET: "startup-failure-signing-secret",
  // Nothing listens here: where a start-up gets as far as asking Slack, its test brings a FakeSlack.
  SLACK_API_URL: "http://127.0.0.1:9/api/",
  LOG_LEVEL: "warn",
};

let scratch: string;
let slack: FakeSlack;

beforeAll(async () => {
  slack = new FakeSlack();
  await slack.start();
  scratch = await mkdtemp(join(tmpdir(), "arendebot-startup-"));
  // Another user (below) must be able to reach what lies inside.
  await chmod(scratch, 0o755);
});

afterAll(async () => {
  await slack?.stop();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

async function startBot(env: Record<string, string>, options: { uid?: number; gid?: number } = {}) {
  return finish(startMain({ ...SLACK, PORT: String(await freePort()), ...env }, options), 60_000);
}

/** One or two lines, the first starting `prefix` and naming `variable`; no stack trace, no secret. */
function expectExplained(result: Finished, prefix: string, variable: string): void {
  expect(result.code).not.toBe(0);
  expect(result.code).not.toBeNull();
  const lines = result.stderr.trimEnd().split("\n");
  expect(lines.length, result.stderr).toBeLessThanOrEqual(2);
  expect(lines[0]).toContain(`${prefix}: `);
  expect(lines[0]).toContain(variable);
  expect(result.stderr).not.toContain("    at ");
  for (const secret of [PASSWORD, SLACK.SLACK_BOT_TOKEN, SLACK.SLACK_SIGNING_SECRET]) {
    expect(result.stderr + result.stdout).not.toContain(secret);
  }
  expect(result.stdout).not.toContain("is running");
}

describe("start-up failures an operator can fix", () => {
  it("DATABASE_URL on a closed port: the bot, arendebot and db:migrate name it, password hidden", async () => {
    const port = await freePort();
    const env = { DATABASE_URL: `postgres://arende:${PASSWORD}@127.0.0.1:${port}/arende` };
    const [bot, cli, migrate] = await Promise.all([
      startBot(env),
      runCli(["status", "Dnr", "108-1642/2017"], env),
      runMigrate(env),
    ]);
    const shown = `DATABASE_URL (postgres://arende:***@127.0.0.1:${port}/arende) refused the connection`;
    expectExplained(bot, "arendebot cannot start", shown);
    expect(bot.code).toBe(1);
    expect(bot.stderr).toContain("Check the host and port in DATABASE_URL");
    expectExplained(cli, "arendebot cannot run status", shown);
    expect(cli.code).toBe(3);
    expectExplained(migrate, "arendebot cannot migrate", shown);
  });

  it("DATABASE_URL naming a host that does not exist", async () => {
    const bot = await startBot({ DATABASE_URL: `postgres://arende:${PASSWORD}@no-such-host.invalid/arende` });
    expectExplained(bot, "arendebot cannot start", "DATABASE_URL");
    expect(bot.stderr).toContain('the host "no-such-host.invalid"');
    expect(bot.stderr).toContain("Check the host name in DATABASE_URL.");
  });

  it.runIf(process.env.TEST_DATABASE_URL)(
    "DATABASE_URL naming a database the server does not have",
    async () => {
      const name = `arendebot_missing_${randomBytes(4).toString("hex")}`;
      const env = { DATABASE_URL: withDatabase(process.env.TEST_DATABASE_URL as string, name) };
      const [bot, cli] = await Promise.all([startBot(env), runCli(["roll", "lista"], env)]);
      expectExplained(bot, "arendebot cannot start", "DATABASE_URL");
      expect(bot.stderr).toContain(`/${name}) does not exist on that server`);
      expect(bot.stderr).toContain(`createdb ${name}`);
      expectExplained(cli, "arendebot cannot run roll lista", "DATABASE_URL");
    },
  );

  it("PORT already in use", async () => {
    const port = await freePort();
    const squatter: Server = createServer();
    await new Promise<void>((resolve) => squatter.listen(port, resolve));
    try {
      const env = { PORT: String(port), SLACK_API_URL: slack.apiUrl };
      const [http, socket] = await Promise.all([
        startBot({ ...env, DATA_DIR: join(scratch, "port-test") }),
        startBot({
          ...env,
          DATA_DIR: join(scratch, "port-test-socket"),
          SLACK_APP_TOKEN: "xapp-1-startup-test",
        }),
      ]);
      for (const bot of [http, socket]) {
        expectExplained(bot, "arendebot cannot start", `PORT ${port} is already in use`);
        expect(bot.stderr).toContain("set PORT to a free port");
      }
    } finally {
      await new Promise((resolve) => squatter.close(resolve));
    }
  }, 60_000);

  it("a bot token Slack refuses, and a Slack that cannot be reached, name SLACK_BOT_TOKEN", async () => {
    const refusing = new FakeSlack();
    await refusing.start();
    refusing.respondWith((call) =>
      call.method === "auth.test" ? { body: { ok: false, error: "invalid_auth" } } : undefined,
    );
    try {
      const [refused, unreachable] = await Promise.all([
        startBot({ SLACK_API_URL: refusing.apiUrl, DATA_DIR: join(scratch, "token-refused") }),
        startBot({ DATA_DIR: join(scratch, "slack-unreachable") }),
      ]);
      expectExplained(refused, "arendebot cannot start", "Slack refused SLACK_BOT_TOKEN (invalid_auth)");
      expect(refused.stderr).toContain("OAuth & Permissions");
      expectExplained(unreachable, "arendebot cannot start", "could not confirm SLACK_BOT_TOKEN");
      expect(unreachable.stderr).toContain("SLACK_API_URL");
    } finally {
      await refusing.stop();
    }
  }, 60_000);

  it("DATA_DIR under a file, or a file itself, for the bot and arendebot", async () => {
    const file = join(scratch, "a-file");
    await writeFile(file, "not a directory\n");
    const [under, itself] = await Promise.all([
      startBot({ DATA_DIR: join(file, "data") }),
      runCli(["roll", "lista"], { DATA_DIR: file }),
    ]);
    expectExplained(under, "arendebot cannot start", `DATA_DIR ${join(file, "data")} cannot be created`);
    expect(under.stderr).toContain(`${file} is a file, not a directory`);
    expectExplained(itself, "arendebot cannot run roll lista", `DATA_DIR ${file} is a file, not a directory`);
    expect(itself.code).toBe(3);
  });

  it("DATA_DIR not writable by the user running the bot", async () => {
    const dataDir = join(scratch, "read-only");
    await mkdir(dataDir, { mode: 0o755 });
    // Root may write anywhere: then the bot runs as nobody, who may not write in root's directory.
    const asRoot = process.getuid?.() === 0;
    if (!asRoot) await chmod(dataDir, 0o555);
    const bot = await startBot({ DATA_DIR: dataDir }, asRoot ? { uid: 65534, gid: 65534 } : {});
    expectExplained(bot, "arendebot cannot start", `DATA_DIR ${dataDir} is not writable by this user`);
  }, 60_000);
});
