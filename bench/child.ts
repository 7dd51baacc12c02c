import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { readdir, readFile } from "node:fs/promises";
import { createInterface } from "node:readline";

const START_TIMEOUT_MS = 120_000;
const STOP_TIMEOUT_MS = 10_000;
/** Linux's clock ticks per second, the unit of /proc/<pid>/stat's CPU times (`getconf CLK_TCK`). */
const CLOCK_TICKS_PER_S = 100;

export type ServerUnderTest = {
  url: string;
  /**
   * CPU time the server process has used so far, in ms: all its threads, and its main thread (the
   * rest is the embedded database's worker and V8's helpers). Load does not inflate it much.
   */
  cpuMs(): Promise<{ total: number; mainThread: number }>;
  /** Resident memory of the server process (all its threads), in bytes. */
  rssBytes(): Promise<number>;
  stop(): Promise<void>;
};

export type ServerCommand = {
  /** What to run with `node`: node's options, then the script and its arguments. */
  args: string[];
  env: Record<string, string>;
  /** The line on standard output that says the server is listening; its first group is the port. */
  ready: RegExp;
  /** Standard output lines to leave out of the bench's own output (the bot's JSON log lines). */
  quiet?: (line: string) => boolean;
};

/**
 * Child side of bench/serve-floor.ts: tells the parent where to send requests and stops cleanly on
 * SIGTERM. (The bot itself is `node dist/main.js`, which says so in its own words.)
 */
export function announce(port: number, stop: () => Promise<void>): void {
  process.once("SIGTERM", () => {
    stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  });
  console.log(`listening on ${port}`);
}

/**
 * Runs a server in its own Node process, so the load generator never shares its event loop, and
 * reads its CPU time and memory the way `ps` does (/proc; Linux only). BENCH_CPU_PROF=<dir> writes
 * CPU profiles of the server, its worker threads included; BENCH_HEAP_PROF=<dir> sampled allocation
 * profiles (where the garbage collector's work comes from).
 */
export async function startServer(name: string, command: ServerCommand): Promise<ServerUnderTest> {
  const profile = process.env.BENCH_CPU_PROF
    ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`]
    : [];
  const heapProfile = process.env.BENCH_HEAP_PROF
    ? ["--heap-prof", `--heap-prof-dir=${process.env.BENCH_HEAP_PROF}`]
    : [];
  const child = spawn(process.execPath, [...profile, ...heapProfile, ...command.args], {
    env: { ...process.env, ...command.env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  // Never outlive the bench, whatever way it ends.
  const killOnExit = () => child.kill("SIGKILL");
  process.once("exit", killOnExit);
  child.once("exit", () => process.off("exit", killOnExit));
  try {
    const port = await readyPort(child, name, command);
    const pid = child.pid as number;
    return {
      url: `http://127.0.0.1:${port}/slack/events`,
      cpuMs: async () => ({
        total: await cpuMsOf(`/proc/${pid}/stat`),
        mainThread: await cpuMsOf(`/proc/${pid}/task/${pid}/stat`),
      }),
      rssBytes: () => rssBytesOf(pid),
      stop: () => stopChild(child, name),
    };
  } catch (error) {
    child.kill("SIGKILL");
    throw error;
  }
}

/** utime + stime (fields 14 and 15) of a process (its threads included) or of one thread. */
async function cpuMsOf(statFile: string): Promise<number> {
  return ticksMsOf(await readFile(statFile, "utf8"));
}

function ticksMsOf(stat: string): number {
  // The command name (field 2) may hold spaces; the fields after its closing parenthesis do not.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1000) / CLOCK_TICKS_PER_S;
}

/**
 * CPU time of every PostgreSQL process on this machine (the server the bench uses, when it runs
 * here): what a target costs the database, which the server's own figure leaves out. Processes that
 * end between two readings drop out of the sum, so the figure is a floor.
 */
export async function postgresCpuMs(): Promise<number> {
  let total = 0;
  for (const entry of await readdir("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = await readFile(`/proc/${entry}/stat`, "utf8");
      if (!stat.includes("(postgres)")) continue;
      total += ticksMsOf(stat);
    } catch {
      // The process ended while the list was read.
    }
  }
  return total;
}

async function rssBytesOf(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, "utf8");
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(status);
  if (!match) throw new Error(`no VmRSS in /proc/${pid}/status`);
  return Number(match[1]) * 1024;
}

function readyPort(child: ChildProcess, name: string, command: ServerCommand): Promise<number> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start listening`)), START_TIMEOUT_MS);
    child.once("exit", (code) => reject(new Error(`${name} exited (code ${code}) before listening`)));
    if (!child.stdout) throw new Error("child stdout is not piped");
    createInterface({ input: child.stdout }).on("line", (line) => {
      const match = command.ready.exec(line);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      } else if (!command.quiet?.(line)) {
        process.stdout.write(`[${name}] ${line}\n`);
      }
    });
  });
}

async function stopChild(child: ChildProcess, name: string): Promise<void> {
  if (child.exitCode !== null) throw new Error(`${name} had already exited (code ${child.exitCode})`);
  const exited = once(child, "exit") as Promise<[number | null, NodeJS.Signals | null]>;
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), STOP_TIMEOUT_MS);
  const [code, signal] = await exited;
  clearTimeout(timer);
  if (code !== 0) throw new Error(`${name} stopped badly (code ${code}, signal ${signal})`);
}
