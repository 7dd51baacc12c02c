import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { timelineEntries } from "../../src/db/schema.js";
import { say } from "../../src/messages/sv.js";
import type { CaseDetails } from "../../src/modules/cases/case-details.js";
import { loadCaseDetails } from "../../src/modules/cases/cases.repository.js";
import {
  type CaseStatusResult,
  findCaseStatus,
  getCaseById,
} from "../../src/modules/cases/get-case-status.js";
import { Seeder } from "../support/seed-rows.js";
import { createTestDatabase, type TestDatabase } from "../support/test-database.js";

let database: TestDatabase;
let skrivelseId: number;
let motionId: number;
let paddedId: number;
let solnaId: number;
let stockholmKsId: number;

beforeAll(async () => {
  database = await createTestDatabase();
  const seed = new Seeder(database.db);
  skrivelseId = await seed.case({
    dnr: "108-1642/2017",
    kind: "skrivelse",
    title: "Bristerna inom socialtjänsten",
    publicTitle: "Bristerna inom socialtjänsten",
    raisedBy: [{ name: "Lotta Edholm", party: "L" }],
    raisedOn: "2016-10-26",
    status: "closed",
    outcome: "Skrivelsen anses besvarad",
    responsibleBody: "kommunstyrelsen",
    identifiers: ["PM 2017:95 RVI+VIII"],
    referrals: [
      {
        body: "stadsledningskontoret",
        state: "answered",
        answeredOn: "2017-01-13",
        responses: [
          {
            documentTitle: "Tjänsteutlåtande",
            summary: "Första utkastet.",
            answeredOn: "2017-01-10",
            approvalState: "rejected",
          },
          {
            documentTitle: "Tjänsteutlåtande",
            summary: "Skrivelsen anses besvarad.",
            answeredOn: "2017-01-13",
            approvalState: "approved",
          },
        ],
      },
    ],
    timeline: [
      {
        kind: "proposal",
        body: "borgarrådsberedningen",
        occurredOn: "2017-05-04",
        reference: "PM 2017:95 RVI+VIII",
        people: [{ name: "Åsa Lindhagen" }, { name: "Clara Lindblom" }],
        text: "Skrivelsen anses besvarad.",
      },
      {
        kind: "dissent",
        body: "kommunstyrelsen",
        people: [{ name: "Lotta Edholm", party: "L" }],
        text: "Avslag.",
      },
      { kind: "decision", body: "kommunstyrelsen", text: "Skrivelsen anses besvarad." },
    ],
  });
  // Added later, yet first in the case's history: order follows position, not insertion.
  await database.db.insert(timelineEntries).values({
    caseId: skrivelseId,
    position: 0,
    kind: "preparation",
    text: "Stadsledningskontorets tjänsteutlåtande.",
  });

  motionId = await seed.case({
    dnr: null,
    kind: "motion",
    title: "Motion om en kompetensutvecklingspeng för socialsekreterare",
    publicTitle: "Motion om en kompetensutvecklingspeng för socialsekreterare",
    raisedBy: [{ name: "Isabel Smedberg Palmqvist", party: "L" }],
    status: "in_progress",
    identifiers: ["Motion 2016:114"],
    referrals: [
      {
        body: "socialnämnden",
        dueOn: "2017-03-31",
        dueStatement: "ska senast vara inlämnad 31 mars 2017",
      },
      { body: "Bromma stadsdelsnämnd" },
      { body: "Hägersten-Liljeholmens stadsdelsnämnd" },
    ],
  });

  paddedId = await seed.case({
    dnr: "KS/2014/0073",
    kind: "other",
    title: "Arkivreglemente",
    publicTitle: "Arkivreglemente",
  });

  // Neighbours of 108-1642/2017, to be offered when a serial is mistyped; one is restricted.
  for (const [dnr, title, restricted] of [
    ["108-1644/2017", "Hemlöshet bland unga", false],
    ["108-1645/2017", "Orosanmälan rörande namngiven familj", true],
    ["108-1646/2017", "Upphandling av skolskjuts", false],
  ] as const) {
    await seed.case({
      dnr,
      kind: "skrivelse",
      title,
      publicTitle: restricted ? "Sekretess" : title,
      restricted,
    });
  }

  // One dnr, two registries: numbers are unique within a registry only.
  stockholmKsId = await seed.case({
    dnr: "KS 2025/39",
    kind: "other",
    title: "Budget för kulturnämnden",
    publicTitle: "Budget för kulturnämnden",
  });
  await seed.registry("solna-ks", "Solna stad, kommunstyrelsen");
  solnaId = await seed.case({
    registry: "solna-ks",
    dnr: "KS-2025-039",
    kind: "other",
    title: "Trafikplan för Solna centrum",
    publicTitle: "Trafikplan för Solna centrum",
  });
});

afterAll(async () => {
  await database?.destroy();
});

async function status(query: string): Promise<CaseStatusResult> {
  return findCaseStatus({ db: database.db, query });
}

async function foundIds(query: string): Promise<number[]> {
  const result = await status(query);
  if (result.type !== "found") throw new Error(`"${query}" gave ${result.type}, expected found`);
  return result.cases.map((details) => details.id);
}

async function suggestions(query: string) {
  const result = await status(query);
  if (result.type !== "not_found") throw new Error(`"${query}" gave ${result.type}, expected not_found`);
  return result;
}

describe("getCaseStatus: finds a case however its number is typed", () => {
  it.each([
    ["108-1642/2017"],
    ["Dnr 108-1642/2017"],
    ["Dnr: 108–1642/2017"],
    ["dnr 108\u20111642/2017"],
    ["Dnr\u00a0108-1642/2017"],
    ["DNR:\u00a0108 - 1642 / 2017"],
    ["diarienr 108-1642/2017"],
    ["«Dnr 108-1642/2017»."],
  ])("by dnr: %s", async (query) => {
    expect(await foundIds(query)).toEqual([skrivelseId]);
  });

  it.each([["Motion 2016:114"], ["motion 2016:114"], ["MOTION 2016 : 114"]])(
    "by the motion's number: %s",
    async (query) => {
      expect(await foundIds(query)).toEqual([motionId]);
    },
  );

  it.each([["PM 2017:95"], ["pm 2017:95"], ["PM 2017:95 RVI+VIII"], ["PM 2017:95 RVI"]])(
    "by the memo's number, with or without rotel codes: %s",
    async (query) => {
      expect(await foundIds(query)).toEqual([skrivelseId]);
    },
  );

  it.each([["KS/2014/0073"], ["KS/2014/73"], ["ks 2014/73"], ["KS-2014-073"]])(
    "ignores zero padding and separators: %s",
    async (query) => {
      expect(await foundIds(query)).toEqual([paddedId]);
    },
  );

  it("returns the case from every registry that has the number", async () => {
    const result = await status("KS 2025/39");
    expect(result.type).toBe("found");
    const cases = result.type === "found" ? result.cases : [];
    expect(cases.map((details) => details.id).sort()).toEqual([stockholmKsId, solnaId].sort());
    expect(cases.map((details) => details.registry.name).sort()).toEqual([
      "Solna stad, kommunstyrelsen",
      "Stockholms stad, kommunstyrelsen",
    ]);
    // Each keeps its own registry's way of writing it.
    expect(cases.map((details) => details.dnr).sort()).toEqual(["KS 2025/39", "KS-2025-039"]);
  });
});

describe("getCaseStatus: not found", () => {
  it("a mistyped serial offers the closest cases, at most three, public titles only", async () => {
    const result = await suggestions("Dnr 108-1643/2017");
    expect(result.identifier).toBe("Dnr 108-1643/2017");
    expect(result.suggestions.length).toBeGreaterThan(0);
    expect(result.suggestions.length).toBeLessThanOrEqual(3);
    expect(result.suggestions).toContainEqual({
      id: skrivelseId,
      label: "Dnr 108-1642/2017",
      publicTitle: "Bristerna inom socialtjänsten",
    });
    expect(JSON.stringify(result.suggestions)).not.toContain("Orosanmälan");
  });

  it("never offers more than three, however many are close", async () => {
    // 108-1642, -1644, -1645 and -1646 are all one digit away from 108-1640.
    const result = await suggestions("108-1640/2017");
    expect(result.suggestions).toHaveLength(3);
    for (const suggestion of result.suggestions) expect(suggestion.label).toMatch(/^Dnr 108-164\d\/2017$/);
  });

  it("a restricted neighbour is offered by its public title", async () => {
    // The year is wrong, the serial right: the restricted case is the closest.
    const result = await suggestions("108-1645/2018");
    expect(result.suggestions[0]).toMatchObject({ label: "Dnr 108-1645/2017", publicTitle: "Sekretess" });
    expect(JSON.stringify(result.suggestions)).not.toContain("Orosanmälan");
  });

  it("a mistyped series number offers the case by that number", async () => {
    const result = await suggestions("Motion 2016:115");
    expect(result.identifier).toBe("Motion 2016:115");
    expect(result.suggestions[0]).toEqual({
      id: motionId,
      label: "Motion 2016:114",
      publicTitle: "Motion om en kompetensutvecklingspeng för socialsekreterare",
    });
  });

  it("offers nothing for a number like none in the registry", async () => {
    const result = await suggestions("ABC 1999/77777");
    expect(result.suggestions).toEqual([]);
  });

  it("does not confuse a dnr with a series number of the same digits", async () => {
    const result = await status("Motion 2017:1642");
    expect(result.type).toBe("not_found");
  });

  it("says what was wrong when the text is no identifier at all", async () => {
    const result = await status("bristerna inom socialtjänsten");
    expect(result.type).toBe("invalid");
    if (result.type === "invalid") {
      expect(result.error.code).toBe("identifiers.unrecognised");
      expect(say(result.error)).toContain("Dnr 108-1642/2017");
    }
    const empty = await status("  ");
    expect(empty.type === "invalid" ? empty.error.code : empty.type).toBe("identifiers.empty");
  });
});

describe("loadCaseDetails", () => {
  let skrivelse: CaseDetails;
  let motion: CaseDetails;

  beforeAll(async () => {
    const loaded = await loadCaseDetails(database.db, [motionId, skrivelseId]);
    const byId = new Map(loaded.map((details) => [details.id, details]));
    skrivelse = byId.get(skrivelseId) as CaseDetails;
    motion = byId.get(motionId) as CaseDetails;
    expect(loaded).toHaveLength(2);
  });

  it("loads the case's own fields, with unknown dates left unknown", () => {
    expect(skrivelse).toMatchObject({
      registry: { code: "stockholm-ks", name: "Stockholms stad, kommunstyrelsen" },
      dnr: "108-1642/2017",
      kind: "skrivelse",
      title: "Bristerna inom socialtjänsten",
      raisedBy: [{ name: "Lotta Edholm", party: "L" }],
      raisedOn: "2016-10-26",
      receivedOn: null,
      closedOn: null,
      status: "closed",
      outcome: "Skrivelsen anses besvarad",
      responsibleBody: { name: "kommunstyrelsen" },
      addressedTo: null,
      identifiers: ["PM 2017:95 RVI+VIII"],
    });
    expect(motion.dnr).toBeNull();
    expect(motion.raisedOn).toBeNull();
    expect(motion.identifiers).toEqual(["Motion 2016:114"]);
  });

  it("loads referrals with their responses, in order", () => {
    expect(skrivelse.referrals).toHaveLength(1);
    const [referral] = skrivelse.referrals;
    expect(referral).toMatchObject({
      body: { name: "stadsledningskontoret" },
      state: "answered",
      answeredOn: "2017-01-13",
      dueOn: null,
    });
    expect(referral?.responses.map((response) => [response.summary, response.approvalState])).toEqual([
      ["Första utkastet.", "rejected"],
      ["Skrivelsen anses besvarad.", "approved"],
    ]);
    expect(referral?.responses[1]).toMatchObject({
      kind: "answer",
      documentTitle: "Tjänsteutlåtande",
      answeredOn: "2017-01-13",
      link: null,
    });

    expect(
      motion.referrals.map((item) => [item.body.name, item.state, item.dueOn, item.dueStatement]),
    ).toEqual([
      ["socialnämnden", "open", "2017-03-31", "ska senast vara inlämnad 31 mars 2017"],
      ["Bromma stadsdelsnämnd", "open", null, null],
      ["Hägersten-Liljeholmens stadsdelsnämnd", "open", null, null],
    ]);
  });

  it("loads the timeline in the order things happened, with bodies and people", () => {
    expect(skrivelse.timeline.map((entry) => [entry.kind, entry.body?.name ?? null])).toEqual([
      ["preparation", null],
      ["proposal", "borgarrådsberedningen"],
      ["dissent", "kommunstyrelsen"],
      ["decision", "kommunstyrelsen"],
    ]);
    expect(skrivelse.timeline[1]).toMatchObject({
      occurredOn: "2017-05-04",
      reference: "PM 2017:95 RVI+VIII",
      people: [{ name: "Åsa Lindhagen" }, { name: "Clara Lindblom" }],
    });
    expect(skrivelse.timeline[2]?.occurredOn).toBeNull();
    expect(motion.timeline).toEqual([]);
  });

  it("returns nothing for no ids or unknown ids", async () => {
    expect(await loadCaseDetails(database.db, [])).toEqual([]);
    expect(await loadCaseDetails(database.db, [987654])).toEqual([]);
    expect(await getCaseById({ db: database.db, caseId: 987654 })).toBeNull();
    expect((await getCaseById({ db: database.db, caseId: paddedId }))?.dnr).toBe("KS/2014/0073");
  });
});
