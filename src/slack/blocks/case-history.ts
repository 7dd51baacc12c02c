import type { KnownBlock } from "@slack/types";
import type { CaseDetails } from "../../modules/cases/case-details.js";
import { caseLabel } from "../../modules/cases/present-case.js";
import type { HistoryEntry, HistoryPresentation } from "../../modules/history/present-history.js";
import { NEWER_HISTORY_ACTION, OLDER_HISTORY_ACTION } from "./history-ids.js";
import type { SlackMessage } from "./message.js";
import { escapeAndShorten, escapeMrkdwn, SLACK_LIMITS, shorten } from "./mrkdwn.js";
import { richMrkdwn } from "./rich-text.js";

/**
 * An entry is bounded (the describers clip every value), but an import that changed every field of
 * a case has many lines: past this, the rest is named rather than shown, so a page of 20 entries
 * always fits in one message.
 */
const ENTRY_MAX = 2000;
const TITLE_MAX = 300;

/** One page of a case's history, for the asker only; older and newer pages replace it in place. */
export function caseHistoryMessage(history: HistoryPresentation): SlackMessage {
  const blocks: KnownBlock[] = [
    { type: "header", text: { type: "plain_text", text: shorten(history.heading, SLACK_LIMITS.headerText) } },
    {
      type: "context",
      elements: [
        {
          type: "mrkdwn",
          text: `*${escapeAndShorten(history.title, TITLE_MAX)}*\n${escapeMrkdwn(history.position)}`,
        },
      ],
    },
  ];
  const tail: KnownBlock[] = [];
  if (history.notice) {
    tail.push({ type: "context", elements: [{ type: "mrkdwn", text: escapeMrkdwn(history.notice) }] });
  }
  const buttons = pageButtons(history);
  if (buttons) tail.push(buttons);
  const room = SLACK_LIMITS.blocksPerMessage - blocks.length - tail.length;
  blocks.push(...packed(history.entries.map(entryText), room));
  return { text: history.fallbackText, blocks: [...blocks, ...tail] };
}

/** A dnr found in several registries: which ones, so the asker can tell them apart. */
export function severalCasesMessage(cases: readonly CaseDetails[]): SlackMessage {
  const lines = cases.map(
    (details) =>
      `• ${escapeMrkdwn(details.registry.name)}: ${escapeMrkdwn(caseLabel(details))} ${escapeMrkdwn(details.publicTitle)}`,
  );
  const text = `Numret finns i flera diarier:\n${lines.join("\n")}`;
  return {
    text,
    blocks: [{ type: "section", text: { type: "mrkdwn", text: shorten(text, SLACK_LIMITS.sectionText) } }],
  };
}

function entryText(entry: HistoryEntry): string {
  let text = `*${escapeMrkdwn(entry.when)}* · ${richMrkdwn(entry.text)}`;
  for (const [index, detail] of entry.details.entries()) {
    const line = `\n>${richMrkdwn(detail)}`;
    if (text.length + line.length > ENTRY_MAX) {
      const left = entry.details.length - index;
      return `${text}\n>_… och ${left} ${left === 1 ? "rad" : "rader"} till (kör arendebot historik i terminalen)_`;
    }
    text += line;
  }
  return text;
}

/** Entries packed into as few sections as 3000 characters allow, within `room` blocks. */
function packed(entries: string[], room: number): KnownBlock[] {
  const sections: string[] = [];
  let current = "";
  for (const entry of entries) {
    if (current !== "" && current.length + 1 + entry.length > SLACK_LIMITS.sectionText) {
      sections.push(current);
      current = "";
    }
    current = current === "" ? entry : `${current}\n${entry}`;
  }
  if (current !== "") sections.push(current);
  const kept = sections.length > room ? sections.slice(0, Math.max(0, room - 1)) : sections;
  const blocks: KnownBlock[] = kept.map((text) => ({
    type: "section",
    text: { type: "mrkdwn", text: text.slice(0, SLACK_LIMITS.sectionText) },
  }));
  if (kept.length < sections.length) {
    blocks.push({
      type: "context",
      elements: [
        { type: "mrkdwn", text: "Fler händelser på den här sidan finns i terminalen: arendebot historik." },
      ],
    });
  }
  return blocks;
}

function pageButtons(history: HistoryPresentation): KnownBlock | null {
  const elements = [];
  if (history.page > 1) {
    elements.push({
      type: "button" as const,
      action_id: NEWER_HISTORY_ACTION,
      text: { type: "plain_text" as const, text: "Nyare" },
      value: JSON.stringify({ caseId: history.caseId, page: history.page - 1 }),
    });
  }
  if (history.page < history.pages) {
    elements.push({
      type: "button" as const,
      action_id: OLDER_HISTORY_ACTION,
      text: { type: "plain_text" as const, text: "Äldre händelser" },
      value: JSON.stringify({ caseId: history.caseId, page: history.page + 1 }),
    });
  }
  return elements.length > 0 ? { type: "actions", block_id: "case_history_pages", elements } : null;
}
