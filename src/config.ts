import { validate as isCronExpression } from "node-cron";
import { z } from "zod";

/**
 * The only reader of process.env. Everything else receives a parsed Config, so tests and the CLI
 * can build one without touching the environment.
 */

const optionalText = z
  .string()
  .trim()
  .transform((value) => (value === "" ? undefined : value))
  .optional();

function wholeNumber(unit: string, min: number, max: number, fallback: number) {
  const range = `must be a whole number of ${unit} between ${min} and ${max}, e.g. ${fallback}`;
  return optionalText.pipe(
    z
      .string()
      .regex(/^\d{1,9}$/, range)
      .transform(Number)
      .refine((value) => value >= min && value <= max, range)
      .default(fallback),
  );
}

const schema = z.object({
  SLACK_BOT_TOKEN: optionalText.pipe(
    z
      .string()
      .regex(/^xoxb-/, "must be a bot token starting with xoxb- (Slack app → OAuth & Permissions)")
      .optional(),
  ),
  SLACK_SIGNING_SECRET: optionalText,
  SLACK_APP_TOKEN: optionalText.pipe(
    z
      .string()
      .regex(/^xapp-/, "must be an app-level token starting with xapp- (Slack app → Basic Information)")
      .optional(),
  ),
  SLACK_API_URL: optionalText.pipe(
    z
      .url({ protocol: /^https?$/, error: "must be an http(s) URL such as https://slack.com/api/" })
      .transform((url) => (url.endsWith("/") ? url : `${url}/`))
      .optional(),
  ),
  DATABASE_URL: optionalText.pipe(
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, "must be a postgres:// URL, or unset to use the embedded database")
      .optional(),
  ),
  DATA_DIR: optionalText.pipe(z.string().default("./data")),
  PORT: optionalText
    .pipe(
      z
        .string()
        .regex(/^\d{1,5}$/, "must be a port number between 0 and 65535")
        .transform(Number)
        .refine((port) => port <= 65535, "must be a port number between 0 and 65535")
        .optional(),
    )
    .transform((port) => port ?? 3000),
  LOG_LEVEL: optionalText.pipe(z.enum(["debug", "info", "warn", "error"]).default("info")),
  ARENDE_ADMINS: optionalText.pipe(
    z
      .string()
      .transform((list) => list.split(/[\s,]+/).filter(Boolean))
      .pipe(
        z.array(
          z
            .string()
            .regex(/^[UW][A-Z0-9]{2,}$/, "must list Slack user ids such as U012ABCDEF, separated by commas"),
        ),
      )
      .default([]),
  ),
  ARENDE_SKRIVELSE_MONTHS: optionalText.pipe(
    z
      .string()
      .regex(/^\d{1,2}$/, "must be a whole number of months, e.g. 3")
      .transform(Number)
      .refine((months) => months >= 1 && months <= 60, "must be between 1 and 60 months")
      .default(3),
  ),
  ARENDE_MOTION_MONTHS: optionalText.pipe(
    z
      .string()
      .regex(/^\d{1,2}$/, "must be a whole number of months, e.g. 12")
      .transform(Number)
      .refine((months) => months >= 1 && months <= 60, "must be between 1 and 60 months")
      .default(12),
  ),
  ARENDE_MAX_BODY_KB: wholeNumber("kilobytes", 16, 65_536, 1_024),
  ARENDE_DB_TIMEOUT_MS: wholeNumber("milliseconds", 100, 2_500, 2_000),
  ARENDE_MAX_IN_FLIGHT: wholeNumber("requests", 1, 10_000, 100),
  ARENDE_API_MAX_BODY_KB: wholeNumber("kilobytes", 16, 65_536, 2_048),
  ARENDE_API_RATE_LIMIT: wholeNumber("requests a minute", 1, 100_000, 600),
  ARENDE_UNFURL_DOMAINS: optionalText.pipe(
    z
      .string()
      .transform((list) =>
        list
          .split(/[\s,]+/)
          .filter(Boolean)
          .map((host) => host.toLowerCase()),
      )
      .pipe(
        z.array(
          z
            .string()
            .regex(
              /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/,
              "must list host names of the e-diarium, without https:// or a path, separated by commas, e.g. opengov.kommun.se,diarium.kommun.se",
            ),
        ),
      )
      .default([]),
  ),
  ARENDE_REMINDER_DAYS: optionalText.pipe(
    z
      .string()
      .regex(/^\d{1,3}(\s*,\s*\d{1,3})*$/, "must be days before the due date separated by commas, e.g. 7,1")
      .transform((list) => [...new Set(list.split(",").map(Number))].sort((a, b) => b - a))
      .default([7, 1]),
  ),
  ARENDE_SYNC_SOURCE: optionalText.pipe(
    z
      .string()
      .refine(
        (source) => !/^[a-z][a-z0-9+.-]*:\/\//i.test(source) || /^https?:\/\/[^/]/i.test(source),
        "must be a folder the diarium exports to, or an http(s) URL serving the newest export",
      )
      .refine(
        (source) => !/^https?:\/\/[^/@]*@/i.test(source),
        'must not hold a user or password (they would show in logs); put them in ARENDE_SYNC_AUTH, e.g. "Authorization: Basic …"',
      )
      .optional(),
  ),
  ARENDE_SYNC_AUTH: optionalText.pipe(
    z
      .string()
      .regex(
        /^([A-Za-z0-9-]+:\s*)?\S.*$/,
        'must be a header such as "Authorization: Bearer …", or only its value (sent as Authorization)',
      )
      .optional(),
  ),
  ARENDE_SYNC_CRON: optionalText.pipe(
    z
      .string()
      .refine(
        (cron) => isCronExpression(cron),
        'must be a cron expression (minute hour day month weekday), e.g. "*/15 * * * *"',
      )
      .default("*/15 * * * *"),
  ),
  ARENDE_SYNC_MAPPING: optionalText,
  ARENDE_SYNC_LEASE_SECONDS: wholeNumber("seconds", 10, 3_600, 600),
  ARENDE_SYNC_CHANNEL: optionalText.pipe(
    z
      .string()
      .regex(/^[CG][A-Z0-9]{2,}$/, "must be a channel id such as C012AB3CD (channel details → About)")
      .optional(),
  ),
});

/** Where the diarium's exports are taken from, and how often (see modules/sync). */
export type SyncConfig = {
  source: { kind: "folder"; path: string } | { kind: "url"; url: string };
  /** A header sent with an http(s) source, e.g. ["Authorization", "Bearer …"]. */
  header: [name: string, value: string] | undefined;
  cron: string;
  /** The mapping file for CSV exports (docs/import-format.md). */
  mappingFile: string | undefined;
  /** Where each sync's summary is posted. */
  channelId: string | undefined;
  /** A sync's claim, renewed while it runs; a claim not renewed this long is taken over. */
  leaseMs: number;
};

export type SlackConfig = {
  botToken: string;
  /** Present in HTTP mode; Socket Mode needs no signature check. */
  signingSecret: string | undefined;
  /** Present in Socket Mode. */
  appToken: string | undefined;
  apiUrl: string | undefined;
};

export type DatabaseConfig = { kind: "postgres"; url: string } | { kind: "pglite"; dataDir: string };

export type Config = {
  slack: SlackConfig | undefined;
  database: DatabaseConfig;
  port: number;
  logLevel: "debug" | "info" | "warn" | "error";
  /** Slack user ids that may configure digests until roles exist. */
  admins: string[];
  deadlines: { skrivelseMonths: number; motionMonths: number };
  /** Days before a remiss is due that its answering body is reminded, largest first. */
  reminderDays: number[];
  /** Hosts of the municipality's e-diarium whose case links unfold to the case's public card. */
  unfurlDomains: string[];
  /** Scheduled sync from the diarium; off unless ARENDE_SYNC_SOURCE is set. */
  sync: SyncConfig | undefined;
  limits: {
    /** Largest Slack request body read; a larger or unsigned one is refused before it is read. */
    maxBodyBytes: number;
    /** How long a Slack request waits for the database before it is told the registry does not answer. */
    registryTimeoutMs: number;
    /** Slack requests waiting for the database at once; more are told to try again in a while. */
    maxInFlight: number;
  };
  /** The HTTP API for integration platforms (/api/v1). */
  api: {
    /** Largest request body read; a larger one gets 413 before the rest is read. */
    maxBodyBytes: number;
    /** Requests a minute per token; more get 429 with Retry-After. */
    ratePerMinute: number;
  };
};

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Configuration is not valid:\n${problems.map((problem) => `  - ${problem}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

const howToFix: Record<string, string> = {
  SLACK_BOT_TOKEN:
    "set it to the Bot User OAuth Token (xoxb-…) from the Slack app's OAuth & Permissions page",
  SLACK_SIGNING_SECRET:
    "set it to the Signing Secret from the Slack app's Basic Information page (or set SLACK_APP_TOKEN for Socket Mode)",
};

/**
 * `bot` needs Slack credentials; `cli` (status, import, migrate) only needs the database.
 * Secrets are never echoed back in a problem line.
 */
export function parseConfig(env: Record<string, string | undefined>, purpose: "bot" | "cli"): Config {
  const parsed = schema.safeParse(env);
  const problems: string[] = [];
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const name = String(issue.path[0] ?? "configuration");
      problems.push(`${name} ${issue.message}`);
    }
  }
  // Checked on the raw environment too, so that a missing variable is reported together with an
  // invalid one instead of only after the operator has fixed the first.
  if (purpose === "bot") {
    const isSet = (name: string) => (env[name]?.trim() ?? "") !== "";
    if (!isSet("SLACK_BOT_TOKEN")) problems.push(`SLACK_BOT_TOKEN is missing: ${howToFix.SLACK_BOT_TOKEN}`);
    if (!isSet("SLACK_APP_TOKEN") && !isSet("SLACK_SIGNING_SECRET")) {
      problems.push(`SLACK_SIGNING_SECRET is missing: ${howToFix.SLACK_SIGNING_SECRET}`);
    }
  }
  if (!parsed.success || problems.length > 0) throw new ConfigError(problems);
  const values = parsed.data;

  let slack: SlackConfig | undefined;
  if (values.SLACK_BOT_TOKEN) {
    slack = {
      botToken: values.SLACK_BOT_TOKEN,
      signingSecret: values.SLACK_SIGNING_SECRET,
      appToken: values.SLACK_APP_TOKEN,
      apiUrl: values.SLACK_API_URL,
    };
  }

  return {
    slack,
    database: values.DATABASE_URL
      ? { kind: "postgres", url: values.DATABASE_URL }
      : { kind: "pglite", dataDir: values.DATA_DIR },
    port: values.PORT,
    logLevel: values.LOG_LEVEL,
    admins: values.ARENDE_ADMINS,
    deadlines: { skrivelseMonths: values.ARENDE_SKRIVELSE_MONTHS, motionMonths: values.ARENDE_MOTION_MONTHS },
    reminderDays: values.ARENDE_REMINDER_DAYS,
    unfurlDomains: values.ARENDE_UNFURL_DOMAINS,
    sync: values.ARENDE_SYNC_SOURCE
      ? {
          source: /^https?:\/\//i.test(values.ARENDE_SYNC_SOURCE)
            ? { kind: "url", url: values.ARENDE_SYNC_SOURCE }
            : { kind: "folder", path: values.ARENDE_SYNC_SOURCE },
          header: values.ARENDE_SYNC_AUTH ? syncHeader(values.ARENDE_SYNC_AUTH) : undefined,
          cron: values.ARENDE_SYNC_CRON,
          mappingFile: values.ARENDE_SYNC_MAPPING,
          channelId: values.ARENDE_SYNC_CHANNEL,
          leaseMs: values.ARENDE_SYNC_LEASE_SECONDS * 1000,
        }
      : undefined,
    limits: {
      maxBodyBytes: values.ARENDE_MAX_BODY_KB * 1024,
      registryTimeoutMs: values.ARENDE_DB_TIMEOUT_MS,
      maxInFlight: values.ARENDE_MAX_IN_FLIGHT,
    },
    api: {
      maxBodyBytes: values.ARENDE_API_MAX_BODY_KB * 1024,
      ratePerMinute: values.ARENDE_API_RATE_LIMIT,
    },
  };
}

function syncHeader(auth: string): [string, string] {
  const named = /^([A-Za-z0-9-]+):\s*(\S.*)$/.exec(auth);
  return named ? [named[1] as string, named[2] as string] : ["Authorization", auth];
}

export function loadConfig(purpose: "bot" | "cli"): Config {
  return parseConfig(process.env, purpose);
}
