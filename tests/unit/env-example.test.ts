import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config.js";

/** .env.example is the operator's list of settings: every variable src/config.ts reads, and nothing else. */
const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), "utf8");

const example = read(".env.example");
const listed = [...example.matchAll(/^([A-Z][A-Z0-9_]*)=(.*)$/gm)].map(([, name, value]) => ({
  name: name ?? "",
  value: value ?? "",
}));
// The schema's keys: the object literal passed to z.object in src/config.ts.
const schemaSource = read("src/config.ts").split("const schema = z.object({")[1]?.split("\n});")[0] ?? "";
const readByConfig = [...schemaSource.matchAll(/^ {2}([A-Z][A-Z0-9_]*):/gm)].map(([, name]) => name);

describe(".env.example", () => {
  it("lists every variable the configuration reads, once, each with a comment above it", () => {
    expect(readByConfig.length).toBeGreaterThan(10);
    expect(listed.map(({ name }) => name).sort()).toEqual([...readByConfig].sort());
    const lines = example.split("\n");
    for (const { name } of listed) {
      const at = lines.findIndex((line) => line.startsWith(`${name}=`));
      expect(lines[at - 1], name).toMatch(/^# \S/);
    }
  });

  it("its values, as written, are a valid configuration with the documented defaults", () => {
    const env = Object.fromEntries(listed.map(({ name, value }) => [name, value]));
    const fromExample = parseConfig(env, "cli");
    expect(fromExample).toEqual(parseConfig({}, "cli"));
  });
});
