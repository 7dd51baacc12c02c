import type { SyncConfig } from "../../config.js";
import type { DeadlineRules } from "../deadlines/deadline-rules.js";
import type { CsvMapping } from "../import/csv-mapping.js";
import { type ImportReport, importRegistry, type Rejection } from "../import/import-registry.js";
import { ImportFileError, readImportBytes } from "../import/read-import-file.js";
import type { RequestContext, SystemActor } from "../shared/context.js";
import { type DiariumExport, type FetchExport, fetchNewestExport } from "./fetch-export.js";
import { claimSync, extendSyncLease, finishSync, type SyncRunRow } from "./sync.repository.js";

/** What one sync did, as kept on its run and posted to the sync channel. */
export type SyncReport = {
  sourceName: string;
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
  rejected: number;
  /** The first rejected rows, with their reasons: enough to see what is wrong without the whole list. */
  firstRejections: Rejection[];
  /** Set when the export could not be read at all; then nothing was imported. */
  unreadable?: string;
};

export type SyncOutcome =
  | { type: "no_export" }
  /** This export was synced before (here or by another replica). */
  | { type: "already_synced"; runId: number; report: SyncReport | null }
  /** Another replica is syncing this export now. */
  | { type: "claimed_elsewhere" }
  | { type: "synced"; runId: number; report: SyncReport }
  /** The claim ran out mid-import and another replica took it over; it finishes the sync. */
  | { type: "lost_claim"; runId: number };

export const SYNC_LEASE_MS = 10 * 60_000;
const REJECTIONS_KEPT = 5;

/**
 * Takes the diarium's newest export and imports what changed, once per export version across
 * replicas (a claim in sync_runs per SHA-256 of the export).
 *
 * - The importer compares each case with what is stored, so only changes are written and audited,
 *   with the export as the actor (`synk: <file>`); nothing absent from the export is deleted, since
 *   exports are often partial. A status the export gives (avslutat, gallrat …) is applied as any field.
 * - A holder that dies half-way leaves its claim to run out; the next sync (on any replica) takes it
 *   over and imports the export again from the start. Batches already written compare as unchanged,
 *   so nothing is duplicated, and nothing is lost.
 * - An export that cannot be read at all is recorded as synced with the reason, so the same broken
 *   file is reported once, not every quarter of an hour; a corrected export is a new version.
 */
export async function syncFromDiarium(
  ctx: Pick<RequestContext<SystemActor>, "db" | "clock" | "actor" | "admins" | "roles">,
  {
    source,
    header,
    mapping,
    instanceId,
    deadlineRules,
    leaseMs = SYNC_LEASE_MS,
    fetchExport = fetchNewestExport,
  }: {
    source: SyncConfig["source"];
    header: SyncConfig["header"];
    mapping?: CsvMapping;
    instanceId: string;
    deadlineRules?: DeadlineRules;
    /** How long the claim lasts unrenewed; it is renewed at a fifth of that while the import runs. */
    leaseMs?: number;
    fetchExport?: FetchExport;
  },
): Promise<SyncOutcome> {
  const found = await fetchExport(source, header);
  if (!found) return { type: "no_export" };
  const now = ctx.clock.now();
  const claim = await claimSync(ctx.db, {
    version: found.version,
    sourceName: found.name,
    claimedBy: instanceId,
    at: now,
    leaseUntil: new Date(now.getTime() + leaseMs),
  });
  if (!claim.claimed) {
    return claim.row.state === "done"
      ? { type: "already_synced", runId: claim.row.id, report: reportOf(claim.row) }
      : { type: "claimed_elsewhere" };
  }
  const runId = claim.row.id;
  let stillHeld = true;
  const renewal = setInterval(() => {
    extendSyncLease(ctx.db, {
      id: runId,
      claimedBy: instanceId,
      leaseUntil: new Date(ctx.clock.now().getTime() + leaseMs),
    }).then(
      (held) => {
        stillHeld &&= held;
      },
      () => {
        // The database is away for a moment; the lease has minutes to spare, the next renewal retries.
      },
    );
  }, leaseMs / 5);
  let report: SyncReport;
  try {
    report = await importExport(ctx, found, { mapping, deadlineRules });
  } finally {
    clearInterval(renewal);
  }
  const finished =
    stillHeld &&
    (await finishSync(ctx.db, { id: runId, claimedBy: instanceId, at: ctx.clock.now(), report }));
  return finished ? { type: "synced", runId, report } : { type: "lost_claim", runId };
}

async function importExport(
  ctx: Pick<RequestContext<SystemActor>, "db" | "clock">,
  found: DiariumExport,
  { mapping, deadlineRules }: { mapping: CsvMapping | undefined; deadlineRules: DeadlineRules | undefined },
): Promise<SyncReport> {
  let imported: ImportReport;
  try {
    const source = await readImportBytes(found.name, found.bytes, mapping ? { mapping } : {});
    imported = await importRegistry(
      { db: ctx.db, clock: ctx.clock, actor: { type: "import", source: `synk: ${found.name}` } },
      { source, ...(deadlineRules ? { deadlineRules } : {}) },
    );
  } catch (error) {
    if (!(error instanceof ImportFileError)) throw error;
    return { ...EMPTY_COUNTS, sourceName: found.name, unreadable: error.message };
  }
  return {
    sourceName: found.name,
    rows: imported.rows,
    created: imported.entities.case.created,
    updated: imported.entities.case.updated,
    unchanged: imported.entities.case.unchanged,
    rejected: imported.rejected.length,
    firstRejections: imported.rejected.slice(0, REJECTIONS_KEPT),
  };
}

const EMPTY_COUNTS = { rows: 0, created: 0, updated: 0, unchanged: 0, rejected: 0, firstRejections: [] };

function reportOf(row: SyncRunRow): SyncReport | null {
  return (row.report as SyncReport | null) ?? null;
}

/** Whether a sync's summary is worth a message: something changed, or something was refused. */
export function hasNews(report: SyncReport): boolean {
  return report.created + report.updated + report.rejected > 0 || report.unreadable !== undefined;
}
