import { audienceFor, IN_CHANNEL, personReading } from "../cases/audience.js";
import { type CaseHead, loadCaseHeads } from "../cases/cases.repository.js";
import { caseLabel } from "../cases/present-case.js";
import { type RequestContext, rolesOfUser } from "../shared/context.js";
import type { FollowedCaseRef } from "./follow-target.js";
import { type FollowRow, findFollowsOf, latestCaseEvents } from "./follows.repository.js";

/** The newest change of a followed case: what kind of step, and when. Public: no names, no texts. */
export type LatestChange = { action: string; label: string; at: Date };

export type FollowedCase = FollowedCaseRef & {
  restricted: boolean;
  followedAt: Date;
  latestChange: LatestChange | null;
};

type ListContext = Pick<RequestContext, "db" | "admins" | "actor" | "roles">;

/**
 * The cases a person follows, oldest follow first, each as that person may read it (a restricted
 * case's title only while they are entitled to it) with its newest change. Reused by whatever shows a
 * person their follows (`/arende bevakningar`, the App Home).
 */
export async function listFollowedCases({
  ctx,
  userId,
}: {
  ctx: ListContext;
  userId: string;
}): Promise<FollowedCase[]> {
  const follows = await findFollowsOf(ctx.db, [{ kind: "user", id: userId }]);
  if (follows.length === 0) return [];
  const reader = personReading(await rolesOfUser(ctx, userId));
  return describeFollows(ctx, follows, (details) => audienceFor(reader, details));
}

/** `/arende bevakningar`: what the asker follows, and what the channel they ask in follows. */
export async function listFollows(
  ctx: ListContext,
  { userId, channelId }: { userId: string; channelId: string | null },
): Promise<{ mine: FollowedCase[]; channel: FollowedCase[] }> {
  const mine = await listFollowedCases({ ctx, userId });
  const channelFollows = channelId ? await findFollowsOf(ctx.db, [{ kind: "channel", id: channelId }]) : [];
  const channel = await describeFollows(ctx, channelFollows, (details) => audienceFor(IN_CHANNEL, details));
  return { mine, channel };
}

async function describeFollows(
  ctx: ListContext,
  follows: readonly FollowRow[],
  audienceOf: (details: CaseHead) => "full" | "public",
): Promise<FollowedCase[]> {
  if (follows.length === 0) return [];
  const caseIds = follows.map((follow) => follow.caseId);
  const [cases, latest] = await Promise.all([
    loadCaseHeads(ctx.db, caseIds),
    latestCaseEvents(ctx.db, caseIds),
  ]);
  const byId = new Map(cases.map((details) => [details.id, details]));
  return follows.flatMap((follow) => {
    const details = byId.get(follow.caseId);
    if (!details) return [];
    const audience = audienceOf(details);
    const change = latest.get(details.id);
    return [
      {
        caseId: details.id,
        label: caseLabel(details),
        title: audience === "full" ? details.title : details.publicTitle,
        audience,
        restricted: details.restricted,
        followedAt: follow.createdAt,
        latestChange: change
          ? { action: change.action, label: changeLabel(change.action), at: change.occurredAt }
          : null,
      },
    ];
  });
}

const CHANGE_LABELS: Readonly<Record<string, string>> = {
  "case.imported": "Ärendet registrerat",
  "case.updated": "Ärendet ändrat",
  "referral.sent": "Remiss skickad",
  "referral.imported": "Remiss registrerad",
  "referral.updated": "Remiss ändrad",
  "referral.notice_posted": "Remiss meddelad",
  "referral.answered": "Remiss besvarad",
  "referral.declined": "Remissinstansen avstår",
  "referral.withdrawn": "Remiss återkallad",
  "referral_response.submitted": "Remissvar registrerat",
  "referral_response.imported": "Remissvar registrerat",
  "referral_response.updated": "Remissvar ändrat",
  "referral_response.approval_requested": "Remissvar skickat för godkännande",
  "referral_response.approved": "Remissvar godkänt",
  "referral_response.rejected": "Remissvar avslaget",
  "deadline.computed": "Tidsfrist beräknad",
  "deadline.imported": "Tidsfrist registrerad",
  "deadline.updated": "Tidsfrist ändrad",
  "deadline.met": "Tidsfrist uppfylld",
  "timeline_entry.imported": "Nytt i förloppet",
  "timeline_entry.updated": "Förloppet ändrat",
};

/** A short Swedish name for a kind of change, safe for anyone to read. */
export function changeLabel(action: string): string {
  return CHANGE_LABELS[action] ?? "Ändring registrerad";
}
