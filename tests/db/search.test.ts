import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixedClock } from "../../src/clock.js";
import { say } from "../../src/messages/sv.js";
import { parseSearchQuery } from "../../src/modules/search/parse-search.js";
import { type SearchResult, searchCases } from "../../src/modules/search/search-cases.js";
import type { Actor } from "../../src/modules/shared/actor.js";
import { createContext } from "../../src/modules/shared/context.js";
import { SECRET_SUMMARY, SECRET_TITLE, seedStatusCases } from "../support/scenarios.js";
import { Seeder } from "../support/seed-rows.js";
import { createTestDatabase, type TestDatabase } from "../support/test-database.js";

const clock = fixedClock("2017-04-03T07:00:00Z");
let database: TestDatabase;
let seed: Seeder;

beforeAll(async () => {
  database = await createTestDatabase();
  seed = new Seeder(database.db);
  await seedStatusCases(seed);
  // Twelve cases on one subject, for paging; raised a day apart, so the order is known.
  for (let day = 1; day <= 12; day += 1) {
    await seed.case({
      dnr: `108-${300 + day}/2017`,
      kind: "skrivelse",
      title: `Skrivelse om snöröjningen i Bromma, del ${day}`,
      publicTitle: `Skrivelse om snöröjningen i Bromma, del ${day}`,
      raisedOn: `2017-01-${String(day).padStart(2, "0")}`,
      status: day % 2 === 0 ? "closed" : "in_progress",
      responsibleBody: "kommunstyrelsen",
    });
  }
  await seed.roles([
    { user: "USOCREG", role: "registrator", body: "socialnämnden" },
    { user: "UKSREG", role: "registrator", body: "kommunstyrelsen" },
  ]);
}, 60_000);

afterAll(async () => {
  await database?.destroy();
});

async function search(text: string, actor: Actor = { type: "slack_user", userId: "WNOBODY" }, page = 1) {
  const parsed = parseSearchQuery(text);
  if (!parsed.ok) throw new Error(`not a search: ${text}`);
  const result = await searchCases(createContext({ db: database.db, clock, actor, admins: ["UADMIN"] }), {
    query: parsed.query,
    page,
  });
  if (!result.ok) throw new Error(JSON.stringify(result.error));
  return result;
}

const titles = (result: Extract<SearchResult, { ok: true }>) => result.hits.map((hit) => hit.title);
const person = (userId: string): Actor => ({ type: "slack_user", userId });

describe("search", () => {
  it("finds a word in another Swedish form: socialsekreterarna finds socialsekreterare", async () => {
    const result = await search("socialsekreterarna");
    expect(result.hits).toEqual([
      {
        caseId: expect.any(Number),
        label: "Motion 2016:114",
        title: "Motion om en kompetensutvecklingspeng för socialsekreterare",
        kind: "motion",
        status: "in_progress",
        date: null,
      },
    ]);
  });

  it("forgives a typo", async () => {
    expect(titles(await search("kompetensutveklingspeng"))).toEqual([
      "Motion om en kompetensutvecklingspeng för socialsekreterare",
    ]);
  });

  it("forgives a typo beside a word spelt right, and keeps both words' meaning", async () => {
    const result = await search("snöröjningen bromam del");
    expect(result.hits).toHaveLength(10);
    expect(titles(result).every((title) => title.startsWith("Skrivelse om snöröjningen i Bromma"))).toBe(
      true,
    );
    // A typo corrected to a word no other word goes with finds nothing rather than anything.
    expect((await search("snöröjningen kompetensutveklingspeng")).hits).toEqual([]);
  });

  it("ranks, and pages ten at a time in a fixed order", async () => {
    const first = await search("snöröjningen bromma");
    expect(first.hits).toHaveLength(10);
    expect(first.hasMore).toBe(true);
    const second = await search("snöröjningen bromma", undefined, 2);
    expect(second.hits).toHaveLength(2);
    expect(second.hasMore).toBe(false);
    const all = [...titles(first), ...titles(second)];
    expect(new Set(all).size).toBe(12);
    // Equal scores: the newest first.
    expect(all[0]).toBe("Skrivelse om snöröjningen i Bromma, del 12");
    expect(all[11]).toBe("Skrivelse om snöröjningen i Bromma, del 1");
  });

  it("narrows by kind, year, open or finished, and responsible body", async () => {
    expect(titles(await search("typ:motion"))).toEqual([
      "Motion om en kompetensutvecklingspeng för socialsekreterare",
    ]);
    expect(titles(await search("år:2016"))).toEqual(["Bristerna inom socialtjänsten"]);
    const finished = await search("snöröjningen avslutade");
    expect(finished.hits.map((hit) => hit.status)).toEqual(Array(6).fill("closed"));
    const open = await search("snöröjningen öppna");
    expect(open.hits.map((hit) => hit.status)).toEqual(Array(6).fill("in_progress"));
    expect((await search('bromma organ:"socialnämnden"')).hits).toEqual([]);
    expect((await search("del 3 organ:kommunstyrelsen")).hits.length).toBeGreaterThan(0);
  });

  it("says that words too common to search by were left out, rather than that nothing matches", async () => {
    const parsed = parseSearchQuery("och att om");
    if (!parsed.ok) throw new Error("parse");
    const result = await searchCases(createContext({ db: database.db, clock, actor: person("W1") }), {
      query: parsed.query,
    });
    expect(result).toMatchObject({ ok: false, error: { code: "search.only_common_words" } });
    if (result.ok) return;
    expect(say(result.error)).toContain("«och att om» är bara vanliga småord");
    // A word that is no stop word and matches nothing is simply not found.
    expect((await search("xyzzyplugh")).hits).toEqual([]);
  });

  it("refuses an unknown body by name, offering close ones", async () => {
    const parsed = parseSearchQuery("bromma organ:socialnamnd");
    if (!parsed.ok) throw new Error("parse");
    const result = await searchCases(createContext({ db: database.db, clock, actor: person("W1") }), {
      query: parsed.query,
    });
    expect(result).toMatchObject({ ok: false, error: { code: "search.unknown_body" } });
  });
});

describe("a restricted case in search", () => {
  const secretWord = "Drottninggatan";
  const summaryWord = SECRET_SUMMARY.split(" ")[2] as string; // "misstänkt"

  it.each([
    ["its case officer", person("UOFFICER"), true],
    ["an admin", person("UADMIN"), true],
    ["a registrator of its responsible body", person("USOCREG"), true],
    ["a registrator of another body", person("UKSREG"), false],
    ["an official without a role", person("WNOBODY"), false],
    ["the terminal", { type: "cli", user: "registrator" } as Actor, true],
  ])("%s: found by its secret words: %s", async (_who, actor, entitled) => {
    for (const word of [secretWord, summaryWord]) {
      const result = await search(word, actor);
      expect(titles(result)).toEqual(entitled ? [SECRET_TITLE] : []);
    }
    // Typos are corrected from words anyone may search by: a secret word is never a correction.
    expect((await search("Drotninggatan", actor)).hits).toEqual([]);
    // Everyone finds it by its public title, and only those entitled see more than that title.
    const byPublic = await search("sekretess", actor);
    expect(titles(byPublic)).toEqual([entitled ? SECRET_TITLE : "Sekretess"]);
  });
});

describe("corrections never tell what a secret title holds", () => {
  it("corrects a typo to a public word even when a restricted title holds a closer one", async () => {
    await seed.case({
      dnr: "108-900/2017",
      kind: "other",
      title: "Bygglov Andersberg",
      publicTitle: "Bygglov Andersberg",
      status: "in_progress",
    });
    const before = titles(await search("anderss"));
    await seed.case({
      dnr: "108-901/2017",
      kind: "other",
      title: "Orosanmälan Andersson",
      publicTitle: "Sekretess",
      restricted: true,
      responsibleBody: "socialnämnden",
      status: "in_progress",
    });
    expect(before).toEqual(["Bygglov Andersberg"]);
    expect(titles(await search("anderss"))).toEqual(before);
    expect(titles(await search("anderss", person("USOCREG")))).toEqual(before);
  });

  it("does not turn an exclusion or a phrase into words to find", async () => {
    expect(titles(await search("-snöröjningen"))).not.toContain("Skrivelse om snöröjningen i Bromma, del 12");
    expect((await search('"bromma snöröjningen" delx')).hits).toEqual([]);
  });
});

describe("arendebot sök", () => {
  it("prints the hits one a line, searching everything, and pages", async () => {
    const { PassThrough } = await import("node:stream");
    const { runSearchCommand } = await import("../../src/cli/search-command.js");
    const run = async (text: string, page?: number) => {
      const out = new PassThrough();
      const err = new PassThrough();
      let printed = "";
      out.on("data", (chunk: Buffer) => {
        printed += chunk.toString("utf8");
      });
      err.on("data", (chunk: Buffer) => {
        printed += chunk.toString("utf8");
      });
      const ctx = createContext({ db: database.db, clock, actor: { type: "cli", user: "registrator" } });
      const code = await runSearchCommand({ ctx, text, ...(page ? { page } : {}), out, err });
      return { code, printed };
    };
    const secret = await run("Drottninggatan");
    expect(secret).toEqual({
      code: 0,
      printed: `1. Dnr 108-2001/2017  ${SECRET_TITLE}  (Övrigt ärende, Under beredning, 2017-02-01)\n`,
    });
    const first = await run("snöröjningen");
    expect(first.printed).toContain("Fler träffar: arendebot sök snöröjningen --page 2");
    expect((await run("snöröjningen", 2)).printed).toMatch(/^11\. Dnr 108-302\/2017/);
    expect(await run("typ:motioner_x")).toEqual({
      code: 2,
      printed: expect.stringContaining("«motioner_x» är ingen ärendetyp. Skriv typ:motion"),
    });
    expect((await run("zzzzqqqq")).code).toBe(1);
  });
});
