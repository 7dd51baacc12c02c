import type { CaseDetails } from "../../src/modules/cases/case-details.js";

/** A case as the repository loads it, with nothing known beyond its number and title. */
export function caseDetails(overrides: Partial<CaseDetails> = {}): CaseDetails {
  return {
    id: 42,
    registry: { code: "stockholm-ks", name: "Stockholms stad, kommunstyrelsen" },
    dnr: "108-1642/2017",
    kind: "skrivelse",
    title: "Bristerna inom socialtjänsten",
    publicTitle: "Bristerna inom socialtjänsten",
    restricted: false,
    summary: null,
    raisedBy: [],
    raisedOn: null,
    receivedOn: null,
    closedOn: null,
    addressedTo: null,
    responsibleBody: null,
    officerName: null,
    officerSlackUserId: null,
    status: "open",
    outcome: null,
    identifiers: [],
    referrals: [],
    deadlines: [],
    timeline: [],
    ...overrides,
  };
}
