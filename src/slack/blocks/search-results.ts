import { z } from "zod";
import { say } from "../../messages/sv.js";
import { KIND_LABELS, STATUS_LABELS } from "../../modules/cases/case-kinds.js";
import { MAX_SEARCH_CHARACTERS } from "../../modules/search/parse-search.js";
import type { SearchResult } from "../../modules/search/search-cases.js";
import { formatCalendarDay } from "../../modules/shared/swedish-time.js";
import { type SlackMessage, textMessage } from "./message.js";
import { escapeAndShorten, escapeMrkdwn } from "./mrkdwn.js";

/** The buttons of a search answer: each hit's "Visa", and "Visa fler" for the next ten. */
export const OPEN_SEARCH_HIT_ACTION = "search.open_case";
export const MORE_SEARCH_HITS_ACTION = "search.more";

export const searchHitValue = z.object({ caseId: z.number().int().positive() });
/** The search as typed and the page to show; who may see what is decided again on the click. */
export const moreHitsValue = z.object({
  text: z.string().max(MAX_SEARCH_CHARACTERS),
  page: z.number().int().min(2).max(10_000),
  /** Hits posted in a conversation stay public data on every page. */
  place: z.enum(["private", "channel"]).default("private"),
});

/** A hit's title in its section, well within Slack's 3,000 characters. */
const TITLE_CHARACTERS = 300;

/**
 * A search answer, for the asker alone: one section per hit with its identifier, title (as the
 * audience rule let the use case give it), kind, stage and date, and a "Visa" button for its card;
 * "Visa fler" when there are more. At most 10 hits, so 12 blocks.
 */
export function searchResultsMessage(
  text: string,
  result: SearchResult,
  place: "private" | "channel" = "private",
): SlackMessage {
  if (!result.ok) return textMessage(say(result.error));
  const asked = escapeMrkdwn(text.trim());
  if (result.hits.length === 0) {
    return textMessage(
      result.page === 1
        ? `Inga ärenden matchar «${asked}». Prova färre ord, ett annat ord för samma sak, eller utan filter.`
        : `Inga fler ärenden matchar «${asked}».`,
    );
  }
  const first = (result.page - 1) * 10 + 1;
  const range = `${first}–${first + result.hits.length - 1}`;
  const heading = `Träffar ${range} för «${asked}»${result.hasMore ? "" : " (alla)"}:`;
  const blocks: SlackMessage["blocks"] = [{ type: "section", text: { type: "mrkdwn", text: heading } }];
  for (const hit of result.hits) {
    const facts = [
      KIND_LABELS[hit.kind],
      STATUS_LABELS[hit.status],
      ...(hit.date ? [formatCalendarDay(hit.date)] : []),
    ].join(" · ");
    blocks.push({
      type: "section",
      text: {
        type: "mrkdwn",
        text: `*${escapeMrkdwn(hit.label)}* ${escapeAndShorten(hit.title, TITLE_CHARACTERS)}\n${facts}`,
      },
      accessory: {
        type: "button",
        action_id: OPEN_SEARCH_HIT_ACTION,
        text: { type: "plain_text", text: "Visa" },
        value: JSON.stringify({ caseId: hit.caseId }),
      },
    });
  }
  if (result.hasMore) {
    blocks.push({
      type: "actions",
      elements: [
        {
          type: "button",
          action_id: MORE_SEARCH_HITS_ACTION,
          text: { type: "plain_text", text: "Visa fler" },
          value: JSON.stringify({ text: text.trim(), page: result.page + 1, place }),
        },
      ],
    });
  }
  return { text: heading, blocks };
}
