import type { Person } from "../../../db/schema.js";
import { CSV_COLUMNS, type CsvColumn } from "../../import/import.schema.js";
import type { ExportCase, ExportData } from "./collect-export.js";

/**
 * The export in the import's own JSON and CSV formats (docs/import-format.md), so that what goes out
 * reads back in through the same readers. JSON carries everything; CSV holds one row a case and no
 * remisser, as the CSV import does.
 */

type JsonCase = Record<string, unknown>;

export function exportJson(data: ExportData): string {
  const bodyCodes = new Set(data.cases.flatMap(bodiesOf));
  const registryCodes = new Set(data.cases.map((found) => found.registry.code));
  const document = {
    registries: data.registries.filter((registry) => registryCodes.has(registry.code)),
    bodies: data.bodies
      .filter((body) => bodyCodes.has(body.code))
      .map((body) => ({
        code: body.code,
        name: body.name,
        kind: body.kind,
        ...(body.slackChannelId === null ? {} : { slack_channel_id: body.slackChannelId }),
      })),
    cases: data.cases.map(jsonCase),
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}

function bodiesOf(found: ExportCase): string[] {
  return [
    found.responsibleBody?.code,
    found.addressedTo?.code,
    ...found.referrals.map((referral) => referral.body.code),
    ...found.timeline.map((entry) => entry.body?.code),
  ].filter((code): code is string => typeof code === "string");
}

function jsonCase(found: ExportCase): JsonCase {
  return {
    registry: found.registry.code,
    dnr: found.dnr,
    identifiers: found.identifiers,
    kind: found.kind,
    title: found.title,
    public_title: found.publicTitle,
    restricted: found.restricted,
    summary: found.summary,
    raised_by: found.raisedBy.map(person),
    raised_on: found.raisedOn,
    received_on: found.receivedOn,
    closed_on: found.closedOn,
    responsible_body: found.responsibleBody?.code ?? null,
    addressed_to_body: found.addressedTo?.code ?? null,
    officer_name: found.officerName,
    officer_slack_user_id: found.officerSlackUserId,
    status: found.status,
    outcome: found.outcome,
    classification: found.classification,
    decision_due_on: found.decisionDueOn,
    referrals: found.referrals.map((referral) => ({
      body: referral.body.code,
      sent_on: referral.sentOn,
      due_on: referral.dueOn,
      due_statement: referral.dueStatement,
      state: referral.state,
      ...(referral.state === "answered" ? { answered_on: referral.answeredOn } : {}),
      responses: referral.responses.map((response) => ({
        kind: response.kind,
        document_title: response.documentTitle,
        summary: response.summary,
        link: response.link,
        answered_on: response.answeredOn,
        submitted_by_name: response.submittedByName,
        submitted_by_slack_user_id: response.submittedBySlackUserId,
        approval_state: response.approvalState,
        decided_by_name: response.decidedByName,
        decided_by_slack_user_id: response.decidedBySlackUserId,
        decision_reason: response.decisionReason,
        decided_at: response.decidedAt?.toISOString() ?? null,
      })),
    })),
    timeline: found.timeline.map((entry) => ({
      kind: entry.kind,
      body: entry.body?.code ?? null,
      occurred_on: entry.occurredOn,
      reference: entry.reference,
      people: entry.people.map(person),
      text: entry.text,
    })),
  };
}

function person(someone: Person): Person {
  return { name: someone.name, party: someone.party ?? null, title: someone.title ?? null };
}

export function exportCsv(data: ExportData): string {
  const lines = [CSV_COLUMNS.join(",")];
  for (const found of data.cases) {
    const row: Record<CsvColumn, string> = {
      registry: found.registry.code,
      registry_name: found.registry.name,
      dnr: found.dnr ?? "",
      identifiers: found.identifiers.join("; "),
      kind: found.kind,
      title: found.title,
      public_title: found.publicTitle,
      restricted: found.restricted ? "ja" : "nej",
      summary: found.summary ?? "",
      // CSV holds a person as "Name (Party)"; a title has no place in it.
      raised_by: found.raisedBy
        .map((someone) => (someone.party ? `${someone.name} (${someone.party})` : someone.name))
        .join("; "),
      raised_on: found.raisedOn ?? "",
      received_on: found.receivedOn ?? "",
      closed_on: found.closedOn ?? "",
      responsible_body: found.responsibleBody?.code ?? "",
      addressed_to_body: found.addressedTo?.code ?? "",
      officer_name: found.officerName ?? "",
      officer_slack_user_id: found.officerSlackUserId ?? "",
      status: found.status,
      outcome: found.outcome ?? "",
      classification: found.classification ?? "",
      decision_due_on: found.decisionDueOn ?? "",
    };
    lines.push(CSV_COLUMNS.map((column) => csvCell(row[column])).join(","));
  }
  return `${lines.join("\n")}\n`;
}

function csvCell(value: string): string {
  return /[",\n\r;]/u.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}
