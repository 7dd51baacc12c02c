import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "../../src/config.js";

const BOT_TOKEN = "xoxb-1111-2222-very-secret-bot-token";
const SIGNING_SECRET = "0123456789abcdef-very-secret-signing";
const APP_TOKEN = "xapp-1-A111-very-secret-app-token";

const httpEnv = { SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET };

function configError(env: Record<string, string | undefined>, purpose: "bot" | "cli" = "bot"): ConfigError {
  try {
    parseConfig(env, purpose);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error(`expected the configuration to be rejected: ${JSON.stringify(Object.keys(env))}`);
}

/** The one problem line that names the variable; fails if there is none or several. */
function lineFor(error: ConfigError, name: string): string {
  const lines = error.problems.filter((problem) => problem.startsWith(`${name} `));
  expect(lines, `problem lines for ${name} in:\n${error.message}`).toHaveLength(1);
  return lines[0] as string;
}

describe("parseConfig: problems an operator can fix", () => {
  it("names a missing bot token and says where to find it", () => {
    const error = configError({ SLACK_SIGNING_SECRET: SIGNING_SECRET });
    expect(error.problems).toHaveLength(1);
    const line = lineFor(error, "SLACK_BOT_TOKEN");
    expect(line).toContain("missing");
    expect(line).toContain("xoxb-");
    expect(line).toContain("OAuth & Permissions");
  });

  it("names a missing signing secret, and mentions Socket Mode as the alternative", () => {
    const error = configError({ SLACK_BOT_TOKEN: BOT_TOKEN });
    const line = lineFor(error, "SLACK_SIGNING_SECRET");
    expect(line).toContain("Signing Secret");
    expect(line).toContain("Basic Information");
    expect(line).toContain("SLACK_APP_TOKEN");
    expect(error.message).not.toContain(BOT_TOKEN);
  });

  it("treats blank values as missing", () => {
    const error = configError({ SLACK_BOT_TOKEN: "   ", SLACK_SIGNING_SECRET: "" });
    expect(lineFor(error, "SLACK_BOT_TOKEN")).toContain("missing");
    expect(lineFor(error, "SLACK_SIGNING_SECRET")).toContain("missing");
  });

  it.each([
    ["SLACK_BOT_TOKEN", "xoxp-user-token-not-a-bot-token", "xoxb-"],
    ["SLACK_APP_TOKEN", "xoxb-not-an-app-level-token", "xapp-"],
    ["SLACK_API_URL", "ftp://slack.example/api", "https://slack.com/api/"],
    ["DATABASE_URL", "mysql://user:pw@db.example/arende", "postgres://"],
    ["PORT", "abc", "between 0 and 65535"],
    ["PORT", "70000", "between 0 and 65535"],
    ["LOG_LEVEL", "loud", "debug"],
  ])("rejects %s=%s with a line saying what is expected", (name, value, hint) => {
    const error = configError({ ...httpEnv, [name]: value });
    expect(error.problems).toHaveLength(1);
    expect(lineFor(error, name)).toContain(hint);
    expect(error.message).toContain(name);
  });

  it("reports every problem at once, each on its own line", () => {
    const error = configError({
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      PORT: "abc",
      DATABASE_URL: "mysql://db.example/arende",
      LOG_LEVEL: "loud",
    });
    expect(error.problems).toHaveLength(4);
    for (const name of ["SLACK_BOT_TOKEN", "PORT", "DATABASE_URL", "LOG_LEVEL"]) lineFor(error, name);
    expect(error.message.split("\n").filter((line) => line.startsWith("  - "))).toHaveLength(4);
  });

  it("reports a missing token together with an invalid port (the operator fixes both in one go)", () => {
    const error = configError({ PORT: "abc", SLACK_SIGNING_SECRET: SIGNING_SECRET });
    expect(lineFor(error, "SLACK_BOT_TOKEN")).toContain("missing");
    expect(lineFor(error, "PORT")).toContain("port number");
  });

  it("never echoes a token or secret back, even when it is the wrong kind", () => {
    const wrongBotToken = "xoxp-9999-user-token-that-must-stay-secret";
    const wrongAppToken = "xoxb-8888-bot-token-given-as-app-token";
    const error = configError({
      SLACK_BOT_TOKEN: wrongBotToken,
      SLACK_APP_TOKEN: wrongAppToken,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      DATABASE_URL: "mysql://admin:hunter2-db-password@db.example/arende",
    });
    expect(error.problems.length).toBeGreaterThanOrEqual(3);
    for (const secret of [wrongBotToken, wrongAppToken, SIGNING_SECRET, "hunter2-db-password"]) {
      expect(error.message).not.toContain(secret);
      expect(error.problems.join("\n")).not.toContain(secret);
    }
  });

  it("lets the CLI run without any Slack credentials", () => {
    const config = parseConfig({}, "cli");
    expect(config.slack).toBeUndefined();
    expect(config.database).toEqual({ kind: "pglite", dataDir: "./data" });
  });

  it("still checks the CLI's own settings", () => {
    const error = configError({ DATABASE_URL: "sqlite:arende.db" }, "cli");
    expect(error.problems).toHaveLength(1);
    lineFor(error, "DATABASE_URL");
  });
});

describe("parseConfig: valid configurations", () => {
  it("HTTP mode: defaults to port 3000, ./data and info logging", () => {
    const config = parseConfig(httpEnv, "bot");
    expect(config.port).toBe(3000);
    expect(config.database).toEqual({ kind: "pglite", dataDir: "./data" });
    expect(config.logLevel).toBe("info");
    expect(config.slack).toEqual({
      botToken: BOT_TOKEN,
      signingSecret: SIGNING_SECRET,
      appToken: undefined,
      apiUrl: undefined,
    });
  });

  it("Socket Mode needs no signing secret", () => {
    const config = parseConfig({ SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_APP_TOKEN: APP_TOKEN }, "bot");
    expect(config.slack?.appToken).toBe(APP_TOKEN);
    expect(config.slack?.signingSecret).toBeUndefined();
  });

  it("reads port, data directory, log level and a PostgreSQL URL", () => {
    const config = parseConfig(
      { ...httpEnv, PORT: " 8080 ", DATA_DIR: "/var/lib/arendebot", LOG_LEVEL: "debug" },
      "bot",
    );
    expect(config.port).toBe(8080);
    expect(config.database).toEqual({ kind: "pglite", dataDir: "/var/lib/arendebot" });
    expect(config.logLevel).toBe("debug");

    const postgres = parseConfig({ ...httpEnv, DATABASE_URL: "postgresql://arende@db:5432/arende" }, "bot");
    expect(postgres.database).toEqual({ kind: "postgres", url: "postgresql://arende@db:5432/arende" });
  });

  it.each([
    ["http://127.0.0.1:4000/api", "http://127.0.0.1:4000/api/"],
    ["http://127.0.0.1:4000/api/", "http://127.0.0.1:4000/api/"],
    ["https://slack.com/api", "https://slack.com/api/"],
  ])("normalises SLACK_API_URL %s to end with a slash", (given, expected) => {
    expect(parseConfig({ ...httpEnv, SLACK_API_URL: given }, "bot").slack?.apiUrl).toBe(expected);
  });

  it("accepts port 0 (any free port) and 65535", () => {
    expect(parseConfig({ ...httpEnv, PORT: "0" }, "bot").port).toBe(0);
    expect(parseConfig({ ...httpEnv, PORT: "65535" }, "bot").port).toBe(65535);
  });
});

describe("parseConfig: the sync from the diarium", () => {
  it("is off unless a source is set", () => {
    expect(parseConfig(httpEnv, "bot").sync).toBeUndefined();
  });

  it("reads a folder, an URL with a named header or a bare Authorization value, and the defaults", () => {
    const folder = parseConfig({ ...httpEnv, ARENDE_SYNC_SOURCE: "/srv/diarium-export" }, "bot").sync;
    expect(folder).toEqual({
      source: { kind: "folder", path: "/srv/diarium-export" },
      header: undefined,
      cron: "*/15 * * * *",
      mappingFile: undefined,
      channelId: undefined,
      leaseMs: 600_000,
    });
    const url = parseConfig(
      {
        ...httpEnv,
        ARENDE_SYNC_SOURCE: "https://diarium.example.se/export/senaste",
        ARENDE_SYNC_AUTH: "X-Api-Key: abc123",
        ARENDE_SYNC_CHANNEL: "C0123ABCD",
      },
      "bot",
    ).sync;
    expect(url).toMatchObject({
      source: { kind: "url", url: "https://diarium.example.se/export/senaste" },
      header: ["X-Api-Key", "abc123"],
      channelId: "C0123ABCD",
    });
    const bare = parseConfig(
      { ...httpEnv, ARENDE_SYNC_SOURCE: "https://diarium.example.se/x", ARENDE_SYNC_AUTH: "Bearer abc 123" },
      "bot",
    ).sync;
    expect(bare?.header).toEqual(["Authorization", "Bearer abc 123"]);
  });

  it("names a bad cron, channel or source scheme and says what fits", () => {
    const error = configError({
      ...httpEnv,
      ARENDE_SYNC_SOURCE: "ftp://diarium.example.se/export",
      ARENDE_SYNC_CRON: "var femtonde minut",
      ARENDE_SYNC_CHANNEL: "#registratorer",
    });
    expect(lineFor(error, "ARENDE_SYNC_SOURCE")).toContain("an http(s) URL");
    expect(lineFor(error, "ARENDE_SYNC_CRON")).toContain('"*/15 * * * *"');
    expect(lineFor(error, "ARENDE_SYNC_CHANNEL")).toContain("channel id such as C012AB3CD");
  });

  it("refuses a password in the source URL, pointing at ARENDE_SYNC_AUTH, and a lease under ten seconds", () => {
    const error = configError({
      ...httpEnv,
      ARENDE_SYNC_SOURCE: "https://registrator:hemligt@diarium.example.se/export",
      ARENDE_SYNC_LEASE_SECONDS: "5",
    });
    const line = lineFor(error, "ARENDE_SYNC_SOURCE");
    expect(line).toContain("ARENDE_SYNC_AUTH");
    expect(line).not.toContain("hemligt");
    expect(lineFor(error, "ARENDE_SYNC_LEASE_SECONDS")).toContain("between 10 and 3600");
  });
});

describe("ARENDE_UNFURL_DOMAINS", () => {
  it("reads the e-diarium's host names, comma-separated, in lower case; none by default", () => {
    expect(parseConfig(httpEnv, "bot").unfurlDomains).toEqual([]);
    const config = parseConfig(
      { ...httpEnv, ARENDE_UNFURL_DOMAINS: "OpenGov.Stockholm.se, diarium.kommun.se" },
      "bot",
    );
    expect(config.unfurlDomains).toEqual(["opengov.stockholm.se", "diarium.kommun.se"]);
  });

  it("refuses a URL where a host name belongs, saying how to write it", () => {
    const error = configError({ ...httpEnv, ARENDE_UNFURL_DOMAINS: "https://diarium.kommun.se/p360" });
    expect(lineFor(error, "ARENDE_UNFURL_DOMAINS")).toContain("without https:// or a path");
  });
});
