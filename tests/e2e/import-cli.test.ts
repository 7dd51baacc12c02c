import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/**
 * Runs `arendebot import` the way an operator does: bin/arendebot.js in its own process, configured
 * only by the environment given here, with an embedded database in a fresh directory. What matters
 * here is what only the process shows: the exit code and everything printed, stack traces included.
 */
const ROOT = new URL("../..", import.meta.url).pathname;

let directory: string;

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), "arendebot-import-cli-"));
});

afterAll(async () => {
  if (directory) await rm(directory, { recursive: true, force: true });
});

async function arendebot(...args: string[]) {
  const child = spawn(process.execPath, ["bin/arendebot.js", ...args], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? tmpdir(),
      DATA_DIR: join(directory, "data"),
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
    stdout += chunk;
  });
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
    stderr += chunk;
  });
  const [code] = await once(child, "exit");
  return { code: code as number | null, stdout, stderr };
}

describe("arendebot import, as a process", () => {
  it("answers a JSON file nested 100,000 deep with exit 2 and one line, not a stack trace", async () => {
    const file = join(directory, "djup.json");
    await writeFile(file, `{"cases":[${"[".repeat(100_000)}${"]".repeat(100_000)}]}`);
    const result = await arendebot("import", file);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr.trimEnd().split("\n")).toEqual([
      "djup.json: på rad 1 ligger värden mer än 64 nivåer djupt i listor och objekt, men ett ärende i importformatet har högst 7; kontrollera att det är rätt fil (se docs/import-format.md) (nested more than 64 levels deep)",
    ]);
  }, 60_000);

  it("imports Excel's Windows-1252 CSV so that the case reads right in the bot's answer", async () => {
    // "Snöröjning på Årstaängsvägen", semicolons and CRLF, as Swedish Excel saves it.
    const row = Buffer.from(
      "prov;Provdiarium;PR 2025/1;skrivelse;Sn\xf6r\xf6jning p\xe5 \xc5rsta\xe4ngsv\xe4gen\r\n",
      "latin1",
    );
    const file = join(directory, "excel.csv");
    await writeFile(file, Buffer.concat([Buffer.from("registry;registry_name;dnr;kind;title\r\n"), row]));
    const imported = await arendebot("import", file);
    expect(imported).toMatchObject({ code: 0, stderr: "" });
    const status = await arendebot("status", "PR 2025/1");
    expect(status.code).toBe(0);
    expect(status.stdout).toContain("Snöröjning på Årstaängsvägen");
    expect(status.stdout).not.toContain("\uFFFD");
  }, 60_000);
});

describe("the ERMS import and the export, as processes", () => {
  it("imports the diarium's FGS 2.0 export and answers for its case, and export says what it wrote", async () => {
    const fixture = new URL("../fixtures/erms/stockholm-fgs2.xml", import.meta.url).pathname;
    const imported = await arendebot("import", fixture);
    expect(imported.stderr).toBe("");
    expect(imported.code).toBe(0);
    expect(imported.stdout).toContain("ärenden (cases): 2 skapade");

    const status = await arendebot("status", "Motion", "2016:114");
    expect(status.code).toBe(0);
    expect(status.stdout).toContain("Socialnämnden: svar senast 31 mars 2017");

    const out = join(directory, "till-diariet.xml");
    const exported = await arendebot("export", "--format", "erms", "--since", "2017-04-01", "--out", out);
    expect(exported.code).toBe(0);
    expect(exported.stdout).toBe("");
    expect(exported.stderr).toContain("0 ärenden ändrade i chatten sedan 2017-04-01");

    const wrong = await arendebot("export", "--format", "xlsx");
    expect(wrong.code).not.toBe(0);
    expect(wrong.stderr).toContain("Allowed choices are erms, csv, json");
  }, 120_000);
});
