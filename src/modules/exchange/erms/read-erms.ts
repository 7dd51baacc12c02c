import { DateTime } from "luxon";
import { parseIdentifier } from "../../identifiers/parse-identifier.js";
import { jsonCaseSchema, parsePeople } from "../../import/import.schema.js";
import { ImportFileError, type ImportSource, type SourceItem } from "../../import/read-import-file.js";
import { BoundedMemo } from "../../shared/bounded-memo.js";
import {
  BODY_CODE_TYPE,
  decisionOf,
  isDeclinedWord,
  isOutcomeNote,
  isPublicTitleType,
  isRemissWord,
  kindOf,
  REGISTRY_ID_TYPE,
  SLACK_ID_TYPE,
  type TimelineKind,
  timelineKindOf,
} from "./erms-words.js";
import { elementAt, type SchemaProblem, validateErms } from "./validate-erms.js";
import { decodeXml } from "./xml-text.js";
import { parseXml, type XmlElement, XmlSyntaxError } from "./xml-tree.js";

/**
 * Reads an FGS Ärendehantering 2.0 (CITS ERMS 2.x) export into the import's JSON case shape, so the
 * one validation and import path handles it: each aggregation of type caseFile, at any depth, is one
 * case. The document is validated against ERMS.xsd first; an aggregation with schema problems is
 * rejected with each problem's line, element path and reason, and the others are still imported.
 *
 * Registries and bodies are found by code or by name among those already stored (`known`), so
 * "Socialnämnden" in a diarium's export is the body the bot already has; one not found is created,
 * its code made from its name and its kind told by its name (…nämnd, …kontor, …fullmäktige).
 */

export type KnownNames = {
  registries: readonly { code: string; name: string }[];
  bodies: readonly { code: string; name: string }[];
};

export async function ermsSource(
  name: string,
  bytes: Buffer,
  known: KnownNames = { registries: [], bodies: [] },
): Promise<ImportSource> {
  const text = decodeXml(name, bytes);
  // libxml2 validates in its own worker thread while this one parses: the two take about as long.
  const validation = validateErms(name, text);
  let root: XmlElement;
  try {
    root = parseXml(text);
  } catch (error) {
    // A file that is not XML is refused whole; what the validator says of it is not needed.
    await validation.catch(() => []);
    if (error instanceof XmlSyntaxError) {
      throw new ImportFileError(`${name}: ogiltig XML på rad ${error.line}: ${error.message} (invalid XML)`);
    }
    throw error;
  }
  if (root.name !== "erms") {
    throw new ImportFileError(
      `${name}: rotelementet är <${root.name}>, inte <erms>; filen är ingen export enligt FGS Ärendehantering 2.0 (CITS ERMS) (not an ERMS document)`,
    );
  }
  const problems = await validation;
  return new ErmsReading(name, root, problems, known).source();
}

const STOCKHOLM = "Europe/Stockholm";

type CaseObject = Record<string, unknown>;

class ErmsReading {
  private readonly bodies = new Map<string, { code: string; name: string; kind: string }>();
  private readonly knownBodyByName = new Map<string, string>();
  private readonly knownBodyCodes = new Set<string>();
  private readonly fileBodyByName = new Map<string, string>();
  private readonly registries = new Map<string, { code: string; name: string }>();
  private readonly lines = new Map<string, number>();

  constructor(
    private readonly name: string,
    private readonly root: XmlElement,
    private readonly problems: SchemaProblem[],
    private readonly known: KnownNames,
  ) {
    for (const body of known.bodies) {
      this.knownBodyByName.set(normal(body.name), body.code);
      this.knownBodyCodes.add(body.code);
    }
    // A body the file names once with its code (an agent's idNumber) and elsewhere by name alone is
    // one body: the code wins wherever the name appears.
    for (const element of root.descendants()) {
      if (element.name !== "agent") continue;
      const id = element.first("idNumber");
      const bodyName = element.text1("unitName") ?? element.text1("organisation");
      const code = id?.attribute("idNumberType") === BODY_CODE_TYPE ? id.value() : null;
      if (code !== null && bodyName !== null && !this.knownBodyByName.has(normal(bodyName))) {
        this.fileBodyByName.set(normal(bodyName), code);
      }
    }
  }

  source(): ImportSource {
    const caseFiles = [...this.root.descendants()].filter(
      (element) => element.name === "aggregation" && element.attribute("aggregationType") === "caseFile",
    );
    const byCase = new Map<XmlElement, string[]>();
    const outside: string[] = [];
    let firstOutside = 0;
    for (const problem of this.problems) {
      const element = elementAt(this.root, problem.line, problem.reason);
      const owner = caseFileOf(element);
      const described = `rad ${problem.line} ${element.path()}: ${problem.reason}`;
      if (owner === null) {
        outside.push(described);
        if (firstOutside === 0) firstOutside = problem.line;
      } else byCase.set(owner, [...(byCase.get(owner) ?? []), described]);
    }
    const controlRegistry = this.controlRegistry();
    const items: SourceItem[] = [];
    if (outside.length > 0) {
      items.push({
        line: firstOutside,
        path: "/erms",
        data: null,
        error: `/erms följer inte ERMS.xsd utanför ärendena: ${outside.join("; ")} (not valid against ERMS.xsd)`,
      });
    }
    for (const element of caseFiles) {
      const path = element.path();
      const found = byCase.get(element);
      if (found !== undefined) {
        items.push({
          line: element.line,
          path,
          data: null,
          error: `${path}: ärendet följer inte ERMS.xsd och importeras inte: ${found.join("; ")} (not valid against ERMS.xsd)`,
        });
        continue;
      }
      const pending = new Map<string, { code: string; name: string; kind: string }>();
      const data = this.caseOf(element, path, controlRegistry, pending);
      // Bodies named only by a case that will be rejected are not created.
      if (jsonCaseSchema.safeParse(data).success) {
        for (const [code, body] of pending) this.bodies.set(code, body);
      }
      items.push({ line: element.line, path, data });
    }
    let read = 0;
    const lines = this.lines;
    return {
      format: "erms",
      name: this.name,
      registries: [...this.registries.values()].map((registry) => ({
        line: 1,
        path: "/erms/control/maintenanceInformation/maintenanceAgency",
        data: registry,
      })),
      bodies: [...this.bodies.values()].map((body) => ({ line: 1, path: "/erms", data: body })),
      cases: (async function* () {
        for (const item of items) {
          read += 1;
          yield item;
        }
      })(),
      totalCases: items.length,
      fractionRead: () => (items.length === 0 ? 1 : read / items.length),
      lineOf: (wanted) => {
        let best: number | undefined;
        let length = 0;
        for (const [path, line] of lines) {
          if (
            (wanted === path || wanted.startsWith(`${path}.`) || wanted.startsWith(`${path}[`)) &&
            path.length > length
          ) {
            best = line;
            length = path.length;
          }
        }
        return best;
      },
    };
  }

  /** The registry the control section names: maintenanceAgency's code, else its name. */
  private controlRegistry(): string {
    const agency = this.root.first("control")?.first("maintenanceInformation")?.first("maintenanceAgency");
    const agencyName = agency?.text1("agencyName") ?? null;
    const agencyCode = agency?.text1("agencyCode") ?? null;
    return this.registryCode(agencyCode, agencyName) ?? "erms";
  }

  private registryCode(code: string | null, name: string | null): string | null {
    const byCode =
      code === null ? undefined : this.known.registries.find((registry) => registry.code === code);
    if (byCode) return byCode.code;
    const byName =
      name === null
        ? undefined
        : this.known.registries.find((registry) => normal(registry.name) === normal(name));
    if (byName) return byName.code;
    const made = code !== null && /^[a-z0-9-]+$/u.test(code) ? code : slug(name ?? code ?? "");
    if (made === "") return null;
    if (!this.registries.has(made)) this.registries.set(made, { code: made, name: name ?? code ?? made });
    return made;
  }

  private caseOf(
    element: XmlElement,
    path: string,
    controlRegistry: string,
    pending: Map<string, { code: string; name: string; kind: string }>,
  ): CaseObject {
    const at = (field: string, source: XmlElement | undefined) => {
      if (source !== undefined) this.lines.set(`${path}.${field}`, source.line);
    };
    const body = (agent: XmlElement | undefined, nameOnly = false): string | null => {
      if (agent === undefined) return null;
      const named = agent.first("idNumber");
      const code =
        named !== undefined && named.attribute("idNumberType") === BODY_CODE_TYPE ? named.value() : null;
      const bodyName =
        agent.text1("unitName") ?? agent.text1("organisation") ?? (nameOnly ? agent.text1("name") : null);
      if (code !== null && this.knownBodyCodes.has(code)) return code;
      if (bodyName === null) return code;
      const knownCode = this.knownBodyByName.get(normal(bodyName));
      if (knownCode !== undefined) return knownCode;
      const fileCode = code ?? this.fileBodyByName.get(normal(bodyName)) ?? null;
      const made = fileCode !== null && /^[a-z0-9-]+$/u.test(fileCode) ? fileCode : slug(bodyName);
      if (!this.knownBodyCodes.has(made) && !pending.has(made)) {
        pending.set(made, { code: made, name: bodyName, kind: bodyKindOf(bodyName) });
      }
      return made;
    };

    const objectId = element.first("objectId");
    const objectText = objectId?.value() ?? "";
    const parsedId = parseIdentifier(objectText);
    const identifiers: string[] = [];
    let dnr: string | null = objectText;
    if (parsedId.ok && parsedId.identifier.type !== "dnr") {
      identifiers.push(parsedId.identifier.display);
      dnr = null;
    }
    at("dnr", objectId);
    for (const extra of element.all("extraId")) {
      const value = extra.value();
      const parsed = value === null ? null : parseIdentifier(value);
      // An extraId that is no registry or document number (a system's UUID, a running number) names
      // nothing a person would look the case up by.
      if (parsed?.ok && parsed.identifier.display !== dnr) identifiers.push(parsed.identifier.display);
    }
    at("identifiers", element.first("extraId"));

    const registryId = element
      .all("identification")
      .find((identification) => identification.attribute("identificationType") === REGISTRY_ID_TYPE)
      ?.value();
    const registry = registryId ? (this.registryCode(registryId, null) ?? controlRegistry) : controlRegistry;

    const title = element.text1("title") ?? element.text1("description");
    at("title", element.first("title"));
    const publicTitle =
      element
        .all("otherTitle")
        .find((other) => isPublicTitleType(other.attribute("titleType")))
        ?.value() ?? null;
    const agents = element.first("agents")?.all("agent") ?? [];
    const ofType = (...types: string[]) =>
      agents.filter((agent) => types.includes(agent.attribute("agentType") ?? ""));
    const responsible = ofType("responsible_person")[0];
    const officer = responsible !== undefined && isPerson(responsible) ? responsible : undefined;
    const dates = datesOf(element.first("dates"));
    const kind =
      kindOf(element.text1("levelName")) ??
      identifiers.map(kindOf).find((found) => found !== null) ??
      kindOf(title) ??
      "other";

    const referrals: CaseObject[] = [];
    const referralByBody = new Map<string, CaseObject>();
    const timeline: CaseObject[] = [];
    const records = recordsOf(element);
    // Remisser first, so that an answer is matched to its remiss wherever it stands in the file.
    for (const record of records) {
      if (!isRemissRecord(record)) continue;
      const recordDates = datesOf(record.first("dates"));
      for (const receiver of (record.first("agents")?.all("agent") ?? []).filter((agent) =>
        ["receiver", "recipient"].includes(agent.attribute("agentType") ?? ""),
      )) {
        const code = body(receiver, true);
        if (code === null || referralByBody.has(code)) continue;
        const withdrawn = record
          .all("action")
          .some((action) => decisionOf(action.text1("actionType")) === "withdrawn");
        const referral: CaseObject = {
          body: code,
          sent_on:
            recordDates.get("sent") ?? recordDates.get("dispatch") ?? recordDates.get("expedited") ?? null,
          due_on: recordDates.get("decision_deadline") ?? null,
          due_statement: record.text1("description"),
          state: withdrawn ? "withdrawn" : "open",
          responses: [],
        };
        this.lines.set(`${path}.referrals[${referrals.length}]`, record.line);
        referralByBody.set(code, referral);
        referrals.push(referral);
      }
    }
    // Case-level actions (decisions taken) come before the records in the schema's order.
    for (const action of element.all("action")) {
      const actionAgents = action.first("agents")?.all("agent") ?? [];
      const actionDates = datesOf(action.first("dates"), "actionDate");
      this.lines.set(`${path}.timeline[${timeline.length}]`, action.line);
      const kind: TimelineKind = timelineKindOf(action.text1("actionType")) ?? "decision";
      timeline.push({
        kind,
        body: firstBody(actionAgents, body),
        occurred_on: actionDates.get("decision") ?? actionDates.values().next().value ?? null,
        reference: null,
        people: actionAgents.filter(isPerson).map(personOf),
        text: action.text1("actionText") ?? "",
      });
    }
    for (const record of records) {
      if (isRemissRecord(record)) continue;
      const recordAgents = record.first("agents")?.all("agent") ?? [];
      const direction = record.first("direction")?.attribute("directionDefinition");
      const sender = recordAgents.find((agent) =>
        ["sender", "counterpart"].includes(agent.attribute("agentType") ?? ""),
      );
      const senderBody = direction === "incoming" && sender !== undefined ? body(sender, true) : null;
      const referral = senderBody === null ? undefined : referralByBody.get(senderBody);
      const recordDates = datesOf(record.first("dates"));
      if (referral !== undefined) {
        const responses = referral.responses as CaseObject[];
        const index = referrals.indexOf(referral);
        this.lines.set(`${path}.referrals[${index}].responses[${responses.length}]`, record.line);
        responses.push(this.responseOf(record, recordDates));
        continue;
      }
      this.lines.set(`${path}.timeline[${timeline.length}]`, record.line);
      timeline.push({
        kind: timelineKindOf(record.attribute("recordType")) ?? "preparation",
        body: firstBody(recordAgents, body),
        occurred_on:
          recordDates.get("decision") ??
          recordDates.get("decision_date") ??
          recordDates.get("created") ??
          recordDates.get("originated") ??
          recordDates.get("received") ??
          recordDates.get("sent") ??
          null,
        reference: record.text1("extraId"),
        people: recordAgents.filter(isPerson).map(personOf),
        text: record.text1("description") ?? record.text1("title") ?? "",
      });
    }
    for (const referral of referrals) {
      const approved = (referral.responses as CaseObject[]).find(
        (response) => response.approval_state === "approved",
      );
      if (referral.state === "withdrawn" || approved === undefined) continue;
      referral.state = approved.kind === "declined" ? "declined" : "answered";
      if (approved.kind !== "declined") referral.answered_on = approved.answered_on ?? null;
    }

    const officerSlack = slackIdOf(officer);
    const receiver = ofType("receiver", "recipient")[0];
    const data: CaseObject = {
      registry,
      dnr,
      identifiers,
      kind,
      title,
      ...(publicTitle === null ? {} : { public_title: publicTitle }),
      restricted: element.all("restriction").length > 0,
      summary: element.text1("description") === title ? null : element.text1("description"),
      raised_by: ofType("counterpart").filter(isPerson).map(personOf),
      raised_on: dates.get("created") ?? dates.get("opened") ?? dates.get("originated") ?? null,
      received_on: dates.get("received") ?? null,
      closed_on: dates.get("closed") ?? null,
      responsible_body: responsible !== undefined && hasBody(responsible) ? body(responsible) : null,
      addressed_to_body: body(receiver, true),
      officer_name: officer?.text1("name") ?? null,
      ...(officerSlack === null ? {} : { officer_slack_user_id: officerSlack }),
      ...(element.first("status")?.attribute("value")
        ? { status: element.first("status")?.attribute("value") }
        : {}),
      outcome:
        element
          .first("notes")
          ?.all("note")
          .find((note) => isOutcomeNote(note.attribute("noteType")))
          ?.value() ?? null,
      referrals,
      timeline,
    };
    // Absent, not null, when the file says nothing: a re-import keeps what is stored.
    const classification = element
      .all("classification")
      .map((scheme) => [scheme.attribute("classificationCode"), scheme.value()].filter(Boolean).join(" "))
      .filter((text) => text !== "")
      .join("; ");
    if (classification !== "") data.classification = classification;
    const decisionDue = dates.get("decision_deadline");
    if (decisionDue !== undefined) data.decision_due_on = decisionDue;
    return data;
  }

  private responseOf(record: XmlElement, dates: Map<string, string>): CaseObject {
    const agents = record.first("agents")?.all("agent") ?? [];
    const creator = agents.find((agent) => agent.attribute("agentType") === "creator");
    const decision = [...record.all("action")]
      .reverse()
      .find((action) => ["approved", "rejected"].includes(decisionOf(action.text1("actionType")) ?? ""));
    const decider = decision?.first("agents")?.all("agent")[0];
    const link = record
      .all("relation")
      .map((relation) => relation.value())
      .find((value) => value !== null && /^https?:\/\//iu.test(value));
    const response: CaseObject = {
      kind: isDeclinedWord(record.attribute("recordType")) ? "declined" : "answer",
      document_title: record.text1("title"),
      summary: record.text1("description") ?? record.text1("title") ?? "",
      answered_on: dates.get("created") ?? dates.get("originated") ?? dates.get("received") ?? null,
      approval_state: decision ? decisionOf(decision.text1("actionType")) : "pending",
    };
    if (link !== undefined) response.link = link;
    if (creator !== undefined) {
      response.submitted_by_name = creator.text1("name");
      const slack = slackIdOf(creator);
      if (slack !== null) response.submitted_by_slack_user_id = slack;
    }
    if (decider !== undefined) {
      response.decided_by_name = decider.text1("name");
      const slack = slackIdOf(decider);
      if (slack !== null) response.decided_by_slack_user_id = slack;
    }
    const decidedAt = decision
      ?.first("dates")
      ?.all("actionDate")
      .find((date) => date.attribute("dateType") === "decision")
      ?.value();
    if (decidedAt) {
      const instant = DateTime.fromISO(decidedAt, { zone: STOCKHOLM });
      if (instant.isValid) response.decided_at = instant.toUTC().toISO();
    }
    const reason = decision?.text1("actionMotivation") ?? null;
    if (reason !== null) response.decision_reason = reason;
    return response;
  }
}

/** The innermost caseFile an element is in, or null for the control section and containers. */
function caseFileOf(element: XmlElement): XmlElement | null {
  for (let at: XmlElement | null = element; at !== null; at = at.parent) {
    if (at.name === "aggregation" && at.attribute("aggregationType") === "caseFile") return at;
  }
  return null;
}

/** A case file's records, those of its sub-aggregations (volumes, subfiles) included. */
function recordsOf(element: XmlElement): XmlElement[] {
  const found: XmlElement[] = [];
  for (const child of element.children) {
    if (child.name === "record") found.push(child);
    else if (child.name === "aggregation" && child.attribute("aggregationType") !== "caseFile") {
      found.push(...recordsOf(child));
    }
  }
  return found;
}

function isRemissRecord(record: XmlElement): boolean {
  if (record.first("direction")?.attribute("directionDefinition") !== "outgoing") return false;
  const receivers = (record.first("agents")?.all("agent") ?? []).some((agent) =>
    ["receiver", "recipient"].includes(agent.attribute("agentType") ?? ""),
  );
  const dates = datesOf(record.first("dates"));
  return (
    receivers &&
    (isRemissWord(record.attribute("recordType")) ||
      isRemissWord(record.text1("title")) ||
      dates.has("decision_deadline"))
  );
}

/**
 * dateType → Stockholm calendar day. Swedish profiles write xs:dateTime without a zone, which is
 * Stockholm time; a value with a zone is turned into Stockholm's day.
 */
function datesOf(dates: XmlElement | undefined, name = "date"): Map<string, string> {
  const days = new Map<string, string>();
  for (const date of dates?.all(name) ?? []) {
    const type = date.attribute("dateType");
    const value = date.value();
    if (type === null || value === null || days.has(type)) continue;
    const day = stockholmDayOf(value);
    if (day !== null) days.set(type, day);
  }
  return days;
}

/**
 * Time zone arithmetic costs luxon tens of microseconds a value, more than the rest of reading a
 * case; an export repeats its days many times over, so each value is worked out once.
 */
const stockholmDays = new BoundedMemo<string, string | null>(100_000);

function stockholmDayOf(value: string): string | null {
  return stockholmDays.get(value, () => {
    const parsed = DateTime.fromISO(value, { zone: STOCKHOLM, setZone: false }).setZone(STOCKHOLM);
    return parsed.isValid ? parsed.toISODate() : null;
  });
}

const hasBody = (agent: XmlElement) =>
  agent.text1("unitName") !== null || agent.text1("organisation") !== null;

/** A person, not an organisation named as an agent: its name is not the name of its unit. */
function isPerson(agent: XmlElement): boolean {
  const name = agent.text1("name");
  if (name === null) return false;
  const unit = agent.text1("unitName");
  const organisation = agent.text1("organisation");
  return (
    !(unit !== null && normal(unit) === normal(name)) &&
    !(organisation !== null && normal(organisation) === normal(name))
  );
}

function personOf(agent: XmlElement): { name: string; party: string | null; title: string | null } {
  const [person] = parsePeople(agent.text1("name") ?? "");
  return { name: person?.name ?? "", party: person?.party ?? null, title: agent.text1("role") };
}

function firstBody(
  agents: XmlElement[],
  body: (agent: XmlElement, nameOnly?: boolean) => string | null,
): string | null {
  for (const agent of agents) {
    const code = hasBody(agent) ? body(agent) : null;
    if (code !== null) return code;
  }
  return null;
}

function slackIdOf(agent: XmlElement | undefined): string | null {
  const id = agent?.all("idNumber").find((number) => number.attribute("idNumberType") === SLACK_ID_TYPE);
  return id?.value() ?? null;
}

function normal(name: string): string {
  return name.normalize("NFC").trim().replace(/\s+/gu, " ").toLocaleLowerCase("sv");
}

/** "Bromma stadsdelsnämnd" → "bromma-stadsdelsnamnd": the import's code alphabet, a-z 0-9 and "-". */
export function slug(name: string): string {
  return normal(name)
    .replace(/[åä]/gu, "a")
    .replace(/ö/gu, "o")
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/gu, "")
    .replace(/[^a-z0-9]+/gu, "-")
    .replace(/^-+|-+$/gu, "");
}

/** What a Swedish body's name says it is; an organisation outside the municipality otherwise. */
export function bodyKindOf(name: string): string {
  const word = normal(name);
  if (/fullmäktige/u.test(word)) return "council";
  if (/stadsdelsnämnd|stadsdelsförvaltning/u.test(word)) return "district_board";
  if (/beredning/u.test(word)) return "preparatory_body";
  if (/nämnd|styrelse/u.test(word)) return "board";
  if (/kontor|förvaltning|avdelning|enhet|kansli/u.test(word)) return "administration";
  return "external_organisation";
}
