import { say } from "../messages/sv.js";
import type { CaseSummary } from "../modules/cases/case-details.js";
import type { CaseStatusResult } from "../modules/cases/get-case-status.js";
import { type CasePresentation, presentCase } from "../modules/cases/present-case.js";
import { ACCEPTED_FORMS } from "../modules/identifiers/parse-identifier.js";
import { richAsText } from "../modules/shared/rich-text.js";

/** The terminal's case card: the same presentation Slack renders, as plain text. */
export function renderCaseText(card: CasePresentation): string {
  const lines = [card.heading, "=".repeat(Math.min(card.heading.length, 80))];
  if (card.stage) lines.push(`Läge: ${card.stage}`);
  const width = Math.max(...card.facts.map((fact) => fact.label.length));
  for (const fact of card.facts) lines.push(`${`${fact.label}:`.padEnd(width + 2)}${fact.value}`);
  if (card.summary) lines.push("", "Ärendet", card.summary);
  if (card.deadlines.length > 0) {
    lines.push("", "Tidsfrist");
    for (const deadline of card.deadlines)
      lines.push(`  ${deadline.overdueDays !== null ? "!" : "-"} ${deadline.line}`);
  }
  if (card.referrals.length > 0) {
    lines.push("", "Remisser");
    for (const referral of card.referrals) {
      lines.push(`  ${referral.overdueDays !== null ? "!" : "-"} ${referral.line}`);
      for (const decision of referral.decisions ?? []) lines.push(`      ${richAsText(decision)}`);
    }
  }
  if (card.timeline.length > 0) {
    lines.push("", "Förslag, beslut och yttranden");
    for (const entry of card.timeline) lines.push(`  ${entry.heading}`, `    ${entry.text}`);
  }
  lines.push("", [card.notice, card.registryName].filter(Boolean).join(" · "));
  return lines.join("\n");
}

export function renderStatusText(result: CaseStatusResult, today: string): string {
  switch (result.type) {
    case "invalid":
      return `${say(result.error)}\nGodtagna former: ${ACCEPTED_FORMS.join(", ")}`;
    case "not_found":
      return notFoundText(result.identifier, result.suggestions);
    case "found":
      return result.cases
        .map((details) => renderCaseText(presentCase(details, { today, audience: "full" })))
        .join("\n\n");
  }
}

function notFoundText(identifier: string, suggestions: CaseSummary[]): string {
  const lines = [`Jag hittar inget ärende med ${identifier} i diariet.`];
  if (suggestions.length > 0) {
    lines.push("Menade du något av dessa?");
    for (const suggestion of suggestions) lines.push(`  ${suggestion.label} ${suggestion.publicTitle}`);
  }
  return lines.join("\n");
}
