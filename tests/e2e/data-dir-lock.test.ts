import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LOCK_FILE_NAME } from "../../src/db/data-dir-lock.js";
import { FakeSlack } from "../support/fake-slack.js";
import {
  exitCodeWithin,
  type Finished,
  finish,
  killIfRunning,
  runCli,
  type Started,
  startMain,
  waitForOutput,
} from "../support/processes.js";
import { freePort } from "../support/running-bot.js";

/**
 * The embedded database belongs to one process. With the bot running on DATA_DIR, terminal commands
 * and a second bot used to open the same files, print success, and lose their writes (or the bot's)
 * at the next restart. Now they refuse, naming the bot, and work once it has stopped.
 */

let dataDir: string;
let slack: FakeSlack;
const running: Started[] = [];

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "arendebot-lock-"));
  slack = new FakeSlack();
  await slack.start();
});

afterAll(async () => {
  await Promise.all(running.map(killIfRunning));
  await slack?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

const lockFile = () => join(dataDir, LOCK_FILE_NAME);

async function startBot(): Promise<Started> {
  const started = startMain({
    SLACK_BOT_TOKEN: "xoxb-lock-test-token",
    SLACK_SIGNING_SECRET: "lock-test-signing-secret",
    SLACK_API_URL: slack.apiUrl,
    PORT: String(await freePort()),
    DATA_DIR: dataDir,
    LOG_LEVEL: "warn",
  });
  running.push(started);
  return started;
}

const cli = (...args: string[]) => runCli(args, { DATA_DIR: dataDir });

function expectRefusedByTheBot(result: Finished, pid: number, prefix: string): void {
  expect(result.stderr).toContain(
    `${prefix}: DATA_DIR ${dataDir} is in use by the bot (npm start), pid ${pid},`,
  );
  expect(result.stderr).toMatch(/running since \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC/);
  expect(result.stderr).toContain(`Stop the bot first (kill ${pid}`);
  expect(result.stderr).toContain("DATABASE_URL");
  expect(result.stderr).not.toContain("    at ");
  expect(result.stdout).not.toContain("Klart");
}

describe("one process at a time on DATA_DIR", () => {
  it("with the bot running, roll, import and a second bot refuse at once, naming it; once it stops they work", async () => {
    const bot = await startBot();
    await waitForOutput(bot, "arendebot is running", 40_000);
    const pid = bot.child.pid as number;

    const secondBot = await startBot();
    const [grant, load, second] = await Promise.all([
      cli("roll", "ge", "U0ANNA001", "admin"),
      cli("import", "db/seed/demo.json"),
      // "At once": before its database is even opened, well within the time a start-up takes.
      finish(secondBot, 15_000),
    ]);
    expect(grant.code).toBe(3);
    expectRefusedByTheBot(grant, pid, "arendebot cannot run roll ge");
    expect(grant.stderr).toContain("/arende roll ge in Slack does the same");
    expect(load.code).toBe(3);
    expectRefusedByTheBot(load, pid, "arendebot cannot run import");
    expect(second.code).toBe(1);
    expectRefusedByTheBot(second, pid, "arendebot cannot start");
    expect(second.stdout).not.toContain("is running");
    // The first bot is untouched by all this.
    expect(bot.child.exitCode).toBeNull();
    expect(JSON.parse(await readFile(lockFile(), "utf8"))).toMatchObject({
      pid,
      what: "the bot (npm start)",
      bot: true,
    });

    bot.child.kill("SIGTERM");
    expect(await exitCodeWithin(bot, 15_000)).toBe(0);
    expect(existsSync(lockFile())).toBe(false);

    // Nothing of the refused commands was written, and now the same commands work and stay written.
    expect(await cli("roll", "lista")).toMatchObject({ code: 0, stdout: "Inga roller.\n" });
    expect(await cli("roll", "ge", "U0ANNA001", "admin")).toMatchObject({
      code: 0,
      stdout: "Klart: U0ANNA001 är nu administratör.\n",
    });
    expect((await cli("import", "db/seed/demo.json")).code).toBe(0);
    const listed = await cli("roll", "lista");
    expect(listed.stdout).toMatch(/^U0ANNA001\tadministratör\t/);
    expect(existsSync(lockFile())).toBe(false);
  }, 150_000);

  it("takes over the lock of a process killed with SIGKILL, and leaves none after a command's error exit", async () => {
    const killed = await startBot();
    await waitForOutput(killed, "arendebot is running", 40_000);
    killed.child.kill("SIGKILL");
    await exitCodeWithin(killed, 10_000);
    // SIGKILL runs no exit handler: the lock is still there, naming a process that is gone.
    expect(JSON.parse(await readFile(lockFile(), "utf8"))).toMatchObject({ pid: killed.child.pid });

    const restarted = await startBot();
    await waitForOutput(restarted, "arendebot is running", 40_000);
    expect(JSON.parse(await readFile(lockFile(), "utf8"))).toMatchObject({ pid: restarted.child.pid });
    restarted.child.kill("SIGKILL");
    await exitCodeWithin(restarted, 10_000);

    const listed = await cli("roll", "lista");
    expect(listed.stderr).toBe("");
    expect(listed.code).toBe(0);
    expect(existsSync(lockFile())).toBe(false);

    const missing = await cli("import", join(dataDir, "no-such-file.json"));
    expect(missing.code).toBe(2);
    expect(existsSync(lockFile())).toBe(false);
  }, 150_000);
});
