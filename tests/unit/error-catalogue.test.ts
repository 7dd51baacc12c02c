import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { SV } from "../../src/messages/sv.js";

const SRC = join(import.meta.dirname, "../../src");
const MODULES = join(SRC, "modules");

/** Every module's errors.ts, and the codes of the `…_ERRORS` objects it exports. */
async function codesByModule(): Promise<{ module: string; code: string }[]> {
  const found: { module: string; code: string }[] = [];
  for (const module of readdirSync(MODULES)) {
    if (!readdirSync(join(MODULES, module)).includes("errors.ts")) continue;
    const exported: Record<string, unknown> = await import(join(MODULES, module, "errors.ts"));
    for (const [name, value] of Object.entries(exported)) {
      if (!name.endsWith("_ERRORS") || typeof value !== "object" || value === null) continue;
      for (const code of Object.values(value)) found.push({ module, code: String(code) });
    }
  }
  return found;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sourceFiles(join(dir, entry.name))
      : entry.name.endsWith(".ts")
        ? [join(dir, entry.name)]
        : [],
  );
}

describe("error codes and their Swedish words", () => {
  it("finds the codes of every module that has errors", async () => {
    const modules = new Set((await codesByModule()).map((entry) => entry.module));
    expect([...modules].sort()).toEqual([
      "access",
      "api-tokens",
      "digests",
      "follows",
      "identifiers",
      "integration",
      "referrals",
      "reports",
      "responses",
      "search",
      "shared",
    ]);
  });

  it("defines no code twice, in one module or across modules", async () => {
    const codes = await codesByModule();
    const seen = new Map<string, string>();
    const twice: string[] = [];
    for (const { module, code } of codes) {
      const first = seen.get(code);
      if (first !== undefined) twice.push(`${code} (${first} and ${module})`);
      seen.set(code, module);
    }
    expect(twice).toEqual([]);
  });

  it("has Swedish words for every code, and none for a code no module defines", async () => {
    const codes = (await codesByModule()).map((entry) => entry.code);
    expect(codes.filter((code) => typeof SV[code as keyof typeof SV] !== "function")).toEqual([]);
    expect(Object.keys(SV).filter((code) => !codes.includes(code))).toEqual([]);
  });

  it("spells each code in one place in the sources: its module's errors.ts", async () => {
    const sources = sourceFiles(SRC).map((file) => ({ file, text: readFileSync(file, "utf8") }));
    const spelledElsewhere: string[] = [];
    for (const { module, code } of await codesByModule()) {
      const home = join(MODULES, module, "errors.ts");
      for (const { file, text } of sources) {
        const times = text.split(`"${code}"`).length - 1;
        if (times > (file === home ? 1 : 0)) spelledElsewhere.push(`${code} in ${file} (${times}×)`);
      }
    }
    expect(spelledElsewhere).toEqual([]);
  });
});
