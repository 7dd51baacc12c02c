import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

type Usage = { cpuMs: number; rssBytes: number };

const READY_LINE = /^listening on (\d+)$/;
const START_TIMEOUT_MS = 120_000;
const STOP_TIMEOUT_MS = 10_000;

export type ServerUnderTest = {
  url: string;
  /** CPU time the server process has used so far, in ms; machine load does not inflate it much. */
  cpuMs(): Promise<number>;
  /** Resident memory of the server process (all its threads), in bytes. */
  rssBytes(): Promise<number>;
  stop(): Promise<void>;
};

/**
 * Child side: tells the parent where to send requests, answers its questions about CPU time and
 * memory, and stops cleanly on SIGTERM.
 */
export function announce(port: number, stop: () => Promise<void>): void {
  process.on("message", () => {
    const { user, system } = process.cpuUsage();
    process.send?.({ cpuMs: (user + system) / 1000, rssBytes: process.memoryUsage.rss() } satisfies Usage);
  });
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
 * Parent side: runs a bench/serve-*.ts script in its own Node process, so the load generator
 * never shares the server's event loop. BENCH_CPU_PROF=<dir> writes a CPU profile of the server.
 */
export async function startServer(script: string, env: Record<string, string>): Promise<ServerUnderTest> {
  const profile = process.env.BENCH_CPU_PROF
    ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`]
    : [];
  const child = spawn(
    process.execPath,
    [...profile, "--import", "tsx", fileURLToPath(new URL(script, import.meta.url))],
    { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "inherit", "ipc"] },
  );
  // Never outlive the bench, whatever way it ends.
  process.once("exit", () => child.kill("SIGKILL"));
  try {
    const port = await readyPort(child, script);
    const usage = async () => {
      const answer = once(child, "message") as Promise<[Usage]>;
      child.send("usage");
      return (await answer)[0];
    };
    return {
      url: `http://127.0.0.1:${port}/slack/events`,
      cpuMs: async () => (await usage()).cpuMs,
      rssBytes: async () => (await usage()).rssBytes,
      stop: () => stopChild(child, script),
    };
  } catch (error) {
    child.kill("SIGKILL");
    throw error;
  }
}

function readyPort(child: ChildProcess, script: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${script} did not start listening`)), START_TIMEOUT_MS);
    child.once("exit", (code) => reject(new Error(`${script} exited (code ${code}) before listening`)));
    if (!child.stdout) throw new Error("child stdout is not piped");
    createInterface({ input: child.stdout }).on("line", (line) => {
      const match = READY_LINE.exec(line);
      if (!match) return process.stdout.write(`[${script}] ${line}\n`);
      clearTimeout(timer);
      resolve(Number(match[1]));
    });
  });
}

async function stopChild(child: ChildProcess, script: string): Promise<void> {
  if (child.exitCode !== null) throw new Error(`${script} had already exited (code ${child.exitCode})`);
  const exited = once(child, "exit") as Promise<[number | null, NodeJS.Signals | null]>;
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), STOP_TIMEOUT_MS);
  const [code, signal] = await exited;
  clearTimeout(timer);
  if (code !== 0) throw new Error(`${script} stopped badly (code ${code}, signal ${signal})`);
}
