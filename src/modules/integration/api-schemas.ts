import { z } from "zod";
import { CASE_KINDS, CASE_STATUSES, type CaseKind, type CaseStatus } from "../cases/case-kinds.js";
import { bodySchema, jsonCaseSchema, registrySchema } from "../import/import.schema.js";

/**
 * The zod schemas of the HTTP API. The request schemas are the ones that validate the requests (the
 * import's own schemas for each item, so an item is valid here exactly when it is valid in a file);
 * the answer schemas describe what the API sends. /api/v1/openapi.json is generated from all of them.
 */

/** Cases in one PUT: one import transaction's worth (DEFAULT_BATCH_SIZE). */
export const MAX_ITEMS_PER_PUT = 1000;
/** Changes in one page of the feed. */
export const MAX_CHANGES_PER_PAGE = 1000;
export const DEFAULT_CHANGES_PER_PAGE = 100;

/** `PUT /api/v1/cases`: the import file's JSON format. */
export const putCasesRequestSchema = z
  .strictObject({
    registries: z.array(registrySchema).max(MAX_ITEMS_PER_PUT).optional(),
    bodies: z.array(bodySchema).max(MAX_ITEMS_PER_PUT).optional(),
    cases: z.array(jsonCaseSchema).max(MAX_ITEMS_PER_PUT).optional(),
  })
  .refine(
    (batch) => (batch.registries?.length ?? 0) + (batch.bodies?.length ?? 0) + (batch.cases?.length ?? 0) > 0,
    { message: "Anropet saknar ärenden (registries, bodies eller cases) (nothing to write)" },
  )
  .meta({ description: "The import format of docs/import-format.md (JSON)." });

/** The feed's position: opaque to clients; `<transaction>.<event>` inside. */
export const cursorSchema = z
  .string()
  .regex(
    /^\d{1,19}\.\d{1,10}$/,
    "Ska vara en markör som ett tidigare svar gav i `next` (a cursor from `next`)",
  )
  .meta({ description: "Opaque; pass back the `next` of the previous page." });

/** `GET /api/v1/changes?after=&limit=`: query values are text. */
export const changesQuerySchema = z.strictObject({
  after: cursorSchema.optional(),
  limit: z
    .string()
    .regex(/^\d{1,4}$/, `Ska vara ett heltal 1–${MAX_CHANGES_PER_PAGE} (a whole number)`)
    .transform(Number)
    .pipe(
      z
        .number()
        .int()
        .min(1, `Minst 1 (at least 1)`)
        .max(MAX_CHANGES_PER_PAGE, `Högst ${MAX_CHANGES_PER_PAGE} (at most ${MAX_CHANGES_PER_PAGE})`),
    )
    .optional()
    .meta({
      description: `Changes per page, 1–${MAX_CHANGES_PER_PAGE}, default ${DEFAULT_CHANGES_PER_PAGE}.`,
    }),
});

// ---------------------------------------------------------------------------------------------
// Answers (documentation; the code builds them with the types below)

const day = z
  .string()
  .nullable()
  .meta({ description: "YYYY-MM-DD, a Stockholm calendar day; null when not known." });
const person = z.object({ name: z.string(), party: z.string().nullable(), title: z.string().nullable() });

export const caseDocumentSchema = z
  .object({
    id: z.number().int(),
    registry: z.string(),
    dnr: z.string().nullable(),
    identifiers: z.array(z.string()),
    restricted: z.boolean(),
    audience: z
      .enum(["full", "public"])
      .meta({ description: "public: a restricted case, shown with its public data only (README, API)." }),
    public_title: z.string(),
    raised_on: day,
    received_on: day,
    closed_on: day,
    kind: z.enum(CASE_KINDS as [CaseKind, ...CaseKind[]]).optional(),
    title: z.string().optional(),
    summary: z.string().nullable().optional(),
    raised_by: z.array(person).optional(),
    responsible_body: z.string().nullable().optional(),
    addressed_to_body: z.string().nullable().optional(),
    officer_name: z.string().nullable().optional(),
    officer_slack_user_id: z.string().nullable().optional(),
    status: z.enum(CASE_STATUSES as [CaseStatus, ...CaseStatus[]]).optional(),
    outcome: z.string().nullable().optional(),
    referrals: z
      .array(
        z.object({
          body: z.string(),
          sent_on: day,
          due_on: day,
          due_statement: z.string().nullable(),
          state: z.enum(["open", "answered", "declined", "withdrawn"]),
          answered_on: day,
          responses: z.array(
            z.object({
              kind: z.enum(["answer", "declined"]),
              document_title: z.string().nullable(),
              summary: z.string(),
              link: z.string().nullable(),
              answered_on: day,
              approval_state: z.enum(["pending", "approved", "rejected"]),
              decided_by_name: z.string().nullable(),
              decided_by_slack_user_id: z.string().nullable(),
            }),
          ),
        }),
      )
      .optional(),
    timeline: z
      .array(
        z.object({
          kind: z.enum(["preparation", "proposal", "decision", "dissent", "statement"]),
          body: z.string().nullable(),
          occurred_on: day,
          reference: z.string().nullable(),
          people: z.array(person),
          text: z.string(),
        }),
      )
      .optional(),
    deadlines: z
      .array(
        z.object({
          kind: z.enum(["referral_due", "statutory", "policy", "custom"]),
          due_on: z.string(),
          basis: z.string(),
          state: z.enum(["open", "met", "cancelled"]),
          met_on: day,
        }),
      )
      .optional(),
  })
  .meta({
    description:
      "A case in the import format (so it can be sent back with PUT), with its id and deadlines. A restricted case (audience public) has only the fields up to closed_on.",
  });

export const getCaseResponseSchema = z.object({
  cases: z.array(caseDocumentSchema).meta({ description: "A dnr can name cases in several registries." }),
});

const itemResultSchema = z.object({
  index: z.number().int(),
  status: z.enum(["created", "updated", "unchanged", "rejected"]),
  problems: z
    .array(z.object({ field: z.string(), message: z.string() }))
    .optional()
    .meta({ description: "Why the item was rejected." }),
});

export const putCasesResponseSchema = z
  .object({
    registries: z.array(itemResultSchema),
    bodies: z.array(itemResultSchema),
    cases: z.array(itemResultSchema),
  })
  .meta({ description: "One result per item sent, in the order sent." });

export const changeSchema = z.object({
  cursor: cursorSchema,
  id: z.number().int(),
  at: z.string().meta({ description: "When the change was made, ISO 8601 UTC." }),
  actor: z.object({
    type: z.enum(["slack_user", "system", "import", "cli", "api_token"]),
    id: z.string().optional(),
    name: z.string().nullable().optional(),
  }),
  action: z.string().meta({ description: "e.g. case.updated, referral.sent, referral_response.approved" }),
  entity: z.object({ type: z.string(), id: z.string() }),
  case: z
    .object({
      id: z.number().int(),
      registry: z.string(),
      dnr: z.string().nullable(),
      restricted: z.boolean(),
    })
    .nullable(),
  audience: z.enum(["full", "public"]),
  changes: z.record(z.string(), z.unknown()),
});

export const changesResponseSchema = z.object({
  changes: z.array(changeSchema),
  next: cursorSchema.meta({
    description: "Pass as `after` to read on; the same when nothing new has committed.",
  }),
});

export const problemSchema = z.object({
  type: z.string(),
  title: z.string().meta({ description: "In Swedish." }),
  status: z.number().int(),
  code: z.string().meta({ description: "Stable code, e.g. api.unauthorized" }),
  detail: z.string().optional(),
  errors: z
    .array(z.object({ field: z.string(), message: z.string() }))
    .optional()
    .meta({ description: "422: every problem, by field (cases[3].title)." }),
});
