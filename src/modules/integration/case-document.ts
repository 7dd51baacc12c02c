import type { z } from "zod";
import { type Audience, audienceFor, INTEGRATION } from "../cases/audience.js";
import type { CaseDetails } from "../cases/case-details.js";
import type { caseDocumentSchema } from "./api-schemas.js";

export type CaseDocument = z.input<typeof caseDocumentSchema>;

/**
 * A case as the API answers it: in the import format, so that what is read can be sent back, by the
 * audience rule for an integration platform (a restricted case: its public data only).
 */
export function caseDocument(details: CaseDetails): CaseDocument {
  const audience: Audience = audienceFor(INTEGRATION, details);
  const publicPart = {
    id: details.id,
    registry: details.registry.code,
    dnr: details.dnr,
    identifiers: details.identifiers,
    restricted: details.restricted,
    audience,
    public_title: details.publicTitle,
    raised_on: details.raisedOn,
    received_on: details.receivedOn,
    closed_on: details.closedOn,
  };
  if (audience === "public") return publicPart;
  return {
    ...publicPart,
    kind: details.kind,
    title: details.title,
    summary: details.summary,
    raised_by: details.raisedBy.map((person) => ({
      name: person.name,
      party: person.party ?? null,
      title: person.title ?? null,
    })),
    responsible_body: details.responsibleBody?.code ?? null,
    addressed_to_body: details.addressedTo?.code ?? null,
    officer_name: details.officerName,
    officer_slack_user_id: details.officerSlackUserId,
    status: details.status,
    outcome: details.outcome,
    referrals: details.referrals.map((referral) => ({
      body: referral.body.code,
      sent_on: referral.sentOn,
      due_on: referral.dueOn,
      due_statement: referral.dueStatement,
      state: referral.state,
      answered_on: referral.answeredOn,
      responses: referral.responses.map((response) => ({
        kind: response.kind,
        document_title: response.documentTitle,
        summary: response.summary,
        link: response.link,
        answered_on: response.answeredOn,
        approval_state: response.approvalState,
        decided_by_name: response.decidedByName,
        decided_by_slack_user_id: response.decidedBySlackUserId,
      })),
    })),
    timeline: details.timeline.map((entry) => ({
      kind: entry.kind,
      body: entry.body?.code ?? null,
      occurred_on: entry.occurredOn,
      reference: entry.reference,
      people: entry.people.map((person) => ({
        name: person.name,
        party: person.party ?? null,
        title: person.title ?? null,
      })),
      text: entry.text,
    })),
    deadlines: details.deadlines.map((deadline) => ({
      kind: deadline.kind,
      due_on: deadline.dueOn,
      basis: deadline.basis,
      state: deadline.state,
      met_on: deadline.metOn,
    })),
  };
}
