import type { KnownBlock } from "@slack/types";
import type { DeadlineRules } from "../../modules/deadlines/deadline-rules.js";
import type { Digest } from "../../modules/digests/digest.js";
import {
  LATE_NOTICE,
  type PresentedGroup,
  type PresentedItem,
  presentDigest,
} from "../../modules/digests/present-digest.js";
import type { SlackMessage } from "./message.js";
import { escapeAndShorten, escapeMrkdwn, SLACK_LIMITS, shorten } from "./mrkdwn.js";

/**
 * The weekly digest as Slack messages: the first is posted in the channel, the rest in its thread (the
 * poster does that). Every message stays within Slack's limits (50 blocks, 3000 characters a section,
 * 150 a header, about 12,000 in all) and every item appears exactly once across them: a long digest is
 * split, never cut.
 * Only over-long registry texts inside one item (a title of pages) are shortened, visibly, with "…".
 */

/** Registry texts inside one item are capped, so any one item with its group heading fits a section. */
const LABEL_MAX = 120;
const TITLE_MAX = 400;
const MISSING_MAX = 900;
const OFFICER_MAX = 120;
const GROUP_NAME_MAX = 200;

/** One block of every message is kept free for the "continued in the thread" note, and room for its text. */
const CONTENT_BLOCKS = SLACK_LIMITS.blocksPerMessage - 1;
const PART_NOTE_RESERVE = 100;

/**
 * Text characters per message, all blocks together. Besides 50 blocks and 3000 characters a section,
 * chat.postMessage rejects a message whose blocks hold more text than about 12,000 characters in all
 * (`msg_blocks_too_long`; undocumented, reported in slackapi/bolt-js#2509 and #2867, where messages of
 * 11,341 measured characters were refused). 10,000 keeps a margin, and a digest split into
 * messages of a screenful or two is easier to read in a thread anyway.
 */
export const MESSAGE_TEXT_MAX = 10_000;

export function digestMessages(
  digest: Digest,
  options: { late: boolean; postWhenEmpty: boolean; rules?: DeadlineRules },
): SlackMessage[] {
  const view = presentDigest(digest, options.rules ? { rules: options.rules } : {});
  if (view.empty) {
    if (!options.postWhenEmpty) return [];
    const blocks: KnownBlock[] = [{ type: "section", text: { type: "mrkdwn", text: view.emptyLine } }];
    if (options.late) blocks.push(context(LATE_NOTICE));
    return [{ text: view.emptyLine, blocks }];
  }

  const first: KnownBlock[] = [
    { type: "header", text: { type: "plain_text", text: shorten(view.headline, SLACK_LIMITS.headerText) } },
    context(`${view.asOf} · ${view.trendLine}`),
  ];
  if (options.late) first.push(context(LATE_NOTICE));
  const parts = pack(view.groups, first);

  const count = parts.length;
  return parts.map((blocks, index) => {
    const part = `del ${index + 1} av ${count}`;
    if (index === 0) {
      if (count > 1) blocks.push(context(`Listan fortsätter i tråden (${part}).`));
      return { text: `${view.headline}. ${view.asOf}.`, blocks };
    }
    const title = `Försenade ärenden den ${view.date}, ${part}`;
    return { text: title, blocks: [context(title), ...blocks] };
  });
}

/**
 * Fills messages section by section: items are joined into sections of up to 3000 characters, a
 * message takes sections until its block or character budget is spent, and a group that goes on in
 * the next message repeats its heading there with "(forts.)".
 */
function pack(groups: PresentedGroup[], first: KnownBlock[]): KnownBlock[][] {
  const messages: KnownBlock[][] = [first];
  let blocks = first;
  let used = first.reduce((sum, block) => sum + blockTextLength(block), 0) + PART_NOTE_RESERVE;
  // Continuation messages open with their "del 2 av 3" context, added afterwards.
  const blockBudget = () => (blocks === first ? CONTENT_BLOCKS : CONTENT_BLOCKS - 1);
  const startMessage = () => {
    blocks = [];
    messages.push(blocks);
    used = PART_NOTE_RESERVE;
  };
  for (const group of groups) {
    let section: string | null = null;
    let started = false;
    const flush = () => {
      if (section !== null) blocks.push({ type: "section", text: { type: "mrkdwn", text: section } });
      section = null;
    };
    for (const item of group.items) {
      const line = itemText(item);
      if (
        section !== null &&
        section.length + 1 + line.length <= SLACK_LIMITS.sectionText &&
        used + 1 + line.length <= MESSAGE_TEXT_MAX
      ) {
        section = `${section}\n${line}`;
        used += 1 + line.length;
        continue;
      }
      flush();
      let heading = started ? null : groupHeading(group, false);
      const cost = (heading === null ? 0 : heading.length + 1) + line.length;
      if (blocks.length >= blockBudget() || used + cost > MESSAGE_TEXT_MAX) {
        startMessage();
        if (started) heading = groupHeading(group, true);
      }
      section = heading === null ? line : `${heading}\n${line}`;
      used += section.length;
      started = true;
    }
    flush();
  }
  return messages;
}

function blockTextLength(block: KnownBlock): number {
  if (block.type === "header") return block.text.text.length;
  if (block.type === "section") return block.text?.text.length ?? 0;
  if (block.type === "context")
    return block.elements.reduce((sum, element) => sum + ("text" in element ? element.text.length : 0), 0);
  return 0;
}

function groupHeading(group: PresentedGroup, continued: boolean): string {
  const name = escapeAndShorten(group.name, GROUP_NAME_MAX);
  if (continued) return `*${name} (forts.)*`;
  const count = group.items.length;
  return `*${name}* · ${count} ${count === 1 ? "försenat" : "försenade"}`;
}

/** "• *Dnr 108-1642/2017* Bristerna inom socialtjänsten: försenad 12 dagar (…)", then who is missing and who handles it. */
export function itemText(item: PresentedItem): string {
  const head = `• *${escapeAndShorten(item.label, LABEL_MAX)}* ${escapeAndShorten(item.publicTitle, TITLE_MAX)}: ${escapeMrkdwn(item.status)}`;
  const details: string[] = [];
  if (item.missing) details.push(escapeAndShorten(item.missing, MISSING_MAX));
  if (item.officer) {
    // The mention is the only markup not escaped: it is built from a validated Slack user id.
    const who = item.officer.mention ?? escapeAndShorten(item.officer.name ?? "", OFFICER_MAX);
    details.push(`Handläggare: ${who}`);
  }
  return details.length > 0 ? `${head}\n      ${details.join(" · ")}` : head;
}

function context(text: string): KnownBlock {
  return { type: "context", elements: [{ type: "mrkdwn", text }] };
}
