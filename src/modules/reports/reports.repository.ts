import { and, gt, inArray, isNotNull, isNull, lte, notInArray, or } from "drizzle-orm";
import type { Database } from "../../db/client.js";
import { cases } from "../../db/schema.js";
import type { CaseDetails } from "../cases/case-details.js";
import { FINISHED_STATUSES, STATUTORY_KINDS } from "../cases/case-kinds.js";
import { loadCaseDetails } from "../cases/cases.repository.js";

/**
 * The motions and medborgarförslag that may belong in the report as of `per`: not decided by then
 * (open, or closed after it) and not raised after it. The selection rule (motion-report.ts) decides
 * the rest on the whole case; this only keeps the decided years out of the load.
 */
export async function loadUndecidedStatutoryCases(db: Database, per: string): Promise<CaseDetails[]> {
  const rows = await db
    .select({ id: cases.id })
    .from(cases)
    .where(
      and(
        inArray(cases.kind, [...STATUTORY_KINDS]),
        or(
          notInArray(cases.status, [...FINISHED_STATUSES]),
          and(isNotNull(cases.closedOn), gt(cases.closedOn, per)),
        ),
        or(isNull(cases.raisedOn), lte(cases.raisedOn, per)),
      ),
    );
  return loadCaseDetails(
    db,
    rows.map((row) => row.id),
  );
}
