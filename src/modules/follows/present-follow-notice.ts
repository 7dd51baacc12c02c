import type { Audience } from "../cases/audience.js";
import type { CaseDetails } from "../cases/case-details.js";
import { caseLabel } from "../cases/present-case.js";
import { describeEvent } from "../history/describe-event.js";
import type { HistoryContext, HistoryEvent } from "../history/history-event.js";
import { type RichText, richAsText } from "../shared/rich-text.js";
import { formatCalendarDay, formatStockholmTime } from "../shared/swedish-time.js";
import type { FollowerKind, PassedDeadline } from "./follows.repository.js";

/** One message to a follower: what moved in the case since they were last told, as they may read it. */
export type FollowNotice = {
  caseId: number;
  label: string;
  /** The full title, or the public title when only public data may be shown. */
  title: string;
  audience: Audience;
  /** Shown when a restricted case is told with its public data only. */
  restrictedNotice: string | null;
  follower: FollowerKind;
  /** Each change in a sentence, and lines under it for what was written (at most a few). */
  changes: { when: string; text: RichText; details: RichText[] }[];
  /** Changes left out of a long batch (the history has them all). */
  more: number;
  /** "Svarstiden för remissen till Socialnämnden (senast 31 mars 2017) har gått ut." */
  deadlines: string[];
  fallbackText: string;
};

/** A batch longer than this lists the first ones and says how many more; the history has them all. */
export const NOTICE_MAX_CHANGES = 15;
const DETAILS_PER_CHANGE = 3;

export const FOLLOW_RESTRICTED_NOTICE =
  "Ärendet omfattas av sekretess. Här visas endast offentliga uppgifter: vilket slags ändring, när och vilka datum den gäller.";

/**
 * Builds the notice with the audience the rule gave this follower: a person entitled to a restricted
 * case reads it in full in their DM; a channel, or a person no longer entitled, reads what the public
 * may (the history's public wording: which step, when, from where, and its dates).
 */
export function presentFollowNotice({
  details,
  context,
  events,
  deadlines,
  audience,
  follower,
}: {
  details: CaseDetails;
  context: HistoryContext;
  events: readonly HistoryEvent[];
  deadlines: readonly PassedDeadline[];
  audience: Audience;
  follower: FollowerKind;
}): FollowNotice {
  const shown: Audience = details.restricted ? audience : "full";
  const label = caseLabel(details);
  const changes = events.slice(0, NOTICE_MAX_CHANGES).map((event) => {
    const described = describeEvent(event, context, shown);
    return {
      when: formatStockholmTime(event.occurredAt),
      text: described.text,
      details: described.details.slice(0, DETAILS_PER_CHANGE),
    };
  });
  const passed = deadlines.map((deadline) => deadlineSentence(details, deadline, shown));
  const first = changes[0] ? richAsText(changes[0].text) : passed[0];
  return {
    caseId: details.id,
    label,
    title: shown === "full" ? details.title : details.publicTitle,
    audience: shown,
    restrictedNotice: details.restricted && shown === "public" ? FOLLOW_RESTRICTED_NOTICE : null,
    follower,
    changes,
    more: Math.max(0, events.length - NOTICE_MAX_CHANGES),
    deadlines: passed,
    fallbackText: `Nytt i ${label}: ${first ?? "ärendet har ändrats"}`,
  };
}

function deadlineSentence(details: CaseDetails, deadline: PassedDeadline, audience: Audience): string {
  const due = formatCalendarDay(deadline.dueOn);
  if (deadline.referralId !== null) {
    const body = details.referrals.find((referral) => referral.id === deadline.referralId)?.body.name;
    const to = audience === "full" && body ? ` till ${body}` : "";
    return `Svarstiden för remissen${to} (senast ${due}) har gått ut.`;
  }
  switch (deadline.kind) {
    case "statutory":
      return `Ärendets lagstadgade tidsfrist (${due}) har gått ut.`;
    case "policy":
      return `Ärendets tidsfrist enligt lokal policy (${due}) har gått ut.`;
    case "custom":
      return `Ärendets beslutsfrist enligt diariet (${due}) har gått ut.`;
    default:
      return `En tidsfrist i ärendet (${due}) har gått ut.`;
  }
}
