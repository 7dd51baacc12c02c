import { describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config.js";
import {
  boltLogger,
  createLogger,
  type LevelName,
  secretsOf,
  withRequestLogger,
} from "../../src/observability/logger.js";

const BOT_TOKEN = "xoxb-1111-2222-secretbottoken";
const APP_TOKEN = "xapp-1-A111-3333-secretapptoken";
const SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5";
const DB_PASSWORD = "hemligt-lösen";

function capture(level: LevelName = "debug", pretty = false) {
  const lines: string[] = [];
  const config = parseConfig(
    {
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_APP_TOKEN: APP_TOKEN,
      DATABASE_URL: `postgres://arende:${encodeURIComponent(DB_PASSWORD)}@127.0.0.1:5432/arende`,
    },
    "bot",
  );
  const logger = createLogger({
    level,
    secrets: secretsOf(config),
    pretty,
    write: (line) => lines.push(line),
  });
  return { logger, lines, text: () => lines.join("") };
}

describe("the logger", () => {
  it("never prints a token, the signing secret or the database password, wherever they are", () => {
    const { logger, text } = capture();
    const error = Object.assign(new Error(`Slack refused ${BOT_TOKEN} signed with ${SIGNING_SECRET}`), {
      config: { headers: { Authorization: `Bearer ${BOT_TOKEN}` } },
      data: { token: APP_TOKEN },
    });
    logger.error({ err: error }, `failed with ${BOT_TOKEN}`);
    logger.info(
      { botToken: BOT_TOKEN, signingSecret: SIGNING_SECRET, slack: { appToken: APP_TOKEN } },
      "config",
    );
    logger.warn(`connecting to postgres://arende:${DB_PASSWORD}@db/arende`);
    boltLogger(logger, "bolt").error("an API call failed", error, { token: BOT_TOKEN });
    // An unknown token of the same shape is caught by its form.
    logger.info("xoxb-9999-someone-elses-token");

    const out = text();
    expect(out.split("\n").filter(Boolean)).toHaveLength(5);
    for (const secret of [BOT_TOKEN, APP_TOKEN, SIGNING_SECRET, DB_PASSWORD, "someone-elses-token"]) {
      expect(out).not.toContain(secret);
    }
    expect(out).toContain("[Redacted]");
    expect(out).toContain("Slack refused");
  });

  it("writes one JSON object per line, with level, time, message and the error's stack", () => {
    const { logger, lines } = capture("info");
    logger.debug("not shown at info");
    logger.error({ err: new Error("boom") }, "it failed");
    expect(lines).toHaveLength(1);
    const entry = JSON.parse(lines[0] as string);
    expect(entry).toMatchObject({ level: "error", msg: "it failed", name: "arendebot" });
    expect(entry.err.stack).toContain("boom");
    expect(Date.parse(entry.time)).not.toBeNaN();
  });

  it("is readable on a terminal", () => {
    const { logger, text } = capture("info", true);
    logger.warn({ job: "digest" }, "it failed");
    expect(text()).toMatch(/^\d\d:\d\d:\d\d WARN {2}it failed job=digest\n$/);
  });

  it("puts the request's id on every line logged while a request is handled, Bolt's included", async () => {
    const { logger, lines } = capture("info");
    const bolt = boltLogger(logger, "bolt");
    await withRequestLogger(logger.child({ req: "ab12cd34" }), async () => {
      bolt.info("first");
      await new Promise((resolve) => setTimeout(resolve, 1));
      bolt.warn("after a wait");
    });
    bolt.info("outside");
    const entries = lines.map((line) => JSON.parse(line));
    expect(entries.map((entry) => entry.req)).toEqual(["ab12cd34", "ab12cd34", undefined]);
    expect(entries.every((entry) => entry.component === "bolt")).toBe(true);
  });

  it("keeps to LOG_LEVEL in Bolt's adapter too", () => {
    const { logger, lines } = capture("warn");
    const bolt = boltLogger(logger, "bolt");
    bolt.debug("no");
    bolt.info("no");
    bolt.warn("yes");
    expect(lines).toHaveLength(1);
    expect(bolt.getLevel()).toBe("warn");
  });
});
