import { parseIdentifier } from "../modules/identifiers/parse-identifier.js";

export type BotRequest =
  | { type: "status"; query: string }
  | { type: "search"; text: string }
  | { type: "help" }
  | { type: "unknown"; word: string };

const HELP_WORDS = new Set(["hjälp", "hjalp", "help", "?"]);

/**
 * Reads what an official typed after `/arende`, or to the bot in a mention or DM. A bare identifier
 * counts as `status`, since that is what people mean by it.
 */
export function parseBotRequest(text: string): BotRequest {
  const cleaned = text
    .replace(/<@[A-Z0-9]+(\|[^>]*)?>/g, " ")
    .replace(/\s+/g, " ")
    .trim();
  if (cleaned === "") return { type: "help" };
  const [first = "", ...rest] = cleaned.split(" ");
  const word = first.toLowerCase();
  if (HELP_WORDS.has(word)) return { type: "help" };
  if (word === "status") return { type: "status", query: rest.join(" ") };
  if (word === "sök" || word === "sok") return { type: "search", text: rest.join(" ") };
  if (parseIdentifier(cleaned).ok) return { type: "status", query: cleaned };
  return { type: "unknown", word: first };
}
