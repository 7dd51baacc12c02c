import { DateTime } from "luxon";
import { REGISTRY_TIME_ZONE } from "../../../clock.js";
import type { CaseDetails, ResponseDetails } from "../../cases/case-details.js";
import { loadCaseDetails } from "../../cases/cases.repository.js";
import type { RequestContext } from "../../shared/context.js";
import {
  CASE_ENTITY_TYPES,
  type CaseEntityType,
  caseIdsOf,
  findCaseExtras,
  findChatChanges,
  findResponseExtras,
  listRegistriesAndBodies,
} from "./export.repository.js";

/**
 * What chat changed, for the diarium: the cases in which someone in Slack sent a remiss, registered a
 * remissvar or approved or rejected one, since a day (Stockholm), read from the audit trail. Each case
 * goes out whole, as its card shows it, so that the diarium, or an empty arendebot, that reads the file
 * gets the same case; the remisser and answers chat made are marked with when chat made them.
 */

export type ExportResponse = ResponseDetails & {
  submittedByName: string | null;
  submittedBySlackUserId: string | null;
  decisionReason: string | null;
  /** When chat registered it, if it did. */
  chatAt: Date | null;
};

export type ExportCase = Omit<CaseDetails, "referrals"> & {
  classification: string | null;
  decisionDueOn: string | null;
  referrals: (Omit<CaseDetails["referrals"][number], "responses"> & {
    /** When chat sent it, if it did. */
    chatAt: Date | null;
    responses: ExportResponse[];
  })[];
};

export type ExportData = {
  registries: { code: string; name: string }[];
  bodies: { code: string; name: string; kind: string; slackChannelId: string | null }[];
  cases: ExportCase[];
  counts: { sent: number; submitted: number; approved: number; rejected: number };
  exportedAt: Date;
};

/** The instant a Stockholm calendar day begins. */
export function startOfStockholmDay(day: string): Date {
  return DateTime.fromISO(day, { zone: REGISTRY_TIME_ZONE }).startOf("day").toJSDate();
}

export async function collectExport(
  ctx: Pick<RequestContext, "db" | "clock">,
  options: { since?: string | undefined },
): Promise<ExportData> {
  const changes = await findChatChanges(ctx.db, options.since ? startOfStockholmDay(options.since) : null);
  const ids = Object.fromEntries(CASE_ENTITY_TYPES.map((type) => [type, [] as number[]])) as Record<
    CaseEntityType,
    number[]
  >;
  for (const change of changes) ids[change.entityType].push(change.entityId);
  const owners = await caseIdsOf(ctx.db, ids);
  const caseIds = [
    ...new Set(changes.flatMap((change) => owners.get(`${change.entityType}:${change.entityId}`) ?? [])),
  ];

  const counts = { sent: 0, submitted: 0, approved: 0, rejected: 0 };
  const referralAt = new Map<number, Date>();
  const responseAt = new Map<number, Date>();
  for (const change of changes) {
    if (change.action === "referral.sent") {
      counts.sent += 1;
      if (!referralAt.has(change.entityId)) referralAt.set(change.entityId, change.occurredAt);
    } else if (change.action === "referral_response.submitted") {
      counts.submitted += 1;
      if (!responseAt.has(change.entityId)) responseAt.set(change.entityId, change.occurredAt);
    } else if (change.action === "referral_response.approved") counts.approved += 1;
    else if (change.action === "referral_response.rejected") counts.rejected += 1;
  }

  const details = await loadCaseDetails(ctx.db, caseIds);
  const extras = new Map((await findCaseExtras(ctx.db, caseIds)).map((row) => [row.id, row]));
  const responseIds = details.flatMap((found) =>
    found.referrals.flatMap((referral) => referral.responses.map((response) => response.id)),
  );
  const responseExtras = new Map((await findResponseExtras(ctx.db, responseIds)).map((row) => [row.id, row]));
  const [registries, bodies] = await listRegistriesAndBodies(ctx.db);
  return {
    registries,
    bodies,
    counts,
    exportedAt: ctx.clock.now(),
    cases: details.map((found) => ({
      ...found,
      classification: extras.get(found.id)?.classification ?? null,
      decisionDueOn: extras.get(found.id)?.decisionDueOn ?? null,
      referrals: found.referrals.map((referral) => ({
        ...referral,
        chatAt: referralAt.get(referral.id) ?? null,
        responses: referral.responses.map((response) => ({
          ...response,
          submittedByName: responseExtras.get(response.id)?.submittedByName ?? null,
          submittedBySlackUserId: responseExtras.get(response.id)?.submittedBySlackUserId ?? null,
          decisionReason: responseExtras.get(response.id)?.decisionReason ?? null,
          chatAt: responseAt.get(response.id) ?? null,
        })),
      })),
    })),
  };
}
