import type { SyncReport } from "../../modules/sync/sync-from-diarium.js";
import type { SlackMessage } from "./message.js";
import { escapeMrkdwn } from "./mrkdwn.js";

/**
 * The summary a sync posts to ARENDE_SYNC_CHANNEL: what came in from the diarium, and which rows it
 * refused, so the registrator can correct the export. Counts, the file's own line numbers and the
 * names of the fields at fault only: a reason's own text can quote a cell (a title, a name), and a
 * channel must never read a restricted case's data, so the reasons themselves are printed by
 * `arendebot import` on the file and logged, not posted.
 */
export function syncSummaryMessage(report: SyncReport): SlackMessage {
  const file = `\`${escapeMrkdwn(report.sourceName)}\``;
  const seeWhy = `kör \`arendebot import ${escapeMrkdwn(report.sourceName)}\` (med \`--mapping\` och synkens mappningsfil för CSV) för att se varför`;
  if (report.unreadable !== undefined) {
    const text = `:warning: Synk från diariet: exporten ${file} kunde inte läsas, inget importerades; ${seeWhy}.`;
    return { text, blocks: [{ type: "section", text: { type: "mrkdwn", text } }] };
  }
  const counts = [
    `${report.created} ${report.created === 1 ? "nytt ärende" : "nya ärenden"}`,
    `${report.updated} ${report.updated === 1 ? "ändrat" : "ändrade"}`,
    `${report.rejected} ${report.rejected === 1 ? "avvisad rad" : "avvisade rader"}`,
  ];
  const resumed = report.resumed ? " Synken avbröts och togs upp igen; siffrorna gäller hela synken." : "";
  const text = `Synk från diariet (${file}): ${counts.join(", ")}.${resumed}`;
  const blocks: SlackMessage["blocks"] = [{ type: "section", text: { type: "mrkdwn", text } }];
  if (report.firstRejections.length > 0) {
    const lines = report.firstRejections.map(({ line, reason }) => `• rad ${line}: ${faultOf(reason)}`);
    const more = report.rejected - report.firstRejections.length;
    if (more > 0) lines.push(`… och ${more} till.`);
    lines.push(`Orsakerna: ${seeWhy}.`);
    blocks.push({ type: "section", text: { type: "mrkdwn", text: lines.join("\n") } });
  }
  return { text, blocks };
}

/** "referrals[0].due_on: Ogiltigt datum «…»" → "fel i referrals[0].due_on"; never the reason's own words. */
function faultOf(reason: string): string {
  const field = /^([a-z_]+(?:\[\d+\])?(?:\.[a-z_]+(?:\[\d+\])?)*):/.exec(reason)?.[1];
  return field ? `fel i \`${field}\`` : "raden kunde inte läsas";
}
