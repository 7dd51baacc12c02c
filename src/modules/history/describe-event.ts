import type { Person } from "../../db/schema.js";
import { KIND_LABELS, STATUS_LABELS } from "../cases/case-kinds.js";
import { formatPeople, timelineLabels } from "../cases/present-case.js";
import { DECLINED_SUMMARY } from "../responses/errors.js";
import type { PersonRef, RichText } from "../shared/rich-text.js";
import { formatCalendarDay } from "../shared/swedish-time.js";
import type { HistoryContext, HistoryEvent } from "./history-event.js";

/**
 * One audit event in plain Swedish: a sentence, and lines under it for what was written (a summary,
 * a reason, each changed field). Every writer of audit events has its own payload; each known action
 * has a describer here, and anything else (a future action, a payload of another shape) gets a
 * generic but readable line. Nothing in a payload is trusted to have the expected type.
 *
 * "public" is what anyone may read of a restricted case's history (README, "History: every change visible"): that the
 * change happened, when, what kind of step it was (registered, sent on remiss, answered, approved …),
 * where the change came from (Slack, an import, the terminal, the system) and the dates it concerns.
 * Left out: titles, summaries, messages, reasons, links, document titles, people (the actor too),
 * bodies, and the values of any field other than dates, the dnr, identifiers and the public title.
 */
export type Audience = "full" | "public";
export type DescribedEvent = { text: RichText; details: RichText[] };

type Changes = Record<string, unknown>;
type Ctx = {
  event: HistoryEvent;
  context: HistoryContext;
  full: boolean;
  /** "av <@U…>", "vid import från demo.json", "av anna i terminalen", "automatiskt". */
  by: RichText;
  /** The same, in brackets after a sentence. */
  suffix: RichText;
};

const TEXT_MAX = 200;
const DETAIL_MAX = 500;

export function describeEvent(
  event: HistoryEvent,
  context: HistoryContext,
  audience: Audience,
): DescribedEvent {
  const full = audience === "full";
  const by = actorPhrase(event, full);
  const ctx: Ctx = { event, context, full, by, suffix: [" (", ...by, ")"] };
  const describer = Object.hasOwn(DESCRIBERS, event.action) ? DESCRIBERS[event.action] : undefined;
  if (describer) {
    try {
      return describer(ctx, record(event.changes));
    } catch {
      // A payload of an unexpected shape is shown generically rather than not at all.
    }
  }
  return generic(ctx, record(event.changes));
}

// ---------------------------------------------------------------------------------------------
// Who

function actorPhrase(event: HistoryEvent, full: boolean): RichText {
  switch (event.actorType) {
    case "slack_user":
      return full ? ["av ", { person: { slackUserId: event.actorId, name: event.actorName } }] : ["i Slack"];
    case "import":
      return full ? ["vid import från ", event.actorId] : ["vid import"];
    case "cli":
      return full ? ["av ", event.actorId, " i terminalen"] : ["i terminalen"];
    case "api_token":
      return full ? ["via API-nyckeln ", event.actorName ?? event.actorId] : ["via API:t"];
    default:
      return ["automatiskt"];
  }
}

// ---------------------------------------------------------------------------------------------
// What: one describer per known action

const DESCRIBERS: Record<string, (ctx: Ctx, changes: Changes) => DescribedEvent> = {
  "case.imported": (ctx) => {
    if (ctx.event.actorType === "import")
      return line(ctx.full ? ["Ärendet importerat från ", ctx.event.actorId] : ["Ärendet importerat"]);
    return line(["Ärendet registrerat ", ...ctx.by]);
  },
  "case.updated": (ctx, changes) => {
    // The public title of an open case follows its title: one change, said once to those who see both.
    const { public_title: publicTitle, ...rest } = changes;
    const same = ctx.full && JSON.stringify(publicTitle) === JSON.stringify(changes.title);
    return updated(
      ctx,
      same ? rest : changes,
      CASE_FIELDS,
      { text: ["Ärendet"], participle: "ändrat" },
      {
        subjectFirst: false,
      },
    );
  },

  "referral.sent": (ctx, changes) => {
    const due = day(changes.due_on);
    const warning = text(changes.due_on_warning);
    const dueText = due ? [`, svar senast ${due}${warning ? ` (${warning})` : ""}`] : [];
    if (!ctx.full) return line(["Remiss skickad", ...dueText, ...ctx.suffix]);
    const statement = text(changes.due_statement);
    const message =
      statement && due && statement !== `Svar senast ${due}` ? [[`Meddelande: «${clip(statement)}»`]] : [];
    return line(["Remiss skickad till ", referralBody(ctx), " ", ...ctx.by, ...dueText], message);
  },
  "referral.imported": (ctx, changes) => {
    const parts: string[] = [];
    const sent = day(changes.sent_on);
    const due = day(changes.due_on);
    if (sent) parts.push(`skickad ${sent}`);
    if (due) parts.push(`svar senast ${due}`);
    const state = referralStateNow(changes.state, day(changes.answered_on));
    if (state) parts.push(state);
    const tail = parts.length > 0 ? [`, ${parts.join(", ")}`] : [];
    const to = ctx.full ? [" till ", bodyName(ctx, changes.body) ?? referralBody(ctx)] : [];
    return line(["Remiss", ...to, " registrerad", ...tail, ...ctx.suffix]);
  },
  "referral.updated": (ctx, changes) =>
    updated(ctx, changes, REFERRAL_FIELDS, { text: referralSubject(ctx), participle: "ändrad" }),
  "referral.notice_posted": (ctx) =>
    line([...referralSubject(ctx), " meddelad i remissinstansens kanal", ...ctx.suffix]),
  "referral.answered": (ctx, changes) => {
    const on = day(changes.answered_on);
    return line([...referralSubject(ctx), " besvarad", on ? ` ${on}` : "", ...ctx.suffix]);
  },
  "referral.declined": (ctx) =>
    line([...referralSubject(ctx), " avslutad: instansen avstår från att svara", ...ctx.suffix]),
  "referral.withdrawn": (ctx) => line([...referralSubject(ctx), " återkallad", ...ctx.suffix]),

  "referral_response.submitted": (ctx, changes) => {
    const on = day(changes.answered_on);
    const dated = on ? `, daterat ${on}` : "";
    const declined = changes.kind === "declined";
    if (!ctx.full) {
      return line(
        declined
          ? ["Registrerat att remissinstansen avstår från att svara", dated, ...ctx.suffix]
          : ["Remissvar registrerat", dated, ...ctx.suffix],
      );
    }
    const body = responseBody(ctx);
    const summary = text(changes.summary);
    const details: RichText[] = [];
    if (summary && summary !== DECLINED_SUMMARY) details.push([quote(summary)]);
    const link = text(changes.link);
    if (link) details.push([`Länk: ${clip(link, DETAIL_MAX)}`]);
    return line(
      declined
        ? ["Registrerat ", ...ctx.by, " att ", body, " avstår från att svara", dated]
        : ["Remissvar registrerat ", ...ctx.by, " för ", body, dated],
      details,
    );
  },
  "referral_response.imported": (ctx, changes) => {
    const parts: string[] = [];
    const on = day(changes.answered_on);
    if (on) parts.push(`daterat ${on}`);
    const approval = enumValue(changes.approval_state, APPROVAL_STATES);
    if (approval) parts.push(approval);
    const tail = parts.length > 0 ? [`, ${parts.join(", ")}`] : [];
    if (!ctx.full) return line(["Remissvar registrerat", ...tail, ...ctx.suffix]);
    const document = text(changes.document_title);
    const summary = text(changes.summary);
    return line(
      [
        "Remissvar från ",
        responseBody(ctx),
        " registrerat",
        document ? ` (${clip(document)})` : "",
        ...tail,
        ...ctx.suffix,
      ],
      summary && summary !== DECLINED_SUMMARY ? [[quote(summary)]] : [],
    );
  },
  "referral_response.updated": (ctx, changes) =>
    updated(ctx, changes, RESPONSE_FIELDS, { text: responseSubject(ctx), participle: "ändrat" }),
  "referral_response.approval_requested": (ctx) =>
    line([...responseSubject(ctx), " skickat för godkännande", ...ctx.suffix]),
  "referral_response.approved": (ctx) =>
    ctx.full
      ? line(["Godkänt ", ...ctx.by, ": remissvaret från ", responseBody(ctx)])
      : line(["Remissvar godkänt", ...ctx.suffix]),
  "referral_response.rejected": (ctx, changes) => {
    if (!ctx.full) return line(["Remissvar avslaget", ...ctx.suffix]);
    const reason = text(changes.decision_reason);
    return line([
      "Avslaget ",
      ...ctx.by,
      ": remissvaret från ",
      responseBody(ctx),
      reason ? ` – skäl: ${clip(reason, DETAIL_MAX)}` : "",
    ]);
  },

  "deadline.met": (ctx, changes) => {
    const on = day(changes.met_on ?? changes.metOn);
    return line([...deadlineSubject(ctx), " uppfylld", on ? ` ${on}` : "", ...ctx.suffix]);
  },
  "deadline.computed": (ctx, changes) => deadlineCreated(ctx, changes, "beräknad"),
  "deadline.imported": (ctx, changes) => deadlineCreated(ctx, changes, "registrerad"),
  "deadline.updated": (ctx, changes) =>
    updated(ctx, changes, DEADLINE_FIELDS, { text: deadlineSubject(ctx), participle: "ändrad" }),

  "timeline_entry.imported": (ctx, changes) => {
    const on = day(changes.occurred_on);
    if (!ctx.full) return line(["Nytt i förloppet", on ? ` (${on})` : "", ...ctx.suffix]);
    const kind = enumValue(changes.kind, timelineLabels) ?? "Post";
    const body = bodyName(ctx, changes.body);
    const reference = text(changes.reference);
    const heading = [kind, body, on, reference ? clip(reference) : null].filter(Boolean).join(" · ");
    const people = peopleOf(changes.people);
    const said = text(changes.text);
    const detail = [people ? `${people}: ` : "", said ? clip(said, DETAIL_MAX) : ""].join("");
    return line([`Nytt i förloppet: ${heading}`, ...ctx.suffix], detail ? [[detail]] : []);
  },
  "timeline_entry.updated": (ctx, changes) =>
    updated(ctx, changes, TIMELINE_FIELDS, { text: timelineSubject(ctx), participle: "ändrad" }),
};

function line(text: RichText, details: RichText[] = []): DescribedEvent {
  return { text, details };
}

function deadlineCreated(ctx: Ctx, changes: Changes, participle: string): DescribedEvent {
  const due = day(changes.due_on ?? changes.dueOn);
  const state = changes.state;
  const met = day(changes.met_on ?? changes.metOn);
  const status =
    state === "met" ? `, uppfylld${met ? ` ${met}` : ""}` : state === "cancelled" ? ", gäller inte" : "";
  const basis = text(changes.basis);
  return line(
    [...deadlineSubject(ctx), ` ${participle}`, due ? `: senast ${due}` : "", status, ...ctx.suffix],
    ctx.full && basis ? [[clip(basis, DETAIL_MAX)]] : [],
  );
}

/**
 * A change of fields ({ field: { from, to } }): one change is one sentence, several are a heading
 * with one line each. The public sees the public fields only, and is told that others changed.
 */
function updated(
  ctx: Ctx,
  changes: Changes,
  fields: Readonly<Record<string, FieldSpec>>,
  subject: { text: RichText; participle: "ändrad" | "ändrat" },
  { subjectFirst = true }: { subjectFirst?: boolean } = {},
): DescribedEvent {
  const sentences: RichText[] = [];
  let hidden = 0;
  for (const [name, change] of Object.entries(changes)) {
    const spec = fields[name] ?? unknownField(name);
    if (!ctx.full && !spec.public) {
      hidden += 1;
      continue;
    }
    const sentence = changeSentence(ctx, spec, change);
    if (sentence) sentences.push(sentence);
  }
  if (hidden > 0 && sentences.length > 0) sentences.push(["Även uppgifter som inte är offentliga ändrades"]);
  const [only] = sentences;
  if (sentences.length === 1 && only && hidden === 0) {
    return line(
      subjectFirst ? [...subject.text, ": ", ...lowerFirst(only), ...ctx.suffix] : [...only, ...ctx.suffix],
    );
  }
  return line([...subject.text, ` ${subject.participle}`, ...ctx.suffix], sentences);
}

/** A future action, or a payload of a shape the describer did not expect. */
function generic(ctx: Ctx, changes: Changes): DescribedEvent {
  if (!ctx.full) return line(["Ändring registrerad", ...ctx.suffix]);
  const verb = ctx.event.action.split(".").at(-1) ?? ctx.event.action;
  const details: RichText[] = [];
  for (const [name, change] of Object.entries(changes)) {
    if (!isChange(change)) continue;
    const sentence = changeSentence(ctx, unknownField(name), change);
    if (sentence) details.push(sentence);
  }
  return line(
    [...entitySubject(ctx), `: händelsen «${clip(verb, 60)}»`, ...ctx.suffix],
    details.slice(0, 10),
  );
}

// ---------------------------------------------------------------------------------------------
// Which thing: the remiss to …, the response from …

function referralBody(ctx: Ctx, referralId = Number(ctx.event.entityId)): string {
  return ctx.context.referrals.get(referralId)?.bodyName ?? "en remissinstans";
}

function responseBody(ctx: Ctx): string {
  const referralId =
    ctx.context.responses.get(Number(ctx.event.entityId))?.referralId ??
    Number(ctx.event.changes.referral_id);
  return referralBody(ctx, referralId);
}

function referralSubject(ctx: Ctx): RichText {
  return ctx.full ? ["Remissen till ", referralBody(ctx)] : ["Remissen"];
}

function responseSubject(ctx: Ctx): RichText {
  return ctx.full ? ["Remissvaret från ", responseBody(ctx)] : ["Remissvaret"];
}

function deadlineSubject(ctx: Ctx): RichText {
  const deadline = ctx.context.deadlines.get(Number(ctx.event.entityId));
  const referralId = deadline?.referralId ?? numberOrNull(ctx.event.changes.referral_id);
  if (referralId !== null) {
    return ctx.full
      ? ["Tidsfristen för remissen till ", referralBody(ctx, referralId)]
      : ["Tidsfristen för remissen"];
  }
  const kind = deadline?.kind ?? ctx.event.changes.kind;
  if (kind === "statutory") return ["Ärendets lagstadgade tidsfrist"];
  if (kind === "policy") return ["Ärendets tidsfrist enligt lokal policy"];
  if (kind === "custom") return ["Ärendets beslutsfrist enligt diariet"];
  return ["Ärendets tidsfrist"];
}

function timelineSubject(ctx: Ctx): RichText {
  const entry = ctx.context.timeline.get(Number(ctx.event.entityId));
  if (!ctx.full || !entry) return ["En post i förloppet"];
  const label = timelineLabels[entry.kind] ?? "Post";
  return [`Posten ${label.toLowerCase()}${entry.bodyName ? ` (${entry.bodyName})` : ""} i förloppet`];
}

function entitySubject(ctx: Ctx): RichText {
  switch (ctx.event.entityType) {
    case "case":
      return ["Ärendet"];
    case "referral":
      return referralSubject(ctx);
    case "referral_response":
      return responseSubject(ctx);
    case "deadline":
      return deadlineSubject(ctx);
    case "timeline_entry":
      return timelineSubject(ctx);
    default:
      return [`${clip(ctx.event.entityType, 40)} ${clip(ctx.event.entityId, 40)}`];
  }
}

function bodyName(ctx: Ctx, code: unknown): string | null {
  if (typeof code !== "string" || code === "") return null;
  return ctx.context.bodyNames.get(code) ?? code;
}

// ---------------------------------------------------------------------------------------------
// Fields

type Format =
  | { type: "day" }
  | { type: "text" }
  | { type: "quote" }
  /** Long texts: that it changed, and the new text on a line of its own. */
  | { type: "long" }
  | { type: "body" }
  | { type: "people" }
  | { type: "slack_user" }
  | { type: "restricted" }
  | { type: "identifiers" }
  | { type: "enum"; values: Readonly<Record<string, string>> };

type FieldSpec = {
  label: string;
  /** Swedish agreement of "ändrad/ändrat", "angiven/angivet", "borttagen/borttaget". */
  neuter?: boolean;
  format: Format;
  /** Shown with its values to anyone, also in a restricted case. */
  public?: boolean;
};

const DAY: Format = { type: "day" };
const TEXT: Format = { type: "text" };
const QUOTE: Format = { type: "quote" };
const LONG: Format = { type: "long" };
const BODY: Format = { type: "body" };

const REFERRAL_STATES = { open: "öppen", answered: "besvarad", declined: "avstår", withdrawn: "återkallad" };
const APPROVAL_STATES = { pending: "väntar på godkännande", approved: "godkänt", rejected: "avslaget" };
const DEADLINE_STATES = { open: "öppen", met: "uppfylld", cancelled: "gäller inte längre" };

/** The names the import (src/modules/import/entities/case.ts) gives case fields in its audit events. */
const CASE_FIELDS: Record<string, FieldSpec> = {
  dnr: { label: "Diarienummer", neuter: true, format: TEXT, public: true },
  kind: { label: "Ärendetyp", format: { type: "enum", values: KIND_LABELS } },
  title: { label: "Titel", format: QUOTE },
  public_title: { label: "Offentlig titel", format: QUOTE, public: true },
  restricted: { label: "Sekretess", format: { type: "restricted" } },
  summary: { label: "Sammanfattning", format: LONG },
  raised_by: { label: "Förslagsställare", format: { type: "people" } },
  raised_on: { label: "Datumet då ärendet väcktes", neuter: true, format: DAY, public: true },
  received_on: { label: "Datumet då ärendet kom in", neuter: true, format: DAY, public: true },
  closed_on: { label: "Datumet då ärendet avslutades", neuter: true, format: DAY, public: true },
  responsible_body: { label: "Ansvarigt organ", neuter: true, format: BODY },
  addressed_to_body: { label: "Organet som ärendet är ställt till", neuter: true, format: BODY },
  officer_name: { label: "Handläggare", format: TEXT },
  officer_slack_user_id: { label: "Handläggare i Slack", format: { type: "slack_user" } },
  status: { label: "Status", format: { type: "enum", values: STATUS_LABELS } },
  outcome: { label: "Utfall", neuter: true, format: QUOTE },
  identifiers: { label: "Beteckningar", format: { type: "identifiers" }, public: true },
};

const REFERRAL_FIELDS: Record<string, FieldSpec> = {
  body: { label: "Remissinstans", format: BODY },
  sent_on: { label: "Datumet då remissen skickades", neuter: true, format: DAY, public: true },
  due_on: { label: "Svarsdatumet", neuter: true, format: DAY, public: true },
  due_statement: { label: "Formuleringen om svarsdatum", format: QUOTE },
  state: { label: "Läget", neuter: true, format: { type: "enum", values: REFERRAL_STATES }, public: true },
  answered_on: { label: "Datumet då remissen besvarades", neuter: true, format: DAY, public: true },
};

const RESPONSE_FIELDS: Record<string, FieldSpec> = {
  kind: { label: "Typ av svar", format: { type: "enum", values: { answer: "svar", declined: "avstår" } } },
  document_title: { label: "Dokumentets titel", format: QUOTE },
  summary: { label: "Sammanfattning", format: LONG },
  link: { label: "Länk", format: TEXT },
  answered_on: { label: "Svarets datum", neuter: true, format: DAY, public: true },
  submitted_by_name: { label: "Uppgiften om vem som registrerade svaret", format: TEXT },
  submitted_by_slack_user_id: {
    label: "Registrerat i Slack av",
    neuter: true,
    format: { type: "slack_user" },
  },
  approval_state: {
    label: "Godkännandet",
    neuter: true,
    format: { type: "enum", values: APPROVAL_STATES },
    public: true,
  },
  decided_by_name: { label: "Uppgiften om vem som beslutade", format: TEXT },
  decided_by_slack_user_id: { label: "Beslutat i Slack av", neuter: true, format: { type: "slack_user" } },
  decision_reason: { label: "Skälet", neuter: true, format: QUOTE },
};

/** Imports write snake_case, the deadline sync camelCase. */
const DEADLINE_FIELDS: Record<string, FieldSpec> = {
  due_on: { label: "Sista dagen", format: DAY, public: true },
  dueOn: { label: "Sista dagen", format: DAY, public: true },
  basis: { label: "Grunden", format: LONG },
  state: { label: "Läget", neuter: true, format: { type: "enum", values: DEADLINE_STATES }, public: true },
  met_on: { label: "Datumet då den uppfylldes", neuter: true, format: DAY, public: true },
  metOn: { label: "Datumet då den uppfylldes", neuter: true, format: DAY, public: true },
};

const TIMELINE_FIELDS: Record<string, FieldSpec> = {
  kind: { label: "Typ", format: { type: "enum", values: timelineLabels } },
  body: { label: "Organet", neuter: true, format: BODY },
  occurred_on: { label: "Datumet", neuter: true, format: DAY, public: true },
  reference: { label: "Hänvisningen", format: TEXT },
  people: { label: "Personerna", format: { type: "people" } },
  text: { label: "Texten", format: LONG },
};

function unknownField(name: string): FieldSpec {
  return { label: `Fältet «${clip(name, 40)}»`, neuter: true, format: TEXT };
}

function changeSentence(ctx: Ctx, spec: FieldSpec, change: unknown): RichText | null {
  const { format } = spec;
  if (format.type === "identifiers") {
    const added = Array.isArray(record(change).added) ? (record(change).added as unknown[]) : [];
    const names = added.filter((item): item is string => typeof item === "string").map((item) => clip(item));
    if (names.length === 0) return null;
    return [
      names.length === 1 ? `Beteckning tillagd: ${names[0]}` : `Beteckningar tillagda: ${names.join(", ")}`,
    ];
  }
  if (!isChange(change)) return null;
  if (format.type === "restricted") {
    if (change.to === true) return ["Ärendet markerat som sekretessärende"];
    if (change.to === false) return ["Sekretessmarkeringen borttagen"];
    return null;
  }
  const [changed, given, removed] = spec.neuter
    ? ["ändrat", "angivet", "borttaget"]
    : ["ändrad", "angiven", "borttagen"];
  if (format.type === "long") {
    const now = text(change.to);
    return now ? [`${spec.label} ${changed}: ${quote(now)}`] : [`${spec.label} ${removed}`];
  }
  const from = value(ctx, format, change.from);
  const to = value(ctx, format, change.to);
  if (from === null && to === null) return null;
  if (from === null) return [`${spec.label} ${given}: `, ...(to as RichText)];
  if (to === null) return [`${spec.label} ${removed} (var `, ...from, ")"];
  return [`${spec.label} ${changed} från `, ...from, " till ", ...to];
}

/** A field's value as people read it; null when there is none. */
function value(ctx: Ctx, format: Format, raw: unknown): RichText | null {
  if (raw === null || raw === undefined || raw === "") return null;
  switch (format.type) {
    case "day":
      return [typeof raw === "string" ? formatCalendarDay(raw) : shown(raw)];
    case "quote":
      return [quote(shown(raw), TEXT_MAX)];
    case "body":
      return [bodyName(ctx, raw) ?? shown(raw)];
    case "people": {
      const people = peopleOf(raw);
      return people ? [people] : null;
    }
    case "slack_user":
      return typeof raw === "string"
        ? [{ person: { slackUserId: raw, name: null } satisfies PersonRef }]
        : [shown(raw)];
    case "enum":
      return [enumValue(raw, format.values) ?? shown(raw)];
    default:
      return [shown(raw)];
  }
}

function isChange(change: unknown): change is { from: unknown; to: unknown } {
  return typeof change === "object" && change !== null && "from" in change && "to" in change;
}

// ---------------------------------------------------------------------------------------------
// Reading payloads

function record(value: unknown): Changes {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Changes) : {};
}

function text(value: unknown): string | null {
  return typeof value === "string" && value.trim() !== "" ? value.trim() : null;
}

function day(value: unknown): string | null {
  const given = text(value);
  return given ? formatCalendarDay(given) : null;
}

function numberOrNull(value: unknown): number | null {
  const number = typeof value === "number" ? value : typeof value === "string" ? Number(value) : Number.NaN;
  return Number.isInteger(number) ? number : null;
}

function enumValue(value: unknown, values: Readonly<Record<string, string>>): string | null {
  return typeof value === "string" && Object.hasOwn(values, value) ? (values[value] ?? null) : null;
}

function peopleOf(value: unknown): string | null {
  if (!Array.isArray(value)) return null;
  const people = value.filter(
    (person): person is Person =>
      typeof person === "object" && person !== null && typeof person.name === "string",
  );
  return people.length > 0 ? clip(formatPeople(people), TEXT_MAX) : null;
}

function referralStateNow(state: unknown, answeredOn: string | null): string | null {
  switch (state) {
    case "answered":
      return `besvarad${answeredOn ? ` ${answeredOn}` : ""}`;
    case "declined":
      return "instansen avstår från att svara";
    case "withdrawn":
      return "återkallad";
    default:
      return null;
  }
}

function shown(value: unknown): string {
  if (typeof value === "string") return clip(value);
  if (typeof value === "boolean") return value ? "ja" : "nej";
  if (typeof value === "number") return String(value);
  return clip(JSON.stringify(value) ?? String(value));
}

function quote(value: string, max = DETAIL_MAX): string {
  return `«${clip(value, max)}»`;
}

/** Long registry texts are cut at a word with an ellipsis; the registry keeps the whole text. */
function clip(value: string, max = TEXT_MAX): string {
  const flat = value.replace(/\s+/g, " ").trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max - 1);
  const space = cut.lastIndexOf(" ");
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

function lowerFirst(text: RichText): RichText {
  const [first, ...rest] = text;
  if (typeof first !== "string") return text;
  return [first.charAt(0).toLocaleLowerCase("sv") + first.slice(1), ...rest];
}
