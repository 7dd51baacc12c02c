import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeSlack } from "../support/fake-slack.js";
import { exitCodeWithin, startCompiledMain, startMain, waitForOutput } from "../support/processes.js";
import { freePort } from "../support/running-bot.js";

/** The bot as an operator starts it, with an embedded database in a fresh directory. */
const SIGNING_SECRET = "process-test-signing-secret-d41d8cd9";

let dataDir: string;
let slack: FakeSlack;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "arendebot-process-"));
  slack = new FakeSlack();
  await slack.start();
});

afterAll(async () => {
  await slack?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe("the bot process", () => {
  it("refuses to start on a bad configuration, naming every variable to fix and no secret", async () => {
    const started = startMain({
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: slack.apiUrl,
      PORT: "abc",
      DATA_DIR: dataDir,
    });
    const code = await exitCodeWithin(started, 15_000);
    expect(code).not.toBe(0);
    const stderr = started.stderr();
    expect(stderr).toContain("arendebot cannot start.");
    expect(stderr).toMatch(
      /SLACK_BOT_TOKEN is missing: .*Bot User OAuth Token \(xoxb-…\).*OAuth & Permissions/,
    );
    expect(stderr).toMatch(/PORT must be a port number between 0 and 65535/);
    expect(stderr).not.toContain(SIGNING_SECRET);
    expect(started.stdout()).not.toContain("is running");
    // It never got as far as talking to Slack.
    expect(slack.calls).toEqual([]);
  });

  it("with a valid environment serves /healthz and /readyz, and stops cleanly on SIGTERM", async () => {
    const port = await freePort();
    const started = startMain({
      SLACK_BOT_TOKEN: "xoxb-process-test-token",
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: slack.apiUrl,
      PORT: String(port),
      DATA_DIR: dataDir,
      LOG_LEVEL: "warn",
    });
    try {
      await waitForOutput(started, "arendebot is running", 25_000);
      expect(started.stdout()).toContain(`HTTP on port ${port}`);
      expect(started.stdout()).toContain("pglite database");

      const health = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect(health.status).toBe(200);
      const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
      expect(ready.status).toBe(200);
      expect(await ready.text()).toBe("ready\n");

      started.child.kill("SIGTERM");
      expect(await exitCodeWithin(started, 10_000)).toBe(0);
      expect(started.stdout()).toContain("SIGTERM received");
      expect(started.stderr()).not.toContain(SIGNING_SECRET);
      expect(started.stderr()).not.toContain("xoxb-process-test-token");
    } finally {
      if (started.child.exitCode === null) started.child.kill("SIGKILL");
    }
  }, 45_000);

  it("compiled (npm start: node dist/main.js), finds its migrations and worker and serves", async () => {
    const port = await freePort();
    const compiledDataDir = await mkdtemp(join(tmpdir(), "arendebot-compiled-"));
    const started = startCompiledMain({
      SLACK_BOT_TOKEN: "xoxb-process-test-token",
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: slack.apiUrl,
      PORT: String(port),
      DATA_DIR: compiledDataDir,
      LOG_LEVEL: "warn",
    });
    try {
      await waitForOutput(started, "arendebot is running", 25_000);
      expect(started.stdout()).toContain("pglite database");
      expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(200);
      started.child.kill("SIGTERM");
      expect(await exitCodeWithin(started, 10_000)).toBe(0);
      expect(started.stderr()).toBe("");
    } finally {
      if (started.child.exitCode === null) started.child.kill("SIGKILL");
      await rm(compiledDataDir, { recursive: true, force: true });
    }
  }, 45_000);
});
