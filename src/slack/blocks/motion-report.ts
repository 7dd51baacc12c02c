import type { Coded } from "../../messages/sv.js";
import { say } from "../../messages/sv.js";
import type { MentionedCases } from "../../modules/cases/find-mentioned-cases.js";
import type { ScheduleReportResult } from "../../modules/reports/schedule-report.js";
import type { ShareReportResult } from "../../modules/reports/share-motion-report.js";
import { formatCalendarDay } from "../../modules/shared/swedish-time.js";
import { type SlackMessage, textMessage } from "./message.js";
import { escapeMrkdwn } from "./mrkdwn.js";

export const REPORT_WORKING_TEXT = "Ett ögonblick, jag tar fram rapporten om motioner…";

export function reportErrorMessage(error: Coded): SlackMessage {
  return textMessage(`:grey_question: ${say(error)}`);
}

/** To the asker, once the files are in the channel. */
export function reportSharedMessage(result: Extract<ShareReportResult, { ok: true }>): SlackMessage {
  const unknown =
    result.unknownRaisedOn > 0 ? `, och ${result.unknownRaisedOn} utan känt datum för väckande` : "";
  return textMessage(
    `Rapporten per ${formatCalendarDay(result.per)} ligger i kanalen som Word och CSV: ${result.overdue} motioner och medborgarförslag över ettårsgränsen${unknown}.`,
  );
}

export function reportScheduledMessage(result: Extract<ScheduleReportResult, { ok: true }>): SlackMessage {
  const what =
    result.outcome === "unchanged" ? "Kanalen har redan det schemat" : "Kanalen får rapporten om motioner";
  return textMessage(
    `${what}: ${escapeMrkdwn(result.description)} (Stockholmstid), som Word och CSV. Avsluta med \`/arende rapport motioner schema avsluta\`.`,
  );
}

/** The visible line in the channel when its schedule is set or ended. */
export function reportScheduleNotice(
  userId: string,
  change: { description: string; ended: boolean },
): SlackMessage {
  return textMessage(
    change.ended
      ? `<@${userId}> avslutade kanalens rapport om motioner (${escapeMrkdwn(change.description)}).`
      : `<@${userId}> schemalade rapporten om motioner som inte beslutats inom ett år: ${escapeMrkdwn(change.description)}.`,
  );
}

export function reportUnscheduledMessage(description: string): SlackMessage {
  return textMessage(`Kanalens rapport om motioner är avslutad (${escapeMrkdwn(description)}).`);
}

export function reportScheduleShownMessage(description: string | null): SlackMessage {
  return textMessage(
    description
      ? `Kanalen får rapporten om motioner ${escapeMrkdwn(description)} (Stockholmstid).`
      : "Kanalen har ingen schemalagd rapport. Schemalägg den med `/arende rapport motioner schema första måndagen i april och oktober`.",
  );
}

/** "Visa ärendet" on a message without any case number. */
export function noIdentifierInMessage(): SlackMessage {
  return textMessage(
    "Jag hittar inget diarienummer eller ärendenummer i meddelandet. Fråga med `/arende status Dnr 108-1642/2017` eller `/arende sök ord ur titeln`.",
  );
}

/** After the cards: the numbers left out when a message names more than one answer shows. */
export function moreMentionedMessage(mentioned: MentionedCases): SlackMessage | null {
  if (mentioned.more === 0) return null;
  return textMessage(
    `Meddelandet nämner ${mentioned.more} ärendenummer till; fråga efter dem med \`/arende status\`.`,
  );
}
