import { describe, expect, it } from "vitest";
import { caseKind, caseStatus } from "../../src/db/schema.js";
import {
  CASE_KINDS,
  CASE_STATUSES,
  FINISHED_STATUSES,
  isFinished,
  KIND_LABELS,
  STATUS_LABELS,
  STATUTORY_KINDS,
} from "../../src/modules/cases/case-kinds.js";

describe("case kinds and statuses", () => {
  it("are the schema's enums, each with a Swedish label", () => {
    expect(CASE_KINDS).toEqual(caseKind.enumValues);
    expect(CASE_STATUSES).toEqual(caseStatus.enumValues);
    expect(Object.keys(KIND_LABELS).sort()).toEqual([...caseKind.enumValues].sort());
    expect(Object.keys(STATUS_LABELS).sort()).toEqual([...caseStatus.enumValues].sort());
  });

  it("a case is finished when expedited, closed, written off or weeded out, and only then", () => {
    expect(FINISHED_STATUSES).toEqual(["expedited", "closed", "ad_acta", "obliterated"]);
    expect(CASE_STATUSES.filter(isFinished)).toEqual(FINISHED_STATUSES);
    expect(FINISHED_STATUSES.map((status) => STATUS_LABELS[status])).toEqual([
      "Expedierat",
      "Avslutat",
      "Avskrivet",
      "Gallrat",
    ]);
  });

  it("motions and medborgarförslag are the kinds the law times", () => {
    expect(STATUTORY_KINDS).toEqual(["motion", "medborgarforslag"]);
  });
});
