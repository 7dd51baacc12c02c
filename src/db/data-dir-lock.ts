import { randomBytes } from "node:crypto";
import {
  closeSync,
  mkdirSync,
  openSync,
  readFileSync,
  realpathSync,
  statSync,
  unlinkSync,
  writeSync,
} from "node:fs";
import { hostname } from "node:os";
import { join, relative, resolve } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

/**
 * The embedded database (PGlite) belongs to one process: a second process opening the same files
 * works on its own view of them, and one side's writes vanish without an error. So every opener of DATA_DIR first creates DATA_DIR/arendebot.lock exclusively (O_EXCL) with its
 * name in it, and whoever finds the file there is refused, told who holds it, unless the holder is
 * provably gone (SIGKILL, a crash, a reboot): then the lock is taken over.
 */

export const LOCK_FILE_NAME = "arendebot.lock";

export type Opener = {
  /** What an operator recognises in a refusal: "the bot (npm start)", "arendebot import data.csv". */
  what: string;
  /** The long-running bot, as opposed to a terminal command that finishes by itself. */
  bot: boolean;
};

export type LockHolder = Opener & {
  pid: number;
  hostname: string;
  startedAt: string;
  /** Linux: a pid is reused after a reboot or in a restarted container; these two tell it apart. */
  bootId?: string | undefined;
  processStart?: string | undefined;
};

/** DATA_DIR is held by a process that is alive, or that runs on another machine and cannot be checked. */
export class DataDirInUseError extends Error {
  constructor(
    readonly dataDir: string,
    readonly lockFile: string,
    /** Null when the lock file cannot be read (another opener is writing it this very moment). */
    readonly holder: LockHolder | null,
    readonly onAnotherHost: boolean,
  ) {
    super(
      holder
        ? `${dataDir} is in use by ${holder.what} (pid ${holder.pid} on ${holder.hostname})`
        : `${dataDir} is being opened by another process`,
    );
    this.name = "DataDirInUseError";
  }
}

/** DATA_DIR cannot be created or written: a file in the way, no permission, a read-only or full disk. */
export class DataDirUnusableError extends Error {
  constructor(
    readonly dataDir: string,
    readonly code: string,
    /** For ENOTDIR: the file that stands where a directory of the path should be. */
    readonly fileInTheWay: string | null,
    options: { cause: unknown },
  ) {
    super(`${dataDir} cannot be used (${code})`, options);
    this.name = "DataDirUnusableError";
  }
}

export type DataDirLock = {
  readonly file: string;
  /** Idempotent; also runs on process exit, so a crash or process.exit leaves no lock behind. */
  release(): void;
};

/** A lock file that cannot be parsed this long after it was written is a leftover, not one being written. */
const HALF_WRITTEN_GRACE_MS = 5_000;
const TAKEOVER_GUARD_STALE_MS = 10_000;
const MAX_ATTEMPTS = 100;

/** Lock files this process holds, so a pid equal to ours can be told from a previous life of our pid. */
const heldHere = new Set<string>();

/** Opens under the lock; failing to open, or closing, releases it. */
export async function underDataDirLock<T extends { close(): Promise<void> }>(
  dataDir: string,
  opener: Opener,
  open: () => Promise<T>,
): Promise<T> {
  const lock = await lockDataDir(dataDir, opener);
  let handle: T;
  try {
    handle = await open();
  } catch (error) {
    lock.release();
    throw error;
  }
  const close = handle.close.bind(handle);
  return {
    ...handle,
    close: async () => {
      try {
        await close();
      } finally {
        lock.release();
      }
    },
  };
}

/** For openers that do not name themselves: the script and its arguments. */
export function thisProcess(): Opener {
  const [, script = "node", ...args] = process.argv;
  return { what: [relative(process.cwd(), script) || script, ...args].join(" "), bot: false };
}

/**
 * For terminal commands, which have no shutdown of their own: a signal's default action ends the
 * process without its exit handlers, leaving a lock that only the next opener finds to be stale.
 * Exiting through process.exit, with the code a shell reports for the signal, releases it at once.
 */
export function exitOnSignals(): void {
  for (const [signal, number] of [
    ["SIGINT", 2],
    ["SIGTERM", 15],
    ["SIGHUP", 1],
  ] as const) {
    process.on(signal, () => process.exit(128 + number));
  }
}

export async function lockDataDir(dataDir: string, opener: Opener): Promise<DataDirLock> {
  let dir = resolve(dataDir);
  try {
    mkdirSync(dir, { recursive: true });
    // One name per directory, so that this process opening it twice, once through a symlink, is
    // recognised as twice.
    dir = realpathSync(dir);
  } catch (error) {
    throw unusable(dir, error);
  }
  const file = join(dir, LOCK_FILE_NAME);
  const mine: LockHolder = {
    // A long command line (a file path, many words) would crowd out the rest of a refusal.
    what: opener.what.length > 120 ? `${opener.what.slice(0, 119)}…` : opener.what,
    bot: opener.bot,
    pid: process.pid,
    hostname: hostname(),
    startedAt: new Date().toISOString(),
    bootId: bootId(),
    processStart: processStart(process.pid),
  };
  const content = `${JSON.stringify({ ...mine, token: randomBytes(8).toString("hex") }, null, 2)}\n`;

  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    if (createExclusively(dir, file, content)) return hold(file, content);
    const found = readLock(dir, file);
    if (found === undefined) continue;
    if (found.holder === null) {
      if (found.ageMs < HALF_WRITTEN_GRACE_MS) {
        await sleep(50);
        continue;
      }
    } else {
      const state = holderState(found.holder, file);
      if (state !== "gone") throw new DataDirInUseError(dir, file, found.holder, state === "elsewhere");
    }
    if (!takeOver(dir, file, found.content)) await sleep(20);
  }
  throw new DataDirInUseError(dir, file, readLock(dir, file)?.holder ?? null, false);
}

function createExclusively(dir: string, file: string, content: string): boolean {
  let fd: number;
  try {
    fd = openSync(file, "wx", 0o644);
  } catch (error) {
    if (codeOf(error) === "EEXIST") return false;
    throw unusable(dir, error);
  }
  try {
    writeSync(fd, content);
  } catch (error) {
    closeSync(fd);
    removeQuietly(file);
    throw unusable(dir, error);
  }
  closeSync(fd);
  return true;
}

function hold(file: string, content: string): DataDirLock {
  heldHere.add(file);
  const release = () => {
    if (!heldHere.delete(file)) return;
    process.off("exit", release);
    try {
      // Only our own: after a takeover by someone who judged us gone, the file is theirs.
      if (readFileSync(file, "utf8") === content) unlinkSync(file);
    } catch {
      // Gone already (the directory removed with it): nothing to release.
    }
  };
  process.on("exit", release);
  return { file, release };
}

type FoundLock = { content: string; holder: LockHolder | null; ageMs: number };

/** Undefined when there is no lock file (it was released between our attempt and this read). */
function readLock(dir: string, file: string): FoundLock | undefined {
  let content: string;
  let ageMs: number;
  try {
    content = readFileSync(file, "utf8");
    ageMs = Date.now() - statSync(file).mtimeMs;
  } catch (error) {
    if (codeOf(error) === "ENOENT") return undefined;
    throw unusable(dir, error);
  }
  return { content, holder: parseHolder(content), ageMs };
}

function parseHolder(content: string): LockHolder | null {
  let value: unknown;
  try {
    value = JSON.parse(content);
  } catch {
    return null;
  }
  if (typeof value !== "object" || value === null) return null;
  const record = value as Record<string, unknown>;
  const text = (key: string) => (typeof record[key] === "string" ? (record[key] as string) : undefined);
  const pid = record.pid;
  // A pid of 0 or below would make the liveness probe signal a whole process group.
  if (typeof pid !== "number" || !Number.isInteger(pid) || pid <= 0) return null;
  const host = text("hostname");
  const startedAt = text("startedAt");
  const what = text("what");
  if (host === undefined || startedAt === undefined || what === undefined) return null;
  return {
    pid,
    hostname: host,
    startedAt,
    what,
    bot: record.bot === true,
    bootId: text("bootId"),
    processStart: text("processStart"),
  };
}

function holderState(holder: LockHolder, file: string): "alive" | "gone" | "elsewhere" {
  if (holder.hostname !== hostname()) return "elsewhere";
  const currentBoot = bootId();
  if (holder.bootId && currentBoot && holder.bootId !== currentBoot) return "gone";
  if (holder.pid === process.pid) return heldHere.has(file) ? "alive" : "gone";
  try {
    process.kill(holder.pid, 0);
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return codeOf(error) === "EPERM" ? "alive" : "gone";
  }
  const started = processStart(holder.pid);
  if (holder.processStart && started && started !== holder.processStart) return "gone";
  return "alive";
}

/**
 * Removes a stale lock, unless it changed since it was judged stale. Two processes taking over at once
 * must not both remove it (the slower would remove the faster one's new lock), so the compare and
 * remove happen under a second, short-lived exclusive file. False when someone else holds that one.
 */
function takeOver(dir: string, file: string, staleContent: string): boolean {
  const guard = `${file}.takeover`;
  let fd: number;
  try {
    fd = openSync(guard, "wx");
  } catch (error) {
    if (codeOf(error) !== "EEXIST") throw unusable(dir, error);
    try {
      // Left behind by a process that died within the few lines below.
      if (Date.now() - statSync(guard).mtimeMs > TAKEOVER_GUARD_STALE_MS) removeQuietly(guard);
    } catch {
      // Released meanwhile.
    }
    return false;
  }
  closeSync(fd);
  try {
    if (readFileSync(file, "utf8") === staleContent) unlinkSync(file);
  } catch (error) {
    if (codeOf(error) !== "ENOENT") throw unusable(dir, error);
  } finally {
    removeQuietly(guard);
  }
  return true;
}

function unusable(dir: string, error: unknown): DataDirUnusableError {
  const code = codeOf(error) ?? "UNKNOWN";
  return new DataDirUnusableError(dir, code, code === "ENOTDIR" ? fileInTheWay(dir) : null, {
    cause: error,
  });
}

/** The nearest existing ancestor of `path`, when it is not a directory. */
function fileInTheWay(path: string): string | null {
  let current = path;
  for (;;) {
    try {
      return statSync(current).isDirectory() ? null : current;
    } catch {
      const parent = resolve(current, "..");
      if (parent === current) return null;
      current = parent;
    }
  }
}

function bootId(): string | undefined {
  try {
    return readFileSync("/proc/sys/kernel/random/boot_id", "utf8").trim();
  } catch {
    return undefined;
  }
}

/** Field 22 of /proc/<pid>/stat, the start time in ticks after boot; read after the command name, which may hold spaces. */
function processStart(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat
      .slice(stat.lastIndexOf(")") + 2)
      .split(" ")
      .at(19);
  } catch {
    return undefined;
  }
}

function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Already gone.
  }
}

function codeOf(error: unknown): string | undefined {
  return typeof error === "object" && error !== null && "code" in error
    ? String((error as { code: unknown }).code)
    : undefined;
}
