import type { Coded } from "../../messages/sv.js";
import { foldName } from "../bodies/find-bodies.js";
import type { CaseKind } from "../cases/case-kinds.js";
import { SEARCH_ERRORS, type SearchErrorCode } from "./errors.js";

/**
 * What an official typed after `sök`: words to look for, and filters written as `typ:motion`,
 * `organ:socialnämnden` (or `organ:"Bromma stadsdelsnämnd"`), `år:2017`, `öppna` or `avslutade`.
 * Pure: the body's name is resolved by the use case.
 */
export type SearchQuery = {
  /** The words as typed, filters taken out; searched stemmed and by similarity. */
  words: string;
  kind?: CaseKind;
  /** A body's name or code as typed; the case's responsible body. */
  body?: string;
  /** The year the case was raised (or, without that date, received). */
  year?: number;
  state?: "open" | "finished";
};

export type SearchParse = { ok: true; query: SearchQuery } | { ok: false; error: Coded<SearchErrorCode> };

const KIND_WORDS = new Map<string, CaseKind>([
  ["skrivelse", "skrivelse"],
  ["skrivelser", "skrivelse"],
  ["motion", "motion"],
  ["motioner", "motion"],
  ["medborgarforslag", "medborgarforslag"],
  ["interpellation", "interpellation"],
  ["interpellationer", "interpellation"],
  ["remiss", "external_referral"],
  ["remisser", "external_referral"],
  ["ovrigt", "other"],
  ["ovriga", "other"],
]);
const OPEN_WORDS = new Set(["oppna", "oppen", "pagaende"]);
const FINISHED_WORDS = new Set(["avslutade", "avslutad", "stangda"]);
/** Longest words typed; a query longer than this is no search. */
export const MAX_SEARCH_CHARACTERS = 200;

export function parseSearchQuery(text: string): SearchParse {
  const trimmed = text.trim();
  if (trimmed.length > MAX_SEARCH_CHARACTERS) {
    return failure(SEARCH_ERRORS.tooLong, { max: MAX_SEARCH_CHARACTERS });
  }
  const query: SearchQuery = { words: "" };
  const words: string[] = [];
  // A filter's value may be quoted ("organ:"Bromma stadsdelsnämnd""); anything else is one word.
  for (const match of trimmed.matchAll(/([\p{L}]+):(?:"([^"]*)"?|(\S*))|(\S+)/gu)) {
    const [, key, quoted, bare, word] = match;
    if (word !== undefined) {
      const folded = foldName(word);
      if (OPEN_WORDS.has(folded)) query.state = "open";
      else if (FINISHED_WORDS.has(folded)) query.state = "finished";
      else words.push(word);
      continue;
    }
    const value = (quoted ?? bare ?? "").trim();
    switch (foldName(key ?? "")) {
      case "typ": {
        const kind = KIND_WORDS.get(foldName(value));
        if (!kind) return failure(SEARCH_ERRORS.unknownKind, { word: value });
        query.kind = kind;
        break;
      }
      case "organ":
        if (value === "") return failure(SEARCH_ERRORS.emptyBody, {});
        query.body = value;
        break;
      case "ar": {
        const year = /^\d{4}$/.test(value) ? Number(value) : Number.NaN;
        if (!(year >= 1900 && year <= 2100)) return failure(SEARCH_ERRORS.invalidYear, { word: value });
        query.year = year;
        break;
      }
      default:
        // "Dnr:" or a time "kl:9" is a word like any other.
        words.push(match[0]);
    }
  }
  query.words = words.join(" ");
  const filtered = query.kind ?? query.body ?? query.year ?? query.state;
  if (query.words === "" && filtered === undefined) return failure(SEARCH_ERRORS.emptyQuery, {});
  return { ok: true, query };
}

function failure(code: SearchErrorCode, params: Record<string, unknown>): SearchParse {
  const error = Object.keys(params).length === 0 ? { code } : { code, params };
  return { ok: false, error: error as Coded<SearchErrorCode> };
}
