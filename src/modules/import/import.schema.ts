import { z } from "zod";
import {
  approvalState,
  bodyKind,
  caseKind,
  caseStatus,
  referralState,
  responseKind,
  timelineKind,
} from "../../db/schema.js";
import { say } from "../../messages/sv.js";
import type { CaseKind, CaseStatus } from "../cases/case-kinds.js";
import { parseIdentifier } from "../identifiers/parse-identifier.js";
import { isCalendarDay } from "../shared/calendar.js";

/**
 * The import format, validated field by field. Every message is Swedish first, with the English in
 * brackets, because the people who fix an import file are officials and their IT staff.
 *
 * Absent and null mean different things: an absent field is "not in this file" (left as it is in the
 * database, empty for a new row), while null is "not known" (stored as null). See docs/import-format.md.
 */

export type { CaseKind, CaseStatus };
export type BodyKind = (typeof bodyKind.enumValues)[number];
export type ReferralState = (typeof referralState.enumValues)[number];
export type ResponseKind = (typeof responseKind.enumValues)[number];
export type ApprovalState = (typeof approvalState.enumValues)[number];
export type TimelineKind = (typeof timelineKind.enumValues)[number];

export type PersonInput = { name: string; party: string | null; title: string | null };
export type IdentifierInput = { display: string; key: string };

export type RegistryInput = { code: string; name: string };
export type BodyInput = { code: string; name: string; kind: BodyKind; slackChannelId?: string | null };

export type ResponseInput = {
  kind?: ResponseKind;
  /** Part of the response's identity within its referral, with answeredOn; absent counts as null. */
  documentTitle: string | null;
  summary: string;
  link?: string | null;
  answeredOn: string | null;
  submittedByName?: string | null;
  submittedBySlackUserId?: string | null;
  approvalState?: ApprovalState;
  decidedByName?: string | null;
  decidedBySlackUserId?: string | null;
  decisionReason?: string | null;
  /** When it was approved or rejected; the card says "Godkänt av … 3 apr. 2017". */
  decidedAt?: Date | null;
};

export type ReferralInput = {
  body: string;
  sentOn?: string | null;
  dueOn?: string | null;
  dueStatement?: string | null;
  state?: ReferralState;
  answeredOn?: string | null;
  responses?: ResponseInput[];
};

export type TimelineInput = {
  kind: TimelineKind;
  body?: string | null;
  occurredOn?: string | null;
  reference?: string | null;
  people?: PersonInput[];
  text: string;
};

/** One case as either format gives it; an optional field left undefined was not in the file. */
export type CaseInput = {
  registry: string;
  /** CSV only: creates the registry, or renames it, when given. */
  registryName?: string;
  dnr?: IdentifierInput | null;
  identifiers?: IdentifierInput[];
  kind: CaseKind;
  title: string;
  publicTitle?: string;
  restricted?: boolean;
  summary?: string | null;
  raisedBy?: PersonInput[];
  raisedOn?: string | null;
  receivedOn?: string | null;
  closedOn?: string | null;
  responsibleBody?: string | null;
  addressedToBody?: string | null;
  officerName?: string | null;
  officerSlackUserId?: string | null;
  status?: CaseStatus;
  outcome?: string | null;
  classification?: string | null;
  decisionDueOn?: string | null;
  referrals?: ReferralInput[];
  timeline?: TimelineInput[];
};

/** The columns a CSV file may have, in the order the docs and the sample generator use. */
export const CSV_COLUMNS = [
  "registry",
  "registry_name",
  "dnr",
  "identifiers",
  "kind",
  "title",
  "public_title",
  "restricted",
  "summary",
  "raised_by",
  "raised_on",
  "received_on",
  "closed_on",
  "responsible_body",
  "addressed_to_body",
  "officer_name",
  "officer_slack_user_id",
  "status",
  "outcome",
  "classification",
  "decision_due_on",
] as const;
export type CsvColumn = (typeof CSV_COLUMNS)[number];
export const REQUIRED_CSV_COLUMNS: readonly CsvColumn[] = ["registry", "kind", "title"];

// ---------------------------------------------------------------------------------------------
// Messages

function message(sv: string, en: string): string {
  return `${sv} (${en})`;
}

function quoted(value: unknown): string {
  const text = visible((typeof value === "string" ? value : JSON.stringify(value)) ?? "");
  const characters = Array.from(text);
  return `«${characters.length > 60 ? `${characters.slice(0, 59).join("")}…` : text}»`;
}

const MISSING = message("Fältet saknas", "field is required");

// ---------------------------------------------------------------------------------------------
// Characters

const REPLACEMENT = 0xfffd;

/**
 * The first character from `from` on that no registry text may hold, or null. NUL is refused by
 * PostgreSQL (the row would fail as a database error). U+FFFD stands where a letter was lost to a
 * wrong encoding, upstream or in a file whose BOM promised UTF-8. A lone surrogate is half a character,
 * which the database driver would store as U+FFFD. The other control characters are no part of any
 * registry text and show in Slack as nothing or as garbage. Tab and line breaks are text.
 */
export function unstorableCharacter(text: string, from = 0): { index: number; code: number } | null {
  for (let index = from; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (code < 0x20) {
      if (code === 0x09 || code === 0x0a || code === 0x0d) continue;
      return { index, code };
    }
    if ((code >= 0x7f && code <= 0x9f) || code === REPLACEMENT) return { index, code };
    if (code >= 0xd800 && code <= 0xdbff) {
      const next = text.charCodeAt(index + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        index += 1;
        continue;
      }
      return { index, code };
    }
    if (code >= 0xdc00 && code <= 0xdfff) return { index, code };
  }
  return null;
}

/** Characters that would not show, or would garble a terminal, written out as \u0000. */
function visible(text: string): string {
  let shown = "";
  let from = 0;
  for (let found = unstorableCharacter(text); found !== null; found = unstorableCharacter(text, from)) {
    shown += text.slice(from, found.index);
    shown += found.code === REPLACEMENT ? text.charAt(found.index) : codeName(found.code, "\\u");
    from = found.index + 1;
  }
  return shown + text.slice(from);
}

function codeName(code: number, prefix = "U+"): string {
  return `${prefix}${code.toString(16).toUpperCase().padStart(4, "0")}`;
}

/** What is wrong with a text unstorableCharacter found something in, and where in it to look. */
function unstorableMessage(text: string): string {
  const found = unstorableCharacter(text);
  if (found === null) return message("Texten kan inte sparas", "text cannot be stored");
  const before = Array.from(visible(text.slice(0, found.index)))
    .slice(-20)
    .join("")
    .trimStart();
  const place = before === "" ? "först i texten" : `efter «${before}»`;
  const name = codeName(found.code);
  if (found.code === 0) {
    return message(
      `Texten har ett NUL-tecken (${name}) ${place}; det kan inte sparas, ta bort det ur filen`,
      "NUL character, cannot be stored",
    );
  }
  if (found.code === REPLACEMENT) {
    return message(
      `Texten har ersättningstecknet � (${name}) ${place}: där stod ett tecken som gick förlorat när texten sparades eller lästes med fel teckenkodning. Skriv in rätt tecken och spara filen som UTF-8`,
      "replacement character: a character was lost to a wrong encoding",
    );
  }
  if (found.code >= 0xd800 && found.code <= 0xdfff) {
    return message(
      `Texten har ett halvt tecken (ensamt surrogat ${name}) ${place}; rätta texten`,
      "lone surrogate, half a character",
    );
  }
  return message(
    `Texten har styrtecknet ${name} ${place}, som inte hör hemma i text; ta bort det ur filen`,
    "control character",
  );
}

/** A string that can be stored; checked before anything else, so other messages never quote garbage. */
function storableString(error: (issue: { input?: unknown }) => string) {
  return z.string({ error }).refine((text) => unstorableCharacter(text) === null, {
    abort: true,
    error: (issue) => unstorableMessage(String(issue.input)),
  });
}

function expectedText(issue: { input?: unknown }): string {
  return issue.input == null ? MISSING : message("Ska vara text", "must be text");
}

// ---------------------------------------------------------------------------------------------
// Field types

/** Text that must be given and not blank. */
function requiredText(sv: string, en: string) {
  return storableString((issue) =>
    issue.input == null ? message(sv, en) : message("Ska vara text", "must be text"),
  )
    .trim()
    .min(1, { error: message(sv, en) });
}

/** Optional text; blank counts as null (not known). */
const optionalText = storableString(expectedText)
  .trim()
  .transform((text) => (text === "" ? null : text))
  .nullish();

const CODE_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const codeField = requiredText("Koden saknas", "code is required").regex(CODE_PATTERN, {
  error: (issue) =>
    message(
      `Ogiltig kod ${quoted(issue.input)}: använd a–z, 0–9 och bindestreck, t.ex. sdn-bromma`,
      "use a-z, 0-9 and hyphens",
    ),
});

/** A reference to a body by code; whether the body exists is checked against the database. */
const bodyReference = optionalText;

/** "YYYY-MM-DD" or null; a date the source does not give is null, never guessed. */
export const dateField = storableString((issue) =>
  message(
    `Datum ska skrivas ÅÅÅÅ-MM-DD eller vara null, inte ${quoted(issue.input)}`,
    "a date is YYYY-MM-DD or null",
  ),
)
  .trim()
  .transform((text, context) => {
    if (text === "") return null;
    if (!isCalendarDay(text)) {
      context.issues.push({
        code: "custom",
        input: text,
        message: message(
          `Ogiltigt datum ${quoted(text)}: skriv ÅÅÅÅ-MM-DD, t.ex. 2017-03-31`,
          "invalid date, use YYYY-MM-DD",
        ),
      });
      return z.NEVER;
    }
    return text;
  })
  .nullish();

function enumField<const T extends readonly [string, ...string[]]>(
  values: T,
  [sv, en]: [string, string],
  [missingSv, missingEn]: [string, string],
) {
  return z.enum(values, {
    error: (issue) =>
      issue.input == null
        ? message(missingSv, missingEn)
        : message(`${sv} ${quoted(issue.input)}; välj en av: ${values.join(", ")}`, en),
  });
}

const slackUserField = optionalText.refine((value) => value == null || /^[UW][A-Z0-9]{2,}$/.test(value), {
  error: (issue) =>
    message(
      `${quoted(issue.input)} är inget Slack-användar-id; det ser ut som U012AB3CD`,
      "not a Slack user ID such as U012AB3CD",
    ),
});

const slackChannelField = optionalText.refine((value) => value == null || /^[CG][A-Z0-9]{2,}$/.test(value), {
  error: (issue) =>
    message(
      `${quoted(issue.input)} är inget Slack-kanal-id; det ser ut som C012AB3CD`,
      "not a Slack channel ID such as C012AB3CD",
    ),
});

const linkField = optionalText.refine((value) => value == null || /^https?:\/\/\S+$/.test(value), {
  error: (issue) =>
    message(`${quoted(issue.input)} är ingen länk som börjar med https://`, "not an http(s) link"),
});

/** An instant with its zone, as JSON.stringify writes a Date: "2017-04-03T08:00:00.000Z". */
const instantField = z
  .string({ error: expectedText })
  .refine(
    (text) =>
      /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/u.test(text) &&
      !Number.isNaN(Date.parse(text)),
    {
      error: (issue) =>
        message(
          `${quoted(issue.input)} är ingen tidpunkt som 2017-04-03T08:00:00Z (med tidszon)`,
          "not an ISO 8601 instant with a zone",
        ),
    },
  )
  .transform((text) => new Date(text))
  .nullish();

const booleanField = z.boolean({
  error: (issue) =>
    message(`Ange true eller false (ja eller nej), inte ${quoted(issue.input)}`, "must be true or false"),
});

const personSchema = z
  .strictObject(
    {
      name: requiredText("Namnet saknas", "name is required"),
      party: optionalText,
      title: optionalText,
    },
    { error: unknownFieldOrShape("en person: { name, party, title }", "a person: { name, party, title }") },
  )
  .transform(
    (person): PersonInput => ({
      name: person.name,
      party: person.party ?? null,
      title: person.title ?? null,
    }),
  );

const peopleField = z.array(personSchema, {
  error: message("Ska vara en lista av personer", "must be a list of people"),
});

function unknownFieldOrShape(sv: string, en: string) {
  return (issue: { code?: string; keys?: string[]; input?: unknown }) => {
    if (issue.code === "unrecognized_keys") {
      const keys = (issue.keys ?? []).map(quoted).join(", ");
      return message(`Okänt fält ${keys}`, "unknown field");
    }
    return issue.input === undefined ? MISSING : message(`Ska vara ${sv}`, `must be ${en}`);
  };
}

const dnrField = storableString(expectedText)
  .trim()
  .transform((text, context): IdentifierInput | null => {
    if (text === "") return null;
    const parsed = parseIdentifier(text);
    if (!parsed.ok || parsed.identifier.type !== "dnr") {
      const series = parsed.ok
        ? ` Dokumentnummer som ${quoted(parsed.identifier.display)} hör hemma i identifiers.`
        : "";
      context.issues.push({
        code: "custom",
        input: text,
        message: message(
          `${quoted(text)} är inget diarienummer, t.ex. 108-1642/2017 eller KS 2025/39.${series}`,
          "not a registry number (dnr)",
        ),
      });
      return z.NEVER;
    }
    return { display: parsed.identifier.display, key: parsed.identifier.key };
  })
  .nullish();

const identifierItem = storableString(expectedText)
  .trim()
  .transform((text, context): IdentifierInput => {
    const parsed = parseIdentifier(text);
    if (!parsed.ok) {
      context.issues.push({
        code: "custom",
        input: text,
        message: message(say(parsed.error), "not a registry or document number"),
      });
      return z.NEVER;
    }
    return { display: parsed.identifier.display, key: parsed.identifier.key };
  });

const identifiersField = z.array(identifierItem, {
  error: message(
    'Ska vara en lista av dokumentnummer, t.ex. ["Motion 2016:114"]',
    "must be a list of identifiers",
  ),
});

// ---------------------------------------------------------------------------------------------
// Registries and bodies (JSON only)

export const registrySchema = z
  .strictObject(
    {
      code: codeField,
      name: requiredText("Diariets namn saknas", "registry name is required"),
    },
    { error: unknownFieldOrShape("ett diarium: { code, name }", "a registry: { code, name }") },
  )
  .transform((registry): RegistryInput => registry);

export const bodySchema = z
  .strictObject(
    {
      code: codeField,
      name: requiredText("Organets namn saknas", "body name is required"),
      kind: enumField(
        bodyKind.enumValues,
        ["Okänd organtyp", "unknown body kind"],
        ["Organtyp saknas", "kind is required"],
      ),
      slack_channel_id: slackChannelField,
    },
    { error: unknownFieldOrShape("ett organ: { code, name, kind }", "a body: { code, name, kind }") },
  )
  .transform(
    (body): BodyInput => ({
      code: body.code,
      name: body.name,
      kind: body.kind,
      ...(body.slack_channel_id === undefined ? {} : { slackChannelId: body.slack_channel_id }),
    }),
  );

// ---------------------------------------------------------------------------------------------
// Cases

const responseSchema = z
  .strictObject(
    {
      kind: enumField(
        responseKind.enumValues,
        ["Okänd svarstyp", "unknown response kind"],
        ["Svarstyp saknas", "kind is required"],
      ).optional(),
      document_title: optionalText,
      summary: requiredText("Sammanfattning av svaret saknas", "summary is required"),
      link: linkField,
      answered_on: dateField,
      submitted_by_name: optionalText,
      submitted_by_slack_user_id: slackUserField,
      approval_state: enumField(
        approvalState.enumValues,
        ["Okänt godkännande", "unknown approval state"],
        ["Godkännande saknas", "approval_state is required"],
      ).optional(),
      decided_by_name: optionalText,
      decided_by_slack_user_id: slackUserField,
      decision_reason: optionalText,
      decided_at: instantField,
    },
    { error: unknownFieldOrShape("ett remissvar", "a referral response") },
  )
  .transform(
    (response): ResponseInput => ({
      kind: response.kind,
      documentTitle: response.document_title ?? null,
      summary: response.summary,
      link: response.link,
      answeredOn: response.answered_on ?? null,
      submittedByName: response.submitted_by_name,
      submittedBySlackUserId: response.submitted_by_slack_user_id,
      approvalState: response.approval_state,
      decidedByName: response.decided_by_name,
      decidedBySlackUserId: response.decided_by_slack_user_id,
      decisionReason: response.decision_reason,
      decidedAt: response.decided_at,
    }),
  );

const referralSchema = z
  .strictObject(
    {
      body: requiredText("Remissinstans saknas", "body is required"),
      sent_on: dateField,
      due_on: dateField,
      due_statement: optionalText,
      state: enumField(
        referralState.enumValues,
        ["Okänt remissläge", "unknown referral state"],
        ["Remissläge saknas", "state is required"],
      ).optional(),
      answered_on: dateField,
      responses: z
        .array(responseSchema, { error: message("Ska vara en lista av svar", "must be a list") })
        .optional(),
    },
    { error: unknownFieldOrShape("en remiss: { body, … }", "a referral: { body, … }") },
  )
  .superRefine((referral, context) => {
    if (referral.answered_on && referral.state !== "answered") {
      context.addIssue({
        code: "custom",
        path: ["answered_on"],
        message: message('answered_on kräver state "answered"', 'answered_on requires state "answered"'),
      });
    }
    const seen = new Map<string, number>();
    for (const [index, response] of (referral.responses ?? []).entries()) {
      const identity = JSON.stringify([response.documentTitle, response.answeredOn]);
      const earlier = seen.get(identity);
      if (earlier !== undefined) {
        context.addIssue({
          code: "custom",
          path: ["responses", index],
          message: message(
            `Samma document_title och answered_on som responses[${earlier}]; svaren måste gå att skilja åt`,
            "same document_title and answered_on as an earlier response",
          ),
        });
      }
      seen.set(identity, index);
    }
  })
  .transform(
    (referral): ReferralInput => ({
      body: referral.body,
      sentOn: referral.sent_on,
      dueOn: referral.due_on,
      dueStatement: referral.due_statement,
      state: referral.state,
      answeredOn: referral.answered_on,
      responses: referral.responses,
    }),
  );

const timelineSchema = z
  .strictObject(
    {
      kind: enumField(
        timelineKind.enumValues,
        ["Okänd händelsetyp", "unknown timeline kind"],
        ["Händelsetyp saknas", "kind is required"],
      ),
      body: bodyReference,
      occurred_on: dateField,
      reference: optionalText,
      people: peopleField.optional(),
      text: requiredText("Texten saknas", "text is required"),
    },
    { error: unknownFieldOrShape("en händelse: { kind, text, … }", "a timeline entry: { kind, text, … }") },
  )
  .transform(
    (entry): TimelineInput => ({
      kind: entry.kind,
      body: entry.body,
      occurredOn: entry.occurred_on,
      reference: entry.reference,
      people: entry.people,
      text: entry.text,
    }),
  );

const caseFields = {
  registry: requiredText("Diariets kod saknas", "registry code is required"),
  dnr: dnrField,
  identifiers: identifiersField.optional(),
  kind: enumField(
    caseKind.enumValues,
    ["Okänd ärendetyp", "unknown case kind"],
    ["Ärendetyp saknas", "kind is required"],
  ),
  title: requiredText("Titel saknas", "title is required"),
  public_title: optionalText,
  restricted: booleanField.optional(),
  summary: optionalText,
  raised_by: peopleField.optional(),
  raised_on: dateField,
  received_on: dateField,
  closed_on: dateField,
  responsible_body: bodyReference,
  addressed_to_body: bodyReference,
  officer_name: optionalText,
  officer_slack_user_id: slackUserField,
  status: enumField(
    caseStatus.enumValues,
    ["Okänd status", "unknown status (CITS ERMS)"],
    ["Status saknas", "status is required"],
  ).optional(),
  outcome: optionalText,
  classification: optionalText,
  decision_due_on: dateField,
};

type CaseFields = z.output<z.ZodObject<typeof caseFields>>;

function checkCase(fields: CaseFields, context: z.RefinementCtx): void {
  if (!fields.dnr && (fields.identifiers ?? []).length === 0) {
    context.addIssue({
      code: "custom",
      path: ["dnr"],
      message: message(
        "Ärendet saknar både dnr och identifierare; ange minst ett av dem",
        "a case needs a dnr or an identifier",
      ),
    });
  }
  if (fields.restricted === true && !fields.public_title) {
    context.addIssue({
      code: "custom",
      path: ["public_title"],
      message: message(
        "Offentlig titel (public_title) krävs när ärendet är sekretessbelagt",
        "public_title is required when the case is restricted",
      ),
    });
  }
  for (const later of ["received_on", "closed_on"] as const) {
    const date = fields[later];
    if (date && fields.raised_on && date < fields.raised_on) {
      context.addIssue({
        code: "custom",
        path: [later],
        message: message(
          `${later} ${date} ligger före raised_on ${fields.raised_on}`,
          `${later} is before raised_on`,
        ),
      });
    }
  }
}

function toCaseInput(fields: CaseFields): CaseInput {
  return {
    registry: fields.registry,
    dnr: fields.dnr,
    identifiers: fields.identifiers,
    kind: fields.kind,
    title: fields.title,
    publicTitle: fields.public_title ?? undefined,
    restricted: fields.restricted,
    summary: fields.summary,
    raisedBy: fields.raised_by,
    raisedOn: fields.raised_on,
    receivedOn: fields.received_on,
    closedOn: fields.closed_on,
    responsibleBody: fields.responsible_body,
    addressedToBody: fields.addressed_to_body,
    officerName: fields.officer_name,
    officerSlackUserId: fields.officer_slack_user_id,
    status: fields.status,
    outcome: fields.outcome,
    classification: fields.classification,
    decisionDueOn: fields.decision_due_on,
  };
}

/** One element of the JSON file's `cases`. */
export const jsonCaseSchema = z
  .strictObject(
    {
      ...caseFields,
      referrals: z
        .array(referralSchema, { error: message("Ska vara en lista av remisser", "must be a list") })
        .optional(),
      timeline: z
        .array(timelineSchema, { error: message("Ska vara en lista av händelser", "must be a list") })
        .optional(),
    },
    { error: unknownFieldOrShape("ett ärende (ett objekt)", "a case (an object)") },
  )
  .superRefine((fields, context) => {
    checkCase(fields, context);
    const seen = new Map<string, number>();
    for (const [index, referral] of (fields.referrals ?? []).entries()) {
      const earlier = seen.get(referral.body);
      if (earlier !== undefined) {
        context.addIssue({
          code: "custom",
          path: ["referrals", index, "body"],
          message: message(
            `Remissen till ${quoted(referral.body)} finns redan i referrals[${earlier}]`,
            "one referral per body and case",
          ),
        });
      }
      seen.set(referral.body, index);
    }
  })
  .transform(
    (fields): CaseInput => ({
      ...toCaseInput(fields),
      referrals: fields.referrals,
      timeline: fields.timeline,
    }),
  );

const csvCaseSchema = z
  .strictObject({ ...caseFields, registry_name: optionalText })
  .superRefine(checkCase)
  .transform(
    (fields): CaseInput => ({ ...toCaseInput(fields), registryName: fields.registry_name ?? undefined }),
  );

const TRUE_WORDS = new Set(["true", "ja", "yes", "j", "y", "1", "x"]);
const FALSE_WORDS = new Set(["false", "nej", "no", "n", "0"]);

/** "Lotta Edholm (L); Anna Andersson (M)" -> people; the party is the last bracket. */
export function parsePeople(text: string): PersonInput[] {
  return text
    .split(";")
    .map((part) => part.trim())
    .filter((part) => part !== "")
    .map((part) => {
      const match = /^(.*?)\s*\(([^()]+)\)$/u.exec(part);
      return match
        ? { name: (match[1] ?? "").trim(), party: (match[2] ?? "").trim(), title: null }
        : { name: part, party: null, title: null };
    });
}

/**
 * Turns one CSV record's cells into the JSON shape: lists split on ";", yes/no words to booleans.
 * An empty cell is null ("not known"); for the fields that cannot be null (kind, title, restricted,
 * status) it is "not given", as if the column were missing.
 */
function csvCellsToFields(cells: Record<string, string>): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (const [column, raw] of Object.entries(cells)) {
    const cell = raw.trim();
    switch (column) {
      case "identifiers":
        fields[column] = cell
          .split(";")
          .map((part) => part.trim())
          .filter((part) => part !== "");
        break;
      case "raised_by":
        fields[column] = parsePeople(cell);
        break;
      case "restricted": {
        const word = cell.toLowerCase();
        if (word === "") break;
        fields[column] = TRUE_WORDS.has(word) ? true : FALSE_WORDS.has(word) ? false : cell;
        break;
      }
      case "kind":
      case "status":
      case "title":
        if (cell !== "") fields[column] = cell;
        break;
      default:
        fields[column] = cell === "" ? null : cell;
    }
  }
  return fields;
}

/** One CSV record keyed by its header's column names. */
export const csvRowSchema = z.record(z.string(), z.string()).transform(csvCellsToFields).pipe(csvCaseSchema);

// ---------------------------------------------------------------------------------------------
// Errors as the report shows them

export type FieldProblem = { path: string; message: string };

/** `["referrals", 0, "body"]` -> `referrals[0].body`, after an optional prefix such as `cases[3]`. */
export function formatPath(prefix: string, path: readonly PropertyKey[]): string {
  let text = prefix;
  for (const part of path) {
    if (typeof part === "number") text += `[${part}]`;
    else text += text === "" ? String(part) : `.${String(part)}`;
  }
  return text;
}

export function problemsOf(error: z.ZodError, prefix = ""): FieldProblem[] {
  return error.issues.map((issue) => ({ path: formatPath(prefix, issue.path), message: issue.message }));
}

/** "path: message", or the message alone for a problem with the row as a whole. */
export function describeProblem(problem: FieldProblem): string {
  return problem.path ? `${problem.path}: ${problem.message}` : problem.message;
}
