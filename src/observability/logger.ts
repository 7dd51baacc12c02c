import { randomBytes } from "node:crypto";
import { format } from "node:util";
import { type Logger as BoltLogger, LogLevel } from "@slack/bolt";
import { type DestinationStream, type Logger, pino } from "pino";
import type { Config } from "../config.js";
import { currentScope, runInScope } from "./request-scope.js";

export type LevelName = "debug" | "info" | "warn" | "error";
export type { Logger };

/**
 * Field names whose values are never printed, wherever they sit (pino `redact`). Tokens and the
 * signing secret also have their values scrubbed from every line (messages and stacks included).
 */
const REDACT_PATHS = [
  "token",
  "botToken",
  "appToken",
  "signingSecret",
  "password",
  "authorization",
  "*.token",
  "*.botToken",
  "*.appToken",
  "*.signingSecret",
  "*.password",
  "*.authorization",
  "*.headers.authorization",
  "*.headers.Authorization",
  "*.*.headers.authorization",
  "*.*.headers.Authorization",
  'headers["x-slack-signature"]',
  '*.headers["x-slack-signature"]',
];

/** Slack token shapes: bot, user, app-level and configuration tokens. */
const TOKEN_PATTERN = /\bx(?:ox[abposre]|app)-[A-Za-z0-9-]+/g;
const REDACTED = "[Redacted]";

export type LoggerOptions = {
  level: LevelName;
  /** Values that must never appear in a line (the bot token, the signing secret, the app token). */
  secrets?: readonly (string | undefined)[];
  /** Where lines go; standard output by default, standard error for the terminal commands. */
  fd?: 1 | 2;
  /** JSON lines (production), or one readable line per entry; by default readable on a terminal. */
  pretty?: boolean;
  /** For tests: receives each finished line instead of the file descriptor. */
  write?: (line: string) => void;
};

/**
 * The one logger of the process: JSON lines, one per entry, or a short readable line when the output
 * is a terminal. pino-pretty is not used: its transport runs in a worker thread and pulls in a dozen
 * packages, for what a 20-line formatter below does well enough.
 */
export function createLogger(options: LoggerOptions): Logger {
  const fd = options.fd ?? 1;
  const stream = fd === 1 ? process.stdout : process.stderr;
  const pretty = options.pretty ?? stream.isTTY === true;
  const secrets = (options.secrets ?? []).filter((value): value is string => !!value && value.length >= 4);
  const out = options.write ?? ((line: string) => stream.write(line));
  const destination: DestinationStream = {
    write(line: string) {
      let scrubbed = line.replace(TOKEN_PATTERN, REDACTED);
      for (const secret of secrets) scrubbed = scrubbed.replaceAll(secret, REDACTED);
      out(pretty ? readable(scrubbed) : scrubbed);
    },
  };
  return pino(
    {
      level: options.level,
      base: { name: "arendebot" },
      redact: { paths: REDACT_PATHS, censor: REDACTED },
      formatters: { level: (label) => ({ level: label }) },
      timestamp: pino.stdTimeFunctions.isoTime,
      serializers: { err: pino.stdSerializers.err },
    },
    destination,
  );
}

/** `12:00:01 INFO  message key=value …` and the error's stack under it. */
function readable(line: string): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line;
  }
  const { time, level, msg, err, name: _name, ...rest } = entry;
  const clock = typeof time === "string" ? time.slice(11, 19) : "";
  const fields = Object.entries(rest)
    .map(([key, value]) => `${key}=${typeof value === "string" ? value : JSON.stringify(value)}`)
    .join(" ");
  const stack =
    err && typeof err === "object" && "stack" in err
      ? `\n    ${String(err.stack).split("\n").join("\n    ")}`
      : "";
  return `${clock} ${String(level).toUpperCase().padEnd(5)} ${msg ?? ""}${fields ? ` ${fields}` : ""}${stack}\n`;
}

/** Runs `work` with `log` as the logger of everything it does, listeners and Bolt's own lines included. */
export function withRequestLogger<T>(log: Logger, work: () => T): T {
  const id = log.bindings().req;
  return runInScope({ id: typeof id === "string" ? id : undefined, logger: () => log, outcome: "ok" }, work);
}

/**
 * Runs one request's `work` in its own scope: every line it logs (Bolt's included) carries `req`, a
 * fresh request id, and the other `bindings`. The request's pino child is made on first use: it costs
 * about as much as the status lookup's own JavaScript (its bindings are serialised and redacted when
 * it is made), and most requests log nothing at the default level.
 */
export function inRequestScope<T>(base: Logger, bindings: Record<string, unknown>, work: () => T): T {
  const id = newRequestId();
  let log: Logger | undefined;
  return runInScope(
    { id, logger: () => (log ??= base.child({ req: id, ...bindings })), outcome: "ok" },
    work,
  );
}

export function currentLogger(fallback: Logger): Logger {
  return currentScope()?.logger() ?? fallback;
}

/** The id of the request being handled, as its log lines carry it. */
export function currentRequestId(): string | undefined {
  return currentScope()?.id;
}

/** Random bytes for request ids, taken a few at a time: one call into the system per 1,024 requests. */
const idBytes = { pool: Buffer.alloc(0), next: 0 };

/** Eight hex digits, random. */
function newRequestId(): string {
  if (idBytes.next + 4 > idBytes.pool.length) {
    idBytes.pool = randomBytes(4096);
    idBytes.next = 0;
  }
  idBytes.next += 4;
  return idBytes.pool.toString("hex", idBytes.next - 4, idBytes.next);
}

const toBolt: Record<string, LogLevel> = {
  debug: LogLevel.DEBUG,
  info: LogLevel.INFO,
  warn: LogLevel.WARN,
  error: LogLevel.ERROR,
};

/**
 * Bolt's (and the Web API client's) Logger interface over the process's logger. Each line goes to the
 * logger of the request being handled, so it carries the request id, including Bolt's own lines and
 * those of listeners, which Bolt hands the same `logger`.
 */
export function boltLogger(base: Logger, component: string): BoltLogger {
  let log = base.child({ component });
  const entry =
    (level: LevelName) =>
    (...parts: unknown[]) => {
      // LOG_LEVEL is the process's: Bolt's many debug lines cost nothing more than this test.
      if (!log.isLevelEnabled(level)) return;
      const scoped = currentScope()?.logger();
      const target = scoped ? scoped.child({ component }) : log;
      const err = parts.find((part): part is Error => part instanceof Error);
      const rest = parts.filter((part) => part !== err);
      const message = rest.length > 0 ? format(...rest) : (err?.message ?? "");
      if (err) target[level]({ err }, message);
      else target[level](message);
    };
  return {
    debug: entry("debug"),
    info: entry("info"),
    warn: entry("warn"),
    error: entry("error"),
    // The level is LOG_LEVEL's, set once for the process; Bolt's own setting is ignored.
    setLevel: () => {},
    getLevel: () => toBolt[log.level] ?? LogLevel.INFO,
    setName: (name: string) => {
      log = base.child({ component: name });
    },
  };
}

let processLogger: Logger | undefined;

/**
 * The process's logger, set once at start-up from LOG_LEVEL (the bot, each terminal command); until
 * then, and in tests that start no process, an `info` logger on standard error.
 */
export function log(): Logger {
  processLogger ??= createLogger({ level: "info", fd: 2 });
  return processLogger;
}

export function useProcessLogger(logger: Logger): Logger {
  processLogger = logger;
  return logger;
}

/** What must never be printed: Slack's tokens and signing secret, and a password in DATABASE_URL. */
export function secretsOf(config: Config): string[] {
  const secrets = [
    config.slack?.botToken,
    config.slack?.signingSecret,
    config.slack?.appToken,
    config.sync?.header?.[1],
  ];
  if (config.database.kind === "postgres") {
    try {
      secrets.push(decodeURIComponent(new URL(config.database.url).password));
    } catch {
      // Not a URL: nothing to pick out.
    }
  }
  return secrets.filter((secret): secret is string => !!secret);
}
