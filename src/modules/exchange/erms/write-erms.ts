import { createHash } from "node:crypto";
import { DateTime } from "luxon";
import { create } from "xmlbuilder2";
import type { XMLBuilder } from "xmlbuilder2/lib/interfaces.js";
import { REGISTRY_TIME_ZONE } from "../../../clock.js";
import type { Person } from "../../../db/schema.js";
import type { BodyRef } from "../../cases/case-details.js";
import type { ExportCase, ExportData, ExportResponse } from "../export/collect-export.js";
import {
  APPROVED_ACTION,
  BODY_CODE_TYPE,
  DECLINED_RECORD_TYPE,
  ERMS_NAMESPACE,
  KIND_WORDS,
  OUTCOME_NOTE,
  REGISTRY_ID_TYPE,
  REJECTED_ACTION,
  REMISS_RECORD_TYPE,
  RESPONSE_RECORD_TYPE,
  SLACK_ID_TYPE,
  TIMELINE_WORDS,
  WITHDRAWN_ACTION,
} from "./erms-words.js";

/**
 * The export as FGS Ärendehantering 2.0 (CITS ERMS 2.1.2): one caseFile aggregation a case, its
 * remisser as outgoing records with their receivers and due dates, each remissvar as an incoming
 * record from its body with its approval or rejection as an action by the deciding person, and the
 * timeline as internal records. Elements go in the order ERMS.xsd's sequences demand; xmlbuilder2
 * writes and escapes them. Dates are Stockholm wall-clock time without a zone, as Swedish profiles
 * write them; what chat registered carries its moment as a `captured` date.
 */
export function exportErms(data: ExportData): string {
  const document = create({ version: "1.0", encoding: "UTF-8" });
  const root = document.ele(ERMS_NAMESPACE, "erms");
  const registry = data.registries.find((found) => data.cases[0]?.registry.code === found.code) ??
    data.registries[0] ?? { code: "arendebot", name: "arendebot" };
  const control = root.ele("control");
  control.ele("identification", { identificationType: "arkivbildare" }).txt(registry.name);
  const maintenance = control.ele("maintenanceInformation");
  maintenance.ele("maintenanceStatus", { value: "new" });
  const agency = maintenance.ele("maintenanceAgency");
  agency.ele("agencyCode", { type: REGISTRY_ID_TYPE }).txt(registry.code);
  agency.ele("agencyName").txt(registry.name);
  const event = maintenance.ele("maintenanceHistory").ele("maintenanceEvent");
  event.ele("eventType", { value: "created" });
  event.ele("eventDateTime").txt(stockholmTime(data.exportedAt));
  event.ele("agent", { agentType: "creator" }).ele("name").txt("arendebot export");

  const aggregations = root.ele("aggregations");
  for (const found of data.cases) writeCase(aggregations.ele("aggregation"), found);
  return document.end({ prettyPrint: true });
}

function writeCase(aggregation: XMLBuilder, found: ExportCase): void {
  const objectId = found.dnr ?? found.identifiers[0] ?? `arendebot-${found.id}`;
  aggregation.att("systemIdentifier", uuidOf(`case:${found.registry.code}:${found.id}`));
  aggregation.att("aggregationType", "caseFile");
  aggregation.ele("objectId").txt(objectId);
  for (const identifier of found.identifiers) {
    if (identifier !== objectId) aggregation.ele("extraId", { extraIdType: "beteckning" }).txt(identifier);
  }
  aggregation.ele("identification", { identificationType: REGISTRY_ID_TYPE }).txt(found.registry.code);
  if (found.classification !== null) aggregation.ele("classification").txt(found.classification);
  aggregation.ele("levelName").txt(KIND_WORDS[found.kind]);
  aggregation.ele("title").txt(found.title);
  if (found.restricted || found.publicTitle !== found.title) {
    aggregation.ele("otherTitle", { titleType: "public" }).txt(found.publicTitle);
  }
  aggregation.ele("status", { value: found.status });
  if (found.restricted) {
    const restriction = aggregation.ele("restriction", { restrictionType: "confidential" });
    restriction
      .ele("explanatoryText")
      .txt("Sekretessmarkerat ärende: endast den offentliga titeln får visas.");
    restriction.ele("regulation").txt("Offentlighets- och sekretesslagen (2009:400)");
  }
  const agents: ((parent: XMLBuilder) => void)[] = [];
  for (const someone of found.raisedBy)
    agents.push((parent) => personAgent(parent, "counterpart", someone, null));
  if (found.officerName !== null || found.responsibleBody !== null) {
    agents.push((parent) => {
      const agent = parent.ele("agent", { agentType: "responsible_person" });
      agent.ele("name").txt(found.officerName ?? found.responsibleBody?.name ?? "");
      if (found.responsibleBody !== null) agent.ele("organisation").txt(found.responsibleBody.name);
      if (found.officerSlackUserId !== null && found.officerName !== null) {
        agent.ele("idNumber", { idNumberType: SLACK_ID_TYPE }).txt(found.officerSlackUserId);
      } else if (found.officerName === null && found.responsibleBody !== null) {
        agent.ele("idNumber", { idNumberType: BODY_CODE_TYPE }).txt(found.responsibleBody.code);
      }
    });
  }
  if (found.addressedTo !== null) {
    const addressed = found.addressedTo;
    agents.push((parent) => bodyAgent(parent, "receiver", addressed));
  }
  if (agents.length > 0) {
    const parent = aggregation.ele("agents");
    for (const write of agents) write(parent);
  }
  if (found.summary !== null) aggregation.ele("description").txt(found.summary);
  datesElement(aggregation, [
    ["created", found.raisedOn],
    ["received", found.receivedOn],
    ["closed", found.closedOn],
    ["decision_deadline", found.decisionDueOn],
  ]);
  if (found.outcome !== null) {
    aggregation.ele("notes").ele("note", { noteType: OUTCOME_NOTE }).txt(found.outcome);
  }

  let number = 0;
  const record = (recordType: string, key: string) => {
    number += 1;
    const element = aggregation.ele("record", { systemIdentifier: uuidOf(`${key}:${found.id}`), recordType });
    element.ele("objectId").txt(`${objectId}:${number}`);
    return element;
  };
  for (const referral of found.referrals) {
    const remiss = record(REMISS_RECORD_TYPE, `referral:${referral.id}`);
    remiss.ele("title").txt(`Remiss till ${referral.body.name}`);
    remiss.ele("direction", { directionDefinition: "outgoing" });
    bodyAgent(remiss.ele("agents"), "receiver", referral.body);
    if (referral.dueStatement !== null) remiss.ele("description").txt(referral.dueStatement);
    datesElement(remiss, [
      ["sent", referral.sentOn],
      ["decision_deadline", referral.dueOn],
      ["captured", referral.chatAt],
    ]);
    if (referral.state === "withdrawn") {
      remiss
        .ele("action")
        .ele("actionText")
        .txt("Remissen återkallad")
        .up()
        .ele("actionType")
        .txt(WITHDRAWN_ACTION);
    }
    for (const response of referral.responses) writeResponse(record, referral.body, response);
  }
  for (const [index, entry] of found.timeline.entries()) {
    const memo = record(TIMELINE_WORDS[entry.kind], `timeline:${index}`);
    if (entry.reference !== null) memo.ele("extraId", { extraIdType: "beteckning" }).txt(entry.reference);
    memo.ele("title").txt(TIMELINE_WORDS[entry.kind]);
    memo.ele("direction", { directionDefinition: "internal_memo_without_follow-up" });
    if (entry.people.length > 0 || entry.body !== null) {
      const agents = memo.ele("agents");
      if (entry.people.length === 0 && entry.body !== null) bodyAgent(agents, "creator", entry.body);
      for (const someone of entry.people) personAgent(agents, "creator", someone, entry.body);
    }
    memo.ele("description").txt(entry.text);
    datesElement(memo, [[entry.kind === "decision" ? "decision" : "created", entry.occurredOn]]);
  }
}

function writeResponse(
  record: (recordType: string, key: string) => XMLBuilder,
  body: BodyRef,
  response: ExportResponse,
): void {
  const answer = record(
    response.kind === "declined" ? DECLINED_RECORD_TYPE : RESPONSE_RECORD_TYPE,
    `response:${response.id}`,
  );
  // No title rather than an invented one: the description (the summary) then stands in for it.
  if (response.documentTitle !== null) answer.ele("title").txt(response.documentTitle);
  if (response.link !== null) answer.ele("relation", { relationType: "reference" }).txt(response.link);
  answer.ele("direction", { directionDefinition: "incoming" });
  const agents = answer.ele("agents");
  bodyAgent(agents, "sender", body);
  const submitter = response.submittedByName ?? response.submittedBySlackUserId;
  if (submitter !== null) {
    const agent = agents.ele("agent", { agentType: "creator" });
    agent.ele("name").txt(submitter);
    if (response.submittedBySlackUserId !== null) {
      agent.ele("idNumber", { idNumberType: SLACK_ID_TYPE }).txt(response.submittedBySlackUserId);
    }
  }
  answer.ele("description").txt(response.summary);
  datesElement(answer, [
    ["created", response.answeredOn],
    ["captured", response.chatAt],
  ]);
  if (response.approvalState === "pending") return;
  const approved = response.approvalState === "approved";
  const action = answer.ele("action");
  action.ele("actionText").txt(approved ? "Remissvaret godkänt" : "Remissvaret avslaget");
  if (response.decisionReason !== null) action.ele("actionMotivation").txt(response.decisionReason);
  action.ele("actionType").txt(approved ? APPROVED_ACTION : REJECTED_ACTION);
  if (response.decidedAt !== null) {
    action
      .ele("dates")
      .ele("actionDate", { dateType: "decision" })
      .txt(stockholmTime(response.decidedAt, true));
  }
  const decider = response.decidedByName ?? response.decidedBySlackUserId;
  if (decider !== null) {
    const agent = action.ele("agents").ele("agent", { agentType: "authorising_person" });
    agent.ele("name").txt(decider);
    if (response.decidedBySlackUserId !== null) {
      agent.ele("idNumber", { idNumberType: SLACK_ID_TYPE }).txt(response.decidedBySlackUserId);
    }
  }
}

function personAgent(parent: XMLBuilder, agentType: string, someone: Person, body: BodyRef | null): void {
  const agent = parent.ele("agent", { agentType });
  agent.ele("name").txt(someone.party ? `${someone.name} (${someone.party})` : someone.name);
  if (body !== null) agent.ele("organisation").txt(body.name);
  if (someone.title) agent.ele("role").txt(someone.title);
}

function bodyAgent(parent: XMLBuilder, agentType: string, body: BodyRef): void {
  const agent = parent.ele("agent", { agentType });
  agent.ele("name").txt(body.name);
  agent.ele("organisation").txt(body.name);
  agent.ele("idNumber", { idNumberType: BODY_CODE_TYPE }).txt(body.code);
}

function datesElement(parent: XMLBuilder, dates: [string, string | Date | null][]): void {
  const known = dates.filter((entry): entry is [string, string | Date] => entry[1] !== null);
  if (known.length === 0) return;
  const element = parent.ele("dates");
  for (const [dateType, value] of known) {
    element
      .ele("date", { dateType })
      .txt(typeof value === "string" ? `${value}T00:00:00` : stockholmTime(value));
  }
}

/** xs:dateTime in Stockholm wall-clock time without a zone, as Swedish profiles write it. */
function stockholmTime(at: Date, milliseconds = false): string {
  const format = milliseconds ? "yyyy-MM-dd'T'HH:mm:ss.SSS" : "yyyy-MM-dd'T'HH:mm:ss";
  return DateTime.fromJSDate(at).setZone(REGISTRY_TIME_ZONE).toFormat(format);
}

/** A name-based UUID (version 5 layout), so one case or record keeps its systemIdentifier across exports. */
function uuidOf(name: string): string {
  const hex = createHash("sha1").update(`arendebot:${name}`).digest("hex");
  const variant = ((Number.parseInt(hex.slice(16, 18), 16) & 0x3f) | 0x80).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(18, 20)}-${hex.slice(20, 32)}`;
}
