import { readFileSync } from "node:fs";

export type StartCommand = {
  /** Variables set before `node` (`NAME=value`). */
  environment: Record<string, string>;
  /** Everything after `node`: its options, the script, the script's arguments. */
  args: string[];
  /** Node's options alone, before the script. */
  nodeOptions: string[];
};

const ASSIGNMENT = /^[A-Z_][A-Z0-9_]*=/;

/** `NAME=value` words (a shell's, a systemd unit's `Environment=`) as variables. */
export function assignments(words: readonly string[]): Record<string, string> {
  return Object.fromEntries(
    words.map((word) => {
      if (!ASSIGNMENT.test(word)) throw new Error(`not NAME=value: ${word}`);
      const equals = word.indexOf("=");
      return [word.slice(0, equals), word.slice(equals + 1)];
    }),
  );
}

/** A `[NAME=value …] node [options] script` line, as npm start and the systemd unit hold one. */
export function startCommand(line: string): StartCommand {
  const words = line.trim().split(/\s+/);
  const leading = words.findIndex((word) => !ASSIGNMENT.test(word));
  const environment = assignments(words.splice(0, leading === -1 ? words.length : leading));
  const word = words.shift();
  if (word === undefined || !/(^|\/)node$/.test(word)) throw new Error(`not a "node …" command: ${line}`);
  const script = words.findIndex((arg) => !arg.startsWith("-"));
  return { environment, args: words, nodeOptions: script === -1 ? words : words.slice(0, script) };
}

/** npm start's command, from package.json. */
export function npmStartCommand(): StartCommand {
  const packageJson = new URL("../../package.json", import.meta.url);
  const { scripts } = JSON.parse(readFileSync(packageJson, "utf8")) as { scripts: { start: string } };
  return startCommand(scripts.start);
}
