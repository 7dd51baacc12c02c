import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { tmpdir } from "node:os";
import { npmStartCommand } from "./start-command.js";

/**
 * Starts the bot (`src/main.ts`) and the `arendebot` command the way an operator does: their own
 * processes, configured only by the environment given (nothing inherited but PATH and HOME). The bot
 * and db:migrate run from the TypeScript sources (under tsx); `arendebot` runs bin/arendebot.js, which
 * runs the compiled dist/ (rebuilt by the global setup when a source is newer).
 */
export const ROOT = new URL("../..", import.meta.url).pathname;

export type Started = {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
};

export type Finished = { code: number | null; stdout: string; stderr: string };

type Options = { env: Record<string, string>; uid?: number; gid?: number };

function start(args: string[], { env, uid, gid }: Options): Started {
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? tmpdir(), ...env },
    stdio: ["ignore", "pipe", "pipe"],
    ...(uid === undefined ? {} : { uid }),
    ...(gid === undefined ? {} : { gid }),
  });
  let stdout = "";
  let stderr = "";
  child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
    stdout += chunk;
  });
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
    stderr += chunk;
  });
  const exited = once(child, "exit").then(([code]) => code as number | null);
  return { child, stdout: () => stdout, stderr: () => stderr, exited };
}

/** `npm start` (which runs dist/main.js), without npm and from the sources. */
export function startMain(env: Record<string, string>, options: Omit<Options, "env"> = {}): Started {
  return start(["--import", "tsx", "src/main.ts"], { env, ...options });
}

/** `npm start` itself: the compiled bot, dist/main.js, under plain node, with npm start's options. */
export function startCompiledMain(env: Record<string, string>): Started {
  const command = npmStartCommand();
  return start(command.args, { env: { ...command.environment, ...env } });
}

/** `npm run db:migrate` (dist/db/migrate.js), without npm and from the sources. */
export function runMigrate(env: Record<string, string>, ms = 30_000): Promise<Finished> {
  return finish(start(["--import", "tsx", "src/db/migrate.ts"], { env }), ms);
}

/** `arendebot …`, through bin/arendebot.js as npx runs it. */
export function runCli(args: string[], env: Record<string, string>, ms = 30_000): Promise<Finished> {
  return finish(start(["bin/arendebot.js", ...args], { env }), ms);
}

export async function finish(started: Started, ms: number): Promise<Finished> {
  const code = await exitCodeWithin(started, ms);
  return { code, stdout: started.stdout(), stderr: started.stderr() };
}

/** Resolves when the process prints `text`; rejects if it exits first or takes longer than `ms`. */
export async function waitForOutput(started: Started, text: string, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!started.stdout().includes(text)) {
    if (started.child.exitCode !== null) {
      throw new Error(
        `exited with ${started.child.exitCode} before printing "${text}":\n${started.stderr()}`,
      );
    }
    if (Date.now() > deadline)
      throw new Error(`did not print "${text}" within ${ms} ms:\n${started.stderr()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The exit code, or a failure naming the limit if the process is still running after `ms`. */
export async function exitCodeWithin(started: Started, ms: number): Promise<number | null> {
  let timer: NodeJS.Timeout | undefined;
  const tooLate = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`still running ${ms} ms later:\n${started.stdout()}\n${started.stderr()}`)),
      ms,
    );
  });
  try {
    return await Promise.race([started.exited, tooLate]);
  } finally {
    clearTimeout(timer);
  }
}

/** Kills what a failed test left running, and waits until it is gone (before its directory is removed). */
export async function killIfRunning(started: Started | undefined): Promise<void> {
  if (started && started.child.exitCode === null && started.child.signalCode === null) {
    started.child.kill("SIGKILL");
    await started.exited;
  }
}
