import type { KnownBlock } from "@slack/types";
import type { CasePresentation } from "../../modules/cases/present-case.js";
import { FOLLOW_CASE_ACTION } from "./follow-ids.js";
import { OPEN_HISTORY_ACTION } from "./history-ids.js";
import type { SlackMessage } from "./message.js";
import { escapeAndShorten, escapeMrkdwn, SLACK_LIMITS, shorten } from "./mrkdwn.js";
import { richMrkdwn } from "./rich-text.js";

export const SHARE_CASE_ACTION = "case_card.share";

/** Long registry texts (a dissent runs to pages) are shortened; the full text is in the registry. */
const TIMELINE_TEXT_MAX = 600;
const SUMMARY_MAX = 900;

export function caseCardMessage(
  card: CasePresentation,
  /**
   * `history`: a Historik button, showing the history to whoever clicks, by their own access.
   * `follow`: a Bevaka button, making whoever clicks follow the case by DM, if they may.
   */
  options: { shareable?: boolean; sharedBy?: string; history?: boolean; follow?: boolean } = {},
): SlackMessage {
  const blocks: KnownBlock[] = [
    { type: "header", text: { type: "plain_text", text: shorten(card.heading, SLACK_LIMITS.headerText) } },
  ];
  if (card.stage) {
    // A case referred to many bodies names them all in its stage; the referral list below has them too.
    const label = "*Läge:* ";
    const stage = escapeAndShorten(card.stage, SLACK_LIMITS.sectionText - label.length);
    blocks.push({ type: "section", text: { type: "mrkdwn", text: `${label}${stage}` } });
  }
  blocks.push({
    type: "section",
    fields: card.facts.slice(0, SLACK_LIMITS.fieldsPerSection).map((fact) => ({
      type: "mrkdwn" as const,
      text: `*${fact.label}*\n${escapeAndShorten(fact.value, SLACK_LIMITS.fieldText - fact.label.length - 3)}`,
    })),
  });
  if (card.summary) {
    blocks.push({
      type: "section",
      text: { type: "mrkdwn", text: `*Ärendet*\n${escapeAndShorten(card.summary, SUMMARY_MAX)}` },
    });
  }
  if (card.deadlines.length > 0) {
    const lines = card.deadlines.map((deadline) =>
      deadline.overdueDays !== null
        ? `:warning: *${escapeMrkdwn(deadline.line)}*`
        : `• ${escapeMrkdwn(deadline.line)}`,
    );
    blocks.push(...sectionsOf("*Tidsfrist*", lines));
  }
  if (card.referrals.length > 0) {
    const lines = card.referrals.map((referral) =>
      [
        referral.overdueDays !== null
          ? `:warning: *${escapeMrkdwn(referral.line)}*`
          : `• ${escapeMrkdwn(referral.line)}`,
        ...(referral.decisions ?? []).map((decision) => `      ↳ ${richMrkdwn(decision)}`),
      ].join("\n"),
    );
    blocks.push(...sectionsOf("*Remisser*", lines));
  }
  if (card.timeline.length > 0) {
    const lines = card.timeline.map(
      (entry) => `*${escapeMrkdwn(entry.heading)}*\n${escapeAndShorten(entry.text, TIMELINE_TEXT_MAX)}`,
    );
    blocks.push({ type: "divider" });
    blocks.push(...sectionsOf("*Förslag, beslut och yttranden*", lines));
  }
  const context = [
    card.notice,
    card.registryName,
    options.sharedBy ? `Delat av <@${options.sharedBy}>` : null,
  ]
    .filter((part): part is string => Boolean(part))
    .map((part) => ({
      type: "mrkdwn" as const,
      text: part === card.registryName ? escapeMrkdwn(part) : part,
    }));
  blocks.push({ type: "context", elements: context });
  const buttons = [];
  if (options.shareable) {
    buttons.push({
      type: "button" as const,
      action_id: SHARE_CASE_ACTION,
      text: { type: "plain_text" as const, text: "Dela i kanalen" },
      value: JSON.stringify({ caseId: card.caseId }),
    });
  }
  if (options.history) {
    buttons.push({
      type: "button" as const,
      action_id: OPEN_HISTORY_ACTION,
      text: { type: "plain_text" as const, text: "Historik" },
      value: JSON.stringify({ caseId: card.caseId }),
    });
  }
  if (options.follow) {
    buttons.push({
      type: "button" as const,
      action_id: FOLLOW_CASE_ACTION,
      text: { type: "plain_text" as const, text: "Bevaka" },
      value: JSON.stringify({ caseId: card.caseId }),
    });
  }
  if (buttons.length > 0) blocks.push({ type: "actions", elements: buttons });
  return { text: card.fallbackText, blocks: fitToMessage(blocks) };
}

/** Packs lines into as few sections as the 3000-character limit allows, the title in the first. */
function sectionsOf(title: string, lines: string[]): KnownBlock[] {
  const sections: string[] = [];
  let current = title;
  for (const line of lines) {
    const candidate = `${current}\n${line}`;
    if (candidate.length > SLACK_LIMITS.sectionText) {
      sections.push(current);
      current = shorten(line, SLACK_LIMITS.sectionText);
    } else {
      current = candidate;
    }
  }
  sections.push(current);
  return sections.map((text) => ({ type: "section", text: { type: "mrkdwn", text } }));
}

/** A case with hundreds of timeline entries must still be a valid message; the tail is named, not lost. */
function fitToMessage(blocks: KnownBlock[]): KnownBlock[] {
  if (blocks.length <= SLACK_LIMITS.blocksPerMessage) return blocks;
  const tail = blocks.slice(-2);
  const kept = blocks.slice(0, SLACK_LIMITS.blocksPerMessage - 3);
  const omitted = blocks.length - kept.length - tail.length;
  return [
    ...kept,
    {
      type: "context",
      elements: [
        {
          type: "mrkdwn",
          text: `${omitted} avsnitt till finns i registret (kör arendebot status i terminalen).`,
        },
      ],
    },
    ...tail,
  ];
}
