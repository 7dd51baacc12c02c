import type { z } from "zod";
import { say } from "../../messages/sv.js";
import type { DeadlineRules } from "../deadlines/deadline-rules.js";
import type { FieldProblem } from "../import/import.schema.js";
import { formatPath } from "../import/import.schema.js";
import { importRegistry } from "../import/import-registry.js";
import type { ImportSource, SourceItem } from "../import/read-import-file.js";
import { isRegistryError } from "../shared/availability.js";
import type { ApiTokenActor, RequestContext } from "../shared/context.js";
import { putCasesRequestSchema, type putCasesResponseSchema } from "./api-schemas.js";
import { INTEGRATION_ERRORS } from "./errors.js";

export type PutCasesResult = z.input<typeof putCasesResponseSchema>;
type ItemResult = PutCasesResult["cases"][number];
type ItemKind = "registries" | "bodies" | "cases";

export type UpsertCasesOutcome =
  | { type: "invalid"; problems: FieldProblem[] }
  | { type: "done"; result: PutCasesResult };

/**
 * Runs one item's database work. The bot passes its admission control, so that each item waits its
 * turn with Slack's requests instead of holding the database for a whole batch.
 */
export type RunItem = <R>(name: string, work: () => Promise<R>) => Promise<R>;

/**
 * `PUT /api/v1/cases`: the import's JSON format and the import's own validation. A body with any
 * invalid field is refused whole, every problem named, and nothing written; a valid body is written
 * item by item (registries, then bodies, then cases), each item in its own transaction with its
 * audit events naming the token, and answered with one result per item. Re-sending changes nothing.
 */
export async function upsertCases(
  ctx: RequestContext<ApiTokenActor>,
  { body, deadlineRules, runItem }: { body: unknown; deadlineRules: DeadlineRules; runItem: RunItem },
): Promise<UpsertCasesOutcome> {
  const parsed = putCasesRequestSchema.safeParse(body);
  if (!parsed.success) {
    return {
      type: "invalid",
      problems: parsed.error.issues.map((issue) => ({
        path: formatPath("", issue.path),
        message: issue.message,
      })),
    };
  }
  const batch = body as Partial<Record<ItemKind, unknown[]>>;
  const duplicates = duplicateCases(parsed.data.cases ?? []);
  const result: PutCasesResult = { registries: [], bodies: [], cases: [] };
  for (const kind of ["registries", "bodies", "cases"] as const) {
    for (const [index, data] of (batch[kind] ?? []).entries()) {
      const earlier = kind === "cases" ? duplicates.get(index) : undefined;
      if (earlier !== undefined) {
        result[kind].push(
          rejected(
            index,
            `${kind}[${index}]`,
            say({ code: INTEGRATION_ERRORS.duplicateItem, params: { earlier } }),
          ),
        );
        continue;
      }
      result[kind].push(await writeItem(ctx, { kind, index, data, deadlineRules, runItem }));
    }
  }
  return { type: "done", result };
}

async function writeItem(
  ctx: RequestContext<ApiTokenActor>,
  {
    kind,
    index,
    data,
    deadlineRules,
    runItem,
  }: { kind: ItemKind; index: number; data: unknown; deadlineRules: DeadlineRules; runItem: RunItem },
): Promise<ItemResult> {
  const path = `${kind}[${index}]`;
  let report: Awaited<ReturnType<typeof importRegistry>>;
  try {
    report = await runItem(`api.put.${kind}`, () =>
      importRegistry(ctx, { source: oneItem(kind, { line: index + 1, path, data }), deadlineRules }),
    );
  } catch (error) {
    if (!isRegistryError(error)) throw error;
    return rejected(index, path, say({ code: INTEGRATION_ERRORS.notProcessed }));
  }
  const [rejection] = report.rejected;
  if (rejection) return rejected(index, path, rejection.reason);
  const status = report.created > 0 ? "created" : report.updated > 0 ? "updated" : "unchanged";
  return { index, status };
}

function rejected(index: number, path: string, reason: string): ItemResult {
  // The import words a problem "path: message"; the field is the path when it leads the reason.
  const match = /^([a-z_]+\[\d+\][\w.[\]]*): (.*)$/su.exec(reason);
  return {
    index,
    status: "rejected",
    problems: [
      match ? { field: match[1] ?? path, message: match[2] ?? reason } : { field: path, message: reason },
    ],
  };
}

/** An import source of one item, so each item's outcome is its own. */
function oneItem(kind: ItemKind, item: SourceItem): ImportSource {
  const only = (of: ItemKind) => (kind === of ? [item] : []);
  return {
    format: "json",
    name: "API",
    registries: only("registries"),
    bodies: only("bodies"),
    cases: (async function* () {
      yield* only("cases");
    })(),
    totalCases: only("cases").length,
    fractionRead: () => 1,
    lineOf: () => item.line,
  };
}

/**
 * Items naming a case an earlier item named (same registry and dnr, or, without a dnr, a shared
 * identifier): index -> the earlier item. The import rejects the second row for a case in a file; each
 * item here is a transaction of its own, so the same is checked before any is written.
 */
function duplicateCases(
  items: readonly { registry: string; dnr?: { key: string } | null; identifiers?: { key: string }[] }[],
): Map<number, string> {
  const seen = new Map<string, number>();
  const duplicates = new Map<number, string>();
  for (const [index, item] of items.entries()) {
    const keys = item.dnr
      ? [`${item.registry}\u0000dnr\u0000${item.dnr.key}`]
      : (item.identifiers ?? []).map((identifier) => `${item.registry}\u0000id\u0000${identifier.key}`);
    const earlier = keys.map((key) => seen.get(key)).find((found) => found !== undefined);
    if (earlier !== undefined) {
      duplicates.set(index, `cases[${earlier}]`);
      continue;
    }
    for (const key of keys) seen.set(key, index);
  }
  return duplicates;
}
