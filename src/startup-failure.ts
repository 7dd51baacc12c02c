import type { Config } from "./config.js";
import { DataDirInUseError, DataDirUnusableError, type LockHolder } from "./db/data-dir-lock.js";
import { StartupError } from "./startup-error.js";

/** What went wrong, naming the variable to fix, and what to do: printed as two lines, without a stack. */
export type Explained = { cause: string; fix: string };

/**
 * The start-up failures an operator causes and can fix: the database (DATABASE_URL unreachable or
 * refusing, DATA_DIR unusable or in use by another process) and PORT. Anything else is null: a bug,
 * which keeps its stack trace. `inSlack` names the Slack command that does the same while the bot runs.
 */
export function explainStartupFailure(
  error: unknown,
  config: Pick<Config, "database" | "port">,
  options: { now?: Date; inSlack?: string } = {},
): Explained | null {
  for (const cause of causes(error)) {
    if (cause instanceof StartupError) return { cause: cause.reason, fix: cause.fix };
    if (cause instanceof DataDirInUseError) return inUse(cause, options.now ?? new Date(), options.inSlack);
    if (cause instanceof DataDirUnusableError) return unusableDataDir(cause);
    const code = codeOf(cause);
    if (code === undefined) continue;
    const syscall = (cause as { syscall?: unknown }).syscall;
    if (syscall === "listen") {
      const listen = listenFailure(code, config.port);
      if (listen) return listen;
    }
    if (config.database.kind === "postgres") {
      const database = databaseFailure(code, cause, config.database.url);
      if (database) return database;
    }
  }
  return null;
}

function* causes(error: unknown): Generator<unknown> {
  let current = error;
  // drizzle wraps the driver's error in DrizzleQueryError; a few levels are plenty.
  for (let depth = 0; depth < 5 && current !== undefined && current !== null; depth++) {
    yield current;
    current = (current as { cause?: unknown }).cause;
  }
}

function inUse(error: DataDirInUseError, now: Date, inSlack: string | undefined): Explained {
  const { holder } = error;
  const place = `DATA_DIR ${error.dataDir}`;
  const postgres =
    "set DATABASE_URL to a PostgreSQL database, which the bot and terminal commands can use side by side.";
  if (holder === null) {
    return {
      cause: `${place} is being opened by another arendebot process this very moment.`,
      fix: `Wait for it and try again, or ${postgres}`,
    };
  }
  const who = `${holder.what}, pid ${holder.pid}${error.onAnotherHost ? ` on host ${holder.hostname}` : ""}`;
  const cause = `${place} is in use by ${who}, running since ${since(holder, now)}; the embedded database takes one process at a time.`;
  if (error.onAnotherHost) {
    return {
      cause,
      fix:
        `Stop it on ${holder.hostname} first; if it no longer runs there (the machine or container is gone), ` +
        `delete ${error.lockFile} and try again. To run several processes, ${postgres}`,
    };
  }
  const slack = holder.bot && inSlack ? ` While the bot runs, ${inSlack} in Slack does the same.` : "";
  return {
    cause,
    fix: holder.bot
      ? `Stop the bot first (kill ${holder.pid}, or stop its service, e.g. systemctl stop arendebot) and try again, or ${postgres}${slack}`
      : `Wait until it has finished (or stop it: kill ${holder.pid}) and try again, or ${postgres}`,
  };
}

function since(holder: LockHolder, now: Date): string {
  const started = new Date(holder.startedAt);
  if (Number.isNaN(started.getTime())) return holder.startedAt;
  const minutes = Math.max(0, Math.round((now.getTime() - started.getTime()) / 60_000));
  const ago =
    minutes < 1
      ? "under a minute"
      : minutes < 60
        ? `${minutes} min`
        : minutes < 48 * 60
          ? `${Math.floor(minutes / 60)} h ${minutes % 60} min`
          : `${Math.floor(minutes / 1440)} days`;
  return `${started.toISOString().slice(0, 19).replace("T", " ")} UTC (${ago})`;
}

function unusableDataDir(error: DataDirUnusableError): Explained {
  const place = `DATA_DIR ${error.dataDir}`;
  const elsewhere = "Set DATA_DIR to a directory this user may write to";
  switch (error.code) {
    case "ENOTDIR":
      return {
        cause: `${place} cannot be created: ${error.fileInTheWay ?? "a part of that path"} is a file, not a directory.`,
        fix: `${elsewhere}, or move that file away.`,
      };
    case "EEXIST":
      return {
        cause: `${place} is a file, not a directory.`,
        fix: `${elsewhere}, or move that file away.`,
      };
    case "EACCES":
    case "EPERM":
      return {
        cause: `${place} is not writable by this user (${user()}).`,
        fix: `${elsewhere}, or give this user write permission on it (chown or chmod).`,
      };
    case "EROFS":
      return {
        cause: `${place} is on a read-only file system.`,
        fix: `${elsewhere} (in a container, mount a writable volume there).`,
      };
    case "ENOSPC":
    case "EDQUOT":
      return {
        cause: `the disk holding ${place} is full.`,
        fix: "Free some space, or move DATA_DIR to another disk.",
      };
    default:
      return { cause: `${place} cannot be used (${error.code}).`, fix: `${elsewhere}.` };
  }
}

function user(): string {
  const uid = process.getuid?.();
  return uid === undefined ? "the user running arendebot" : `uid ${uid}`;
}

function listenFailure(code: string, port: number): Explained | null {
  if (code === "EADDRINUSE") {
    return {
      cause: `PORT ${port} is already in use by another program on this machine.`,
      fix: `Stop that program (\`ss -ltnp 'sport = :${port}'\` shows which it is), or set PORT to a free port.`,
    };
  }
  if (code === "EACCES" || code === "EPERM") {
    return {
      cause: `PORT ${port} may not be opened by this user (${user()}); ports below 1024 need privileges.`,
      fix: "Set PORT to 1024 or above (put a reverse proxy in front for port 80 or 443).",
    };
  }
  return null;
}

function databaseFailure(code: string, error: unknown, url: string): Explained | null {
  const at = `the database at DATABASE_URL (${redactDatabaseUrl(url)})`;
  const details = error as { address?: unknown; port?: unknown; hostname?: unknown; message?: unknown };
  switch (code) {
    case "ECONNREFUSED": {
      const where = details.address ? ` (nothing listens on ${details.address}:${details.port ?? "?"})` : "";
      return {
        cause: `${at} refused the connection${where}.`,
        fix: "Check the host and port in DATABASE_URL, and that PostgreSQL is running and accepts TCP connections there.",
      };
    }
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return {
        cause: `the host ${details.hostname ? `"${details.hostname}" ` : ""}of ${at} cannot be found (DNS lookup failed).`,
        fix: "Check the host name in DATABASE_URL.",
      };
    case "ETIMEDOUT":
    case "CONNECT_TIMEOUT":
    case "EHOSTUNREACH":
    case "ENETUNREACH":
      return {
        cause: `${at} cannot be reached (${code}).`,
        fix: "Check the host and port in DATABASE_URL, and that no firewall stands between this machine and the server.",
      };
    case "ECONNRESET":
      return {
        cause: `${at} closed the connection at once (${code}).`,
        fix: "Check that DATABASE_URL names a PostgreSQL server, with the port and SSL settings it expects.",
      };
    case "3D000":
      return {
        cause: `${at} does not exist on that server.`,
        fix: `Create it (createdb ${databaseName(url) ?? "<name>"}) or correct the database name at the end of DATABASE_URL.`,
      };
    case "28P01":
      return {
        cause: `${at} refused the password (${String(details.message)}).`,
        fix: "Check the user name and password in DATABASE_URL.",
      };
    case "28000":
      return {
        cause: `${at} refused the login (${String(details.message)}).`,
        fix: "Check the user name in DATABASE_URL, and that the server's pg_hba.conf lets it connect from this machine.",
      };
    case "42501":
      return {
        cause: `the user in DATABASE_URL (${redactDatabaseUrl(url)}) may not create arendebot's tables (${String(details.message)}).`,
        fix: "Grant that user CREATE on the database and its schema public, or use the database owner in DATABASE_URL.",
      };
    case "57P03":
    case "53300":
      return {
        cause: `${at} does not accept connections now (${String(details.message)}).`,
        fix: "Try again shortly; if it persists, check the server's state and max_connections.",
      };
    default:
      return null;
  }
}

/**
 * DATABASE_URL for an error message: the password (everything between the user name and the last @)
 * and the query string (where sslpassword and the like go) are never shown.
 */
export function redactDatabaseUrl(url: string): string {
  const scheme = /^[a-z]+:\/\//i.exec(url)?.[0] ?? "";
  let rest = url.slice(scheme.length);
  let user = "";
  const at = rest.lastIndexOf("@");
  if (at >= 0) {
    const userInfo = rest.slice(0, at);
    const colon = userInfo.indexOf(":");
    user = colon >= 0 ? `${userInfo.slice(0, colon)}:***@` : `${userInfo}@`;
    rest = rest.slice(at + 1);
  }
  const query = rest.indexOf("?");
  if (query >= 0) rest = `${rest.slice(0, query)}?…`;
  return `${scheme}${user}${rest}`;
}

function databaseName(url: string): string | null {
  try {
    const name = decodeURIComponent(new URL(url).pathname.slice(1));
    return name === "" ? null : name;
  } catch {
    return null;
  }
}

function codeOf(error: unknown): string | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === "string" ? code : undefined;
}
