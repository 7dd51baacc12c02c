import type { HistoryPresentation } from "../modules/history/present-history.js";
import { richAsText } from "../modules/shared/rich-text.js";

/** The terminal's history: the same presentation Slack renders, as plain text, people by name and id. */
export function renderHistoryText(history: HistoryPresentation, { next }: { next?: string } = {}): string {
  const lines = [history.heading, history.title, history.position];
  const width = Math.max(0, ...history.entries.map((entry) => entry.when.length));
  const indent = " ".repeat(width + 2);
  if (history.entries.length > 0) lines.push("");
  for (const entry of history.entries) {
    lines.push(`${entry.when.padEnd(width)}  ${richAsText(entry.text)}`);
    for (const detail of entry.details) lines.push(`${indent}${richAsText(detail)}`);
  }
  if (history.notice) lines.push("", history.notice);
  if (next && history.page < history.pages) lines.push("", `Äldre händelser: ${next}`);
  return lines.join("\n");
}
