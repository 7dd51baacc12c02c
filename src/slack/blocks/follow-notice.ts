import type { KnownBlock } from "@slack/types";
import type { FollowNotice } from "../../modules/follows/present-follow-notice.js";
import type { SlackMessage } from "./message.js";
import { escapeAndShorten, escapeMrkdwn, SLACK_LIMITS, shorten } from "./mrkdwn.js";
import { richMrkdwn } from "./rich-text.js";

const TITLE_MAX = 300;
const LINE_MAX = 400;
const DETAIL_MAX = 200;
/** Room kept for the closing "… och N ändringar till" line. */
const MORE_LINE_MAX = 150;
/** Passed deadlines named in one notice; with TITLE_MAX and LINE_MAX they fit a section with room to spare. */
const DEADLINES_SHOWN = 5;

/**
 * A follower's notice: the case, what moved since the last one (newest last, as it happened), the
 * deadlines that passed, and how to stop. Changes that do not fit in one section (3000 characters)
 * are counted in the closing line, which points to the history.
 */
export function followNoticeMessage(notice: FollowNotice): SlackMessage {
  const heading = `:eyes: *Nytt i ${escapeMrkdwn(notice.label)}* «${escapeAndShorten(notice.title, TITLE_MAX)}»`;
  // Passed deadlines first: usually few and short, and not what a long batch should cut. A remiss to
  // every district board can pass many at once: the first DEADLINES_SHOWN are named, the rest counted.
  const named = notice.deadlines.slice(0, DEADLINES_SHOWN);
  const unnamed = notice.deadlines.length - named.length;
  const lines = [
    heading,
    ...named.map((sentence) => `:warning: ${escapeAndShorten(sentence, LINE_MAX)}`),
    ...(unnamed > 0
      ? [`:warning: … och ${unnamed} ${unnamed === 1 ? "tidsfrist" : "tidsfrister"} till`]
      : []),
  ];
  let used = lines.join("\n").length;
  let left = notice.more;
  for (const [index, change] of notice.changes.entries()) {
    const entry = [
      `• ${escapeMrkdwn(change.when)} · ${shortenMrkdwn(richMrkdwn(change.text))}`,
      ...change.details.map((detail) => `      ↳ ${shortenMrkdwn(richMrkdwn(detail), DETAIL_MAX)}`),
    ].join("\n");
    if (used + entry.length + 1 > SLACK_LIMITS.sectionText - MORE_LINE_MAX) {
      left += notice.changes.length - index;
      break;
    }
    lines.push(entry);
    used += entry.length + 1;
  }
  if (left > 0) {
    lines.push(
      `• … och ${left} ${left === 1 ? "ändring" : "ändringar"} till: \`/arende historik ${escapeMrkdwn(notice.label)}\``,
    );
  }
  const stop =
    notice.follower === "channel"
      ? `Kanalen bevakar ärendet · sluta med \`/arende sluta bevaka ${escapeMrkdwn(notice.label)} kanal\``
      : `Du bevakar ärendet · sluta med \`/arende sluta bevaka ${escapeMrkdwn(notice.label)}\``;
  const blocks: KnownBlock[] = [
    { type: "section", text: { type: "mrkdwn", text: lines.join("\n") } },
    {
      type: "context",
      elements: [
        ...(notice.restrictedNotice
          ? [{ type: "mrkdwn" as const, text: escapeMrkdwn(notice.restrictedNotice) }]
          : []),
        { type: "mrkdwn" as const, text: stop },
      ],
    },
  ];
  return { text: shorten(notice.fallbackText, 500), blocks };
}

/** Cuts a rendered line without splitting a mention (<@U…>) or an entity (&amp;): such a part goes whole. */
function shortenMrkdwn(text: string, max = LINE_MAX): string {
  if (text.length <= max) return text;
  let cut = text.slice(0, max - 1);
  const mention = cut.lastIndexOf("<");
  if (mention > cut.lastIndexOf(">")) cut = cut.slice(0, mention);
  const entity = cut.lastIndexOf("&");
  if (entity > cut.lastIndexOf(";")) cut = cut.slice(0, entity);
  return `${cut.trimEnd()}…`;
}
