import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { tmpdir } from "node:os";

const ROOT = new URL("../..", import.meta.url).pathname;

export type BotProcess = {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
};

/**
 * Starts `src/main.ts` the way an operator does: its own process, configured only by the environment
 * given here (nothing inherited but PATH and HOME).
 */
export function startBotProcess(env: Record<string, string>): BotProcess {
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? tmpdir(), ...env },
    stdio: ["ignore", "pipe", "pipe"],
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

/** Resolves when the process prints `text`; rejects if it exits first or takes longer than `ms`. */
export async function waitForOutput(started: BotProcess, text: string, ms: number): Promise<void> {
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

/** Stops the process with SIGTERM, and kills it if it has not ended within `ms`. */
export async function stopBotProcess(started: BotProcess, ms = 10_000): Promise<void> {
  if (started.child.exitCode !== null) return;
  started.child.kill("SIGTERM");
  const timer = setTimeout(() => started.child.kill("SIGKILL"), ms);
  await started.exited;
  clearTimeout(timer);
}
