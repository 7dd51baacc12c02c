import { describe, expect, it } from "vitest";
import { matchBodies } from "../../src/modules/bodies/find-bodies.js";
import type { BodyRef } from "../../src/modules/cases/case-details.js";

const bodies: BodyRef[] = [
  { id: 1, code: "socialnämnden", name: "Socialnämnden" },
  { id: 2, code: "bromma-sdn", name: "Bromma stadsdelsnämnd" },
  { id: 3, code: "hagersten-liljeholmen-sdn", name: "Hägersten-Liljeholmens stadsdelsnämnd" },
  { id: 4, code: "slk", name: "Stadsledningskontoret" },
  { id: 5, code: "ks", name: "Kommunstyrelsen" },
];

describe("matchBodies", () => {
  it.each([
    ["slk", 4],
    ["SLK", 4],
    ["Socialnämnden", 1],
    ["socialnamnden", 1],
    ["SOCIALNÄMNDEN", 1],
    ["Bromma stadsdelsnämnd", 2],
    ["bromma stadsdelsnamnd", 2],
    ["bromma-stadsdelsnamnd", 2],
    ["Hagersten-Liljeholmens stadsdelsnamnd", 3],
  ])("finds `%s` by code or name", (term, id) => {
    expect(matchBodies([term], bodies)).toEqual({
      ok: true,
      bodies: [bodies.find((body) => body.id === id)],
    });
  });

  it("keeps the order typed and each body once", () => {
    const found = matchBodies(["slk", "socialnämnden", "Stadsledningskontoret"], bodies);
    expect(found.ok && found.bodies.map((body) => body.id)).toEqual([4, 1]);
  });

  it("answers an unknown name with the closest ones", () => {
    const found = matchBodies(["bromma"], bodies);
    expect(found).toMatchObject({ ok: false, problem: "unknown", term: "bromma" });
    expect(!found.ok && found.candidates.map((body) => body.id)).toEqual([2]);
    const typo = matchBodies(["socialnämden"], bodies);
    expect(!typo.ok && typo.candidates.map((body) => body.id)[0]).toBe(1);
  });

  it("answers a name like nothing known with no candidates", () => {
    expect(matchBodies(["qwxz"], bodies)).toEqual({
      ok: false,
      problem: "unknown",
      term: "qwxz",
      candidates: [],
    });
  });

  it("a name two bodies share is ambiguous; their codes tell them apart", () => {
    const twins = [...bodies, { id: 6, code: "ks-2", name: "Kommunstyrelsen" }];
    expect(matchBodies(["Kommunstyrelsen"], twins)).toMatchObject({ ok: false, problem: "ambiguous" });
    expect(matchBodies(["ks-2"], twins)).toMatchObject({ ok: true, bodies: [{ id: 6 }] });
  });
});
