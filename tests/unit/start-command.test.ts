import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { assignments, npmStartCommand, startCommand } from "../support/start-command.js";

/** The systemd unit in deploy/: its Environment= assignments and its ExecStart= command. */
function systemdUnit() {
  const unit = readFileSync(new URL("../../deploy/arendebot.service", import.meta.url), "utf8");
  const environment = assignments(
    [...unit.matchAll(/^Environment=(.*)$/gm)].flatMap(([, words]) => (words ?? "").trim().split(/\s+/)),
  );
  const execStart = /^ExecStart=(.*)$/m.exec(unit)?.[1];
  if (!execStart) throw new Error("the unit has no ExecStart=");
  return { environment, command: startCommand(execStart) };
}

describe("how the bot is started in production", () => {
  it("the systemd unit starts it as npm start does: the same node options and malloc setting", () => {
    const npmStart = npmStartCommand();
    const unit = systemdUnit();
    expect(unit.command.nodeOptions).toEqual(npmStart.nodeOptions);
    expect(unit.command.args.at(-1)).toMatch(/\/dist\/main\.js$/);
    for (const [name, value] of Object.entries(npmStart.environment)) {
      expect(unit.environment[name], name).toBe(value);
    }
    // Two malloc arenas: each thread that allocates otherwise keeps an arena of freed memory.
    expect(npmStart.environment.MALLOC_ARENA_MAX).toBe("2");
  });

  it("reads a command's variables, node's options and the script apart", () => {
    expect(startCommand("A=1 B_2=x node --expose-gc --max-semi-space-size=8 dist/main.js --flag")).toEqual({
      environment: { A: "1", B_2: "x" },
      args: ["--expose-gc", "--max-semi-space-size=8", "dist/main.js", "--flag"],
      nodeOptions: ["--expose-gc", "--max-semi-space-size=8"],
    });
    expect(() => startCommand("tsx src/main.ts")).toThrow(/not a "node …" command/);
  });
});
