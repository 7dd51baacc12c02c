import type { Executor } from "../../db/client.js";
import { audienceFor, IN_CHANNEL } from "../cases/audience.js";
import { hasStatutoryDeadline } from "../cases/case-kinds.js";
import { caseLabel } from "../cases/present-case.js";
import { addDays, daysBetween } from "../shared/calendar.js";
import type { Digest, DigestFilter, DigestGroup, DigestItem, OverdueKind } from "./digest.js";
import { countOverdueOnDays, findOverdueDeadlines, type OverdueRow } from "./digest.repository.js";

/** The trend covers today and the seven weeks before it. */
export const TREND_WEEKS = 8;

const swedish = new Intl.Collator("sv", { numeric: true, sensitivity: "base" });

/**
 * What is overdue as of `today` ("YYYY-MM-DD", the Stockholm calendar day the caller computed), for
 * the cases a channel's filter covers. Two queries (the overdue rows, the eight weekly counts), sent
 * together: on PostgreSQL each runs on its own pooled connection. The rest is the pure `assembleDigest`.
 */
export async function buildDigest({
  db,
  today,
  filter,
}: {
  db: Executor;
  today: string;
  filter: DigestFilter;
}): Promise<Digest> {
  const days = trendDays(today);
  const [rows, trend] = await Promise.all([
    findOverdueDeadlines(db, today, filter),
    countOverdueOnDays(db, days, filter),
  ]);
  return assembleDigest({ today, rows, trend });
}

/** today − 49, today − 42, … today: oldest first. */
export function trendDays(today: string): string[] {
  return Array.from({ length: TREND_WEEKS }, (_, index) => addDays(today, -7 * (TREND_WEEKS - 1 - index)));
}

/** The deadline kinds the digest reports, by what they are late against; anything else is not reported. */
export function overdueKindOf(row: Pick<OverdueRow, "deadlineKind" | "caseKind">): OverdueKind | null {
  if (row.deadlineKind === "referral_due") return "referral_due";
  if (row.deadlineKind === "policy" && row.caseKind === "skrivelse") return "skrivelse_policy";
  if (row.deadlineKind === "statutory" && hasStatutoryDeadline(row.caseKind)) return "motion_statutory";
  return null;
}

/**
 * A digest is posted in a channel (and previewed as it would be posted), so it is built for a
 * channel's audience: a restricted case shows only what the public register holds, its identifier,
 * its public title and its dates; to whom it was referred and who handles it stay out.
 */
export function toDigestItem(
  row: OverdueRow,
  today: string,
  days: (dueOn: string) => number = (dueOn) => daysBetween(dueOn, today),
): DigestItem | null {
  const overdueKind = overdueKindOf(row);
  if (overdueKind === null) return null;
  const overdueDays = days(row.dueOn);
  if (overdueDays <= 0) return null;
  const full = audienceFor(IN_CHANNEL, row) === "full";
  return {
    caseId: row.caseId,
    label: caseLabel({
      id: row.caseId,
      dnr: row.dnr,
      identifiers: row.firstIdentifier ? [row.firstIdentifier] : [],
    }),
    publicTitle: row.publicTitle,
    overdueKind,
    dueOn: row.dueOn,
    overdueDays,
    missing: full ? missingBodies(row.missing) : [],
    officerName: full ? row.officerName : null,
    officerSlackUserId: full ? row.officerSlackUserId : null,
  };
}

/** Each body once, in Swedish alphabetical order. */
function missingBodies(names: readonly string[]): string[] {
  if (names.length <= 1) return [...names];
  return [...new Set(names)].sort(swedish.compare);
}

const KIND_ORDER: Record<OverdueKind, number> = { motion_statutory: 0, skrivelse_policy: 1, referral_due: 2 };

/**
 * Most overdue first; equal lateness in a stable order (the case registered first, then the case's own
 * deadline before its remisser), so digests do not reshuffle from week to week. Numbers only: a
 * collator or a numeric-aware label key costs more than everything else in a digest of 10,000 items.
 */
export function compareItems(a: DigestItem, b: DigestItem): number {
  return (
    b.overdueDays - a.overdueDays ||
    a.caseId - b.caseId ||
    KIND_ORDER[a.overdueKind] - KIND_ORDER[b.overdueKind]
  );
}

/** Pure: rows and counts in, the digest out. */
export function assembleDigest({
  today,
  rows,
  trend,
}: {
  today: string;
  rows: readonly OverdueRow[];
  trend: readonly number[];
}): Digest {
  const byBody = new Map<number | null, DigestGroup>();
  // Thousands of items share a few hundred due dates.
  const daysByDueOn = new Map<string, number>();
  const days = (dueOn: string) => {
    let count = daysByDueOn.get(dueOn);
    if (count === undefined) {
      count = daysBetween(dueOn, today);
      daysByDueOn.set(dueOn, count);
    }
    return count;
  };
  let total = 0;
  for (const row of rows) {
    const item = toDigestItem(row, today, days);
    if (item === null) continue;
    total += 1;
    const id = row.responsibleBodyId;
    let group = byBody.get(id);
    if (!group) {
      group = {
        body: id === null ? null : { id, name: row.responsibleBodyName ?? `Organ ${id}` },
        items: [],
      };
      byBody.set(id, group);
    }
    group.items.push(item);
  }
  const groups = [...byBody.values()];
  for (const group of groups) group.items.sort(compareItems);
  const worst = (group: DigestGroup) => group.items[0]?.overdueDays ?? 0;
  groups.sort(
    (a, b) =>
      Number(a.body === null) - Number(b.body === null) ||
      worst(b) - worst(a) ||
      swedish.compare(a.body?.name ?? "", b.body?.name ?? "") ||
      (a.body?.id ?? 0) - (b.body?.id ?? 0),
  );
  const counts = Array.from({ length: TREND_WEEKS }, (_, index) => trend[index] ?? 0);
  return {
    today,
    total,
    changeSinceLastWeek: (counts[TREND_WEEKS - 1] ?? 0) - (counts[TREND_WEEKS - 2] ?? 0),
    trend: counts,
    groups,
  };
}
