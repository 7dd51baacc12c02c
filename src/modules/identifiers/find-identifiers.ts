/**
 * Finds case identifiers in free text (a Slack message) and in links (an e-diarium's case page), for
 * the "Visa ärendet" shortcut and link previews. Each candidate is read by parseIdentifier, so what is
 * found has the same key as what is typed in `/arende status`.
 *
 * A message holds more numbers than case numbers (dates, amounts, phone numbers, times), so a bare
 * number is taken only when it has the shape of a dnr that cannot be mistaken for those: a letter
 * prefix in capitals ("KS 2025/39", "T2012-050-05828"), a four-digit year as one of its parts
 * ("108-1642/2017", "2914-2011"), or three parts ("103-433-03"). A label ("Dnr", "Diarienr") makes any
 * dnr shape count. Dates written as dates ("2017-03-31") are never case numbers unless labelled.
 *
 * Pure: no I/O; the same text always gives the same identifiers, in the order they appear.
 */

import { type Identifier, parseIdentifier } from "./parse-identifier.js";

const DASHES = /[\u2010-\u2015\u2212\uFE58\uFE63\uFF0D]/gu;
const SPACES = /[\s\u00A0\u202F]+/gu;
const INVISIBLE = /[\u00AD\u200B-\u200D\u2060\uFEFF]/gu;

// The words of document series the registries use; the year and number after them must follow.
const SERIES_WORDS = [
  "medborgarförslag",
  "tjänsteutlåtande",
  "interpellation",
  "utlåtande",
  "skrivelse",
  "motion",
  "sou",
  "pm",
  "ds",
];
const SERIES = new RegExp(`(?<![\\p{L}\\d])(?:${SERIES_WORDS.join("|")}) ?\\d{4} ?: ?\\d+(?![\\d:])`, "giu");

const LABEL = "(?:diarienummer|diarienr|dnr)\\.?\\s?:?\\s?";
// Up to two letter prefixes (KS, SDN, T), each followed by a separator or glued to the digits.
const PREFIX = "(?:\\p{L}{1,5}(?:[ /-]|(?=\\d))){0,2}";
const LABELLED_DNR = new RegExp(`(?<![\\p{L}\\d])${LABEL}(${PREFIX}(?:\\d+(?:[-/.]\\d+)+))`, "giu");
// Unlabelled, a prefix is in capitals, and one letter alone must be glued on ("T2012-…", "K/…"):
// "I 2017/18" is a sentence, not a dnr of registry I.
const CAPITAL_PREFIX = "(?:\\p{Lu}{2,5} |\\p{Lu}{1,5}[/-]|\\p{Lu}{1,5}(?=\\d)){0,2}";
const BARE_DNR = new RegExp(`(?<![\\p{L}\\d/.-])(${CAPITAL_PREFIX}\\d+(?:[-/.]\\d+)+)(?![\\p{L}\\d])`, "gu");
const BARE_DNR_WHOLE = new RegExp(`^${CAPITAL_PREFIX}\\d+(?:[-/.]\\d+)+$`, "u");
const ISO_DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/u;
// Slack writes links as <https://…|label> and <https://…>.
const SLACK_LINK = /<(https?:\/\/[^|>\s]+)(?:\|[^>]*)?>/giu;
const PLAIN_LINK = /https?:\/\/[^\s<>|]+/giu;

type Found = { at: number; identifier: Identifier };

/** The identifiers in `text`, in order of appearance, each once (by key). Links in it are read too. */
export function findIdentifiersInText(text: string): Identifier[] {
  const found: Found[] = [];
  const withoutLinks = text.replace(SLACK_LINK, (whole, url: string, offset: number) => {
    for (const identifier of findIdentifiersInUrl(url)) found.push({ at: offset, identifier });
    return " ".repeat(whole.length);
  });
  const plain = withoutLinks.replace(PLAIN_LINK, (whole, offset: number) => {
    for (const identifier of findIdentifiersInUrl(whole)) found.push({ at: offset, identifier });
    return " ".repeat(whole.length);
  });
  found.push(...scan(clean(plain)));
  return unique(found.sort((a, b) => a.at - b.at).map((entry) => entry.identifier));
}

/**
 * The identifiers a link carries: in its query values (`?dnr=KS%202017%2F0123`), its path
 * (`/arende/108-1642%2F2017`) or its fragment, URL-decoded. Not a link: nothing.
 */
export function findIdentifiersInUrl(link: string): Identifier[] {
  let url: URL;
  try {
    url = new URL(link);
  } catch {
    return [];
  }
  const pieces: string[] = [];
  for (const value of url.searchParams.values()) pieces.push(value);
  // Each path segment alone (an encoded "/" stays inside it) …
  const segments = url.pathname.split("/").filter(Boolean).map(decoded);
  pieces.push(...segments);
  if (url.hash.length > 1) pieces.push(decoded(url.hash.slice(1)));
  const found = pieces.flatMap((piece) => scan(clean(piece)).map((entry) => entry.identifier));
  // … and runs of two or three segments that are one dnr whole, for registries that leave its own
  // slashes unencoded ("/arende/108-1642/2017").
  for (let start = 0; start < segments.length; start += 1) {
    for (const length of [2, 3]) {
      if (start + length > segments.length) break;
      const span = clean(segments.slice(start, start + length).join("/"));
      const identifier = BARE_DNR_WHOLE.test(span) ? accepted(span, false) : null;
      if (identifier) found.push(identifier);
    }
  }
  return unique(found);
}

function decoded(component: string): string {
  try {
    return decodeURIComponent(component.replace(/\+/g, " "));
  } catch {
    return component;
  }
}

function clean(text: string): string {
  return text.replace(INVISIBLE, "").replace(DASHES, "-").replace(SPACES, " ");
}

function scan(text: string): Found[] {
  const found: Found[] = [];
  const taken: Array<[number, number]> = [];
  const free = (start: number, end: number) => taken.every(([from, to]) => end <= from || start >= to);
  const take = (start: number, candidate: string, labelled: boolean) => {
    const end = start + candidate.length;
    if (!free(start, end)) return;
    const identifier = accepted(candidate, labelled);
    if (!identifier) return;
    taken.push([start, end]);
    found.push({ at: start, identifier });
  };
  for (const match of text.matchAll(SERIES)) take(match.index, match[0], true);
  for (const match of text.matchAll(LABELLED_DNR)) {
    const candidate = match[1] as string;
    take(match.index + match[0].length - candidate.length, candidate, true);
  }
  for (const match of text.matchAll(BARE_DNR)) take(match.index, match[1] as string, false);
  return found;
}

function accepted(candidate: string, labelled: boolean): Identifier | null {
  const trimmed = candidate.replace(/[ /-]+$/u, "");
  const parsed = parseIdentifier(trimmed);
  if (!parsed.ok) return null;
  const { identifier } = parsed;
  if (identifier.type === "series" || labelled) return identifier;
  if (ISO_DATE.test(trimmed) || isYearRange(trimmed)) return null;
  const hasPrefix = /^\p{L}/u.test(trimmed);
  const parts = trimmed.split(/[-/]/u).filter(Boolean);
  const hasYear = parts.some((part) => /^(19|20)\d{2}$/u.test(part));
  return hasPrefix || hasYear || parts.length >= 3 ? identifier : null;
}

/** "2017/18", "2019-20": a budget or school year, not a case. */
function isYearRange(text: string): boolean {
  const match = /^((?:19|20)\d{2})[-/](\d{2})$/u.exec(text);
  return match !== null && (Number(match[1]) + 1) % 100 === Number(match[2]);
}

function unique(identifiers: Identifier[]): Identifier[] {
  const seen = new Set<string>();
  return identifiers.filter((identifier) => {
    const key = `${identifier.type}:${identifier.key}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
