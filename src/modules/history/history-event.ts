import type { deadlineKind, timelineKind } from "../../db/schema.js";

/** One audit event as the history reads it. `changes` is whatever the writer stored: read defensively. */
export type HistoryEvent = {
  id: number;
  occurredAt: Date;
  actorType: "slack_user" | "system" | "import" | "cli" | "api_token";
  actorId: string;
  actorName: string | null;
  action: string;
  entityType: string;
  entityId: string;
  changes: Record<string, unknown>;
};

/** What the events of one case refer to, by id, so each can say "the remiss to Socialnämnden". */
export type HistoryContext = {
  caseId: number;
  referrals: ReadonlyMap<number, { bodyName: string }>;
  responses: ReadonlyMap<number, { referralId: number }>;
  deadlines: ReadonlyMap<
    number,
    { referralId: number | null; kind: (typeof deadlineKind.enumValues)[number] }
  >;
  timeline: ReadonlyMap<number, { kind: (typeof timelineKind.enumValues)[number]; bodyName: string | null }>;
  /** Body code → name: imports record bodies by their code. */
  bodyNames: ReadonlyMap<string, string>;
};
