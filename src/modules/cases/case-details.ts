import type { Person } from "../../db/schema.js";

import type { CaseKind, CaseStatus } from "./case-kinds.js";

export type { CaseKind, CaseStatus };

export type BodyRef = { id: number; code: string; name: string };

export type ResponseDetails = {
  id: number;
  kind: "answer" | "declined";
  documentTitle: string | null;
  summary: string;
  link: string | null;
  answeredOn: string | null;
  approvalState: "pending" | "approved" | "rejected";
  /** Who approved or rejected it, and when; null while pending, or when an import did not say. */
  decidedBySlackUserId: string | null;
  decidedByName: string | null;
  decidedAt: Date | null;
};

export type ReferralDetails = {
  id: number;
  body: BodyRef;
  sentOn: string | null;
  dueOn: string | null;
  dueStatement: string | null;
  state: "open" | "answered" | "declined" | "withdrawn";
  answeredOn: string | null;
  responses: ResponseDetails[];
};

export type TimelineDetails = {
  kind: "preparation" | "proposal" | "decision" | "dissent" | "statement";
  body: BodyRef | null;
  occurredOn: string | null;
  reference: string | null;
  people: Person[];
  text: string;
};

/** A computed deadline of the whole case: the statutory target or the local policy. */
export type CaseDeadlineDetails = {
  kind: "referral_due" | "statutory" | "policy" | "custom";
  dueOn: string;
  basis: string;
  state: "open" | "met" | "cancelled";
  metOn: string | null;
};

/** Everything the registry knows of one case, as the bot shows it. Dates are "YYYY-MM-DD" or null. */
export type CaseDetails = {
  id: number;
  registry: { code: string; name: string };
  dnr: string | null;
  kind: CaseKind;
  title: string;
  publicTitle: string;
  restricted: boolean;
  summary: string | null;
  raisedBy: Person[];
  raisedOn: string | null;
  receivedOn: string | null;
  closedOn: string | null;
  addressedTo: BodyRef | null;
  responsibleBody: BodyRef | null;
  officerName: string | null;
  officerSlackUserId: string | null;
  status: CaseStatus;
  outcome: string | null;
  identifiers: string[];
  referrals: ReferralDetails[];
  deadlines: CaseDeadlineDetails[];
  timeline: TimelineDetails[];
};

/** Enough to name a case in a list of suggestions; public data only. */
export type CaseSummary = { id: number; label: string; publicTitle: string };
