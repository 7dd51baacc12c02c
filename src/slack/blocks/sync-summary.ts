import type { SyncReport } from "../../modules/sync/sync-from-diarium.js";
import type { SlackMessage } from "./message.js";
import { escapeMrkdwn } from "./mrkdwn.js";

/** A section's text may hold 3,000 characters; a rejected row's reason is cut well before that. */
const REASON_CHARACTERS = 300;

/**
 * The summary a sync posts to ARENDE_SYNC_CHANNEL: what came in from the diarium, and the first rows
 * it refused with their reasons, so the registrator can correct the export. Counts and the file's own
 * line numbers only: no case's title, and the values a reason quotes («…») are left out, so a
 * restricted case's data never reaches the channel. The full reasons are in the sync's log line and in
 * `arendebot sync`'s output.
 */
export function syncSummaryMessage(report: SyncReport): SlackMessage {
  const file = `\`${escapeMrkdwn(report.sourceName)}\``;
  if (report.unreadable !== undefined) {
    const text = `:warning: Synk från diariet: exporten ${file} kunde inte läsas, inget importerades.`;
    return {
      text,
      blocks: [
        { type: "section", text: { type: "mrkdwn", text } },
        { type: "section", text: { type: "mrkdwn", text: `>${escapeMrkdwn(cut(report.unreadable))}` } },
      ],
    };
  }
  const counts = [
    `${report.created} ${report.created === 1 ? "nytt ärende" : "nya ärenden"}`,
    `${report.updated} ${report.updated === 1 ? "ändrat" : "ändrade"}`,
    `${report.rejected} ${report.rejected === 1 ? "avvisad rad" : "avvisade rader"}`,
  ];
  const text = `Synk från diariet (${file}): ${counts.join(", ")}.`;
  const blocks: SlackMessage["blocks"] = [{ type: "section", text: { type: "mrkdwn", text } }];
  if (report.firstRejections.length > 0) {
    const lines = report.firstRejections.map(
      ({ line, reason }) => `• rad ${line}: ${escapeMrkdwn(cut(withoutValues(reason)))}`,
    );
    const more = report.rejected - report.firstRejections.length;
    if (more > 0) lines.push(`… och ${more} till; hela listan: \`arendebot sync\` eller importloggen`);
    blocks.push({ type: "section", text: { type: "mrkdwn", text: lines.join("\n") } });
  }
  return { text, blocks };
}

/** "title: Ogiltig text «Hemlig titel»" → "title: Ogiltig text «…»". */
function withoutValues(reason: string): string {
  return reason.replace(/«[^»]*»/gu, "«…»");
}

function cut(text: string): string {
  const characters = Array.from(text);
  return characters.length > REASON_CHARACTERS
    ? `${characters.slice(0, REASON_CHARACTERS - 1).join("")}…`
    : text;
}
