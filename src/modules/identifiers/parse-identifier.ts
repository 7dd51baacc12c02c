/**
 * Reads the case identifiers officials type into Slack: registry numbers (diarienummer, "dnr")
 * such as "Dnr 108-1642/2017" and document series numbers such as "Motion 2016:114".
 *
 * Pure on purpose: no clock, no locale, no I/O, so the same text always gives the same key and
 * keys stored years ago still match what is typed today.
 */

import { IDENTIFIER_ERRORS, type IdentifierParseError } from "./errors.js";

export type { IdentifierParseError };

export type Identifier =
  | { type: "dnr"; display: string; key: string; year: number | null; serial: number | null }
  | {
      type: "series";
      display: string;
      key: string;
      series: string;
      year: number;
      number: number;
      suffix: string | null;
    };

export type ParseResult = { ok: true; identifier: Identifier } | { ok: false; error: IdentifierParseError };

type DnrIdentifier = Extract<Identifier, { type: "dnr" }>;
type SeriesIdentifier = Extract<Identifier, { type: "series" }>;

/** Examples shown to users in the Swedish help and error messages. */
export const ACCEPTED_FORMS: readonly string[] = Object.freeze([
  "Dnr 108-1642/2017",
  "KS 2025/39",
  "Motion 2016:114",
  "PM 2017:95",
]);

export function parseIdentifier(input: string): ParseResult {
  const typed = normaliseTypedText(input);
  const candidate = stripDnrLabel(typed);
  if (candidate === "") {
    return { ok: false, error: emptyError() };
  }
  const identifier = readSeries(candidate) ?? readDnr(candidate);
  if (identifier === null) {
    return { ok: false, error: unrecognisedError(typed) };
  }
  return { ok: true, identifier };
}

/** Normalises a dnr for storage; same key as parseIdentifier gives. Returns null if it is not a dnr. */
export function dnrKey(display: string): string | null {
  return readDnr(stripDnrLabel(normaliseTypedText(display)))?.key ?? null;
}

/** Key for a document series number such as "PM 2017:95 RVI+VIII" -> "pm 2017:95". Null if not one. */
export function seriesKey(display: string): string | null {
  return readSeries(stripDnrLabel(normaliseTypedText(display)))?.key ?? null;
}

// ---------------------------------------------------------------------------------------------
// Cleaning what was typed

// Word processors and phones turn "-" into these, and registries copy-pasted from PDFs carry them.
const UNICODE_DASHES = /[\u2010-\u2015\u2212\uFE58\uFE63\uFF0D]/gu;
const UNICODE_SLASHES = /[\u2044\u2215\uFF0F]/gu;
const UNICODE_COLONS = /[\uFF1A]/gu;
// Not matched by \s, yet invisible in Slack; they would otherwise make a correct number fail.
const INVISIBLE_CHARACTERS = /[\u00AD\u200B-\u200D\u2060\uFEFF]/gu;
const CONTROL_CHARACTERS = /\p{Cc}/gu;
// Slack's bold, italic, code and strike markers; none of them occurs in a real identifier.
const SLACK_FORMATTING = /[*_`~]/gu;
const LEADING_WRAPPERS = /^["'«»“”‘’„([]+/u;
const TRAILING_WRAPPERS = /["'«»“”‘’„)\].,;:!?]+$/u;
// The lookahead keeps words that merely start with these letters (e.g. "Dnrx") from being cut.
const DNR_LABEL = /^(?:diarienummer|diarienr|dnr)(?!\p{L})\.?\s*:?\s*/iu;

/** The text as the user meant it: one kind of dash and space, no Slack formatting. */
function normaliseTypedText(input: string): string {
  return input
    .replace(INVISIBLE_CHARACTERS, "")
    .replace(UNICODE_DASHES, "-")
    .replace(UNICODE_SLASHES, "/")
    .replace(UNICODE_COLONS, ":")
    .replace(/\s+/gu, " ")
    .replace(CONTROL_CHARACTERS, "")
    .replace(SLACK_FORMATTING, "")
    .trim();
}

function stripWrappers(text: string): string {
  return text.replace(LEADING_WRAPPERS, "").replace(TRAILING_WRAPPERS, "").trim();
}

/** Removes a leading "Dnr"/"Diarienr"/"Diarienummer" label and surrounding quotes or punctuation. */
function stripDnrLabel(text: string): string {
  return stripWrappers(stripWrappers(text).replace(DNR_LABEL, ""));
}

// ---------------------------------------------------------------------------------------------
// Document series numbers: "Motion 2016:114", "PM 2017:95 RVI+VIII"

const SERIES_PATTERN = /^(\p{L}{2,}) ?(\d{4}) ?: ?(\d+)(?: (.+))?$/u;
const SERIES_SUFFIX_PATTERN = /^[\p{L}\d+&,./ -]+$/u;

// How the registries write the series words we know; users type them in any case.
const SERIES_WORD_SPELLING: Readonly<Record<string, string>> = {
  motion: "Motion",
  pm: "PM",
  utlåtande: "Utlåtande",
  skrivelse: "Skrivelse",
  interpellation: "Interpellation",
  medborgarförslag: "Medborgarförslag",
  tjänsteutlåtande: "Tjänsteutlåtande",
  sou: "SOU",
  ds: "Ds",
};
// Unknown words this short are almost always abbreviations (KS, SN), written in capitals.
const MAX_ABBREVIATION_LENGTH = 3;

function readSeries(text: string): SeriesIdentifier | null {
  const match = SERIES_PATTERN.exec(text);
  if (match === null) {
    return null;
  }
  const [, word = "", yearText = "", numberText = "", suffixText] = match;
  const suffix = suffixText === undefined ? null : suffixText.trim().toUpperCase();
  if (suffix !== null && !SERIES_SUFFIX_PATTERN.test(suffix)) {
    return null;
  }
  const series = word.toLowerCase();
  const year = Number(yearText);
  const number = Number(numberText);
  if (!Number.isSafeInteger(number)) {
    return null;
  }
  const written = `${seriesWordSpelling(word)} ${yearText}:${numberText}`;
  return {
    type: "series",
    display: suffix === null ? written : `${written} ${suffix}`,
    // The suffix (rotel codes such as "RVI+VIII") is left out so that "PM 2017:95" finds the memo
    // however its rotlar were written.
    key: `${series} ${year}:${number}`,
    series,
    year,
    number,
    suffix,
  };
}

function seriesWordSpelling(word: string): string {
  const lower = word.toLowerCase();
  const known = SERIES_WORD_SPELLING[lower];
  if (known !== undefined) {
    return known;
  }
  if (word.length <= MAX_ABBREVIATION_LENGTH) {
    return word.toUpperCase();
  }
  return lower.charAt(0).toUpperCase() + lower.slice(1);
}

// ---------------------------------------------------------------------------------------------
// Registry numbers (dnr): "108-1642/2017", "KS 2025/39", "T2012-050-05828", "1.5.3-219-2012"

type DnrToken =
  | { kind: "letters"; text: string }
  | { kind: "digits"; text: string }
  | { kind: "separator"; text: string };

/** A run of digit groups joined by dots, between the separators "-", "/" and " ". */
type NumberSegment = { separatorBefore: string | null; digitGroups: string[] };

const DNR_TOKEN = /(\p{L}+)|(\d+)|( ?[-/.] ?| )/gu;
// Longer letter runs are words ("hello 2017/3"), not registry prefixes such as KS, T or SDN.
const MAX_PREFIX_LETTERS = 5;
const MAX_PREFIXES = 2;
// Fixed rather than taken from today's date, so a key never changes with the day it is computed.
const EARLIEST_YEAR = 1900;
const LATEST_YEAR = 2099;
// Two-digit years: 00–69 are this century, 70–99 the last one. Computerised registries that
// wrote two-digit years started in the 1970s; fixed so the result never depends on today.
const TWO_DIGIT_YEAR_PIVOT = 70;

function readDnr(text: string): DnrIdentifier | null {
  const tokens = tokeniseDnr(text);
  if (tokens === null || !hasDnrStructure(tokens)) {
    return null;
  }
  const segments = numberSegments(tokens);
  // A lone number ("123", "2017") or a dotted one ("1.5.3") is too ambiguous to be a dnr; a
  // letter prefix glued to digits ("T2012") marks one even without a second number.
  if (segments.length < 2 && !hasGluedPrefix(tokens)) {
    return null;
  }
  const { year, serial } = readYearAndSerial(segments);
  return { type: "dnr", display: dnrDisplay(tokens), key: dnrKeyFromTokens(tokens), year, serial };
}

/** Splits into letters, digits and separators; null if anything else is in the text. */
function tokeniseDnr(text: string): DnrToken[] | null {
  const tokens: DnrToken[] = [];
  let position = 0;
  for (const match of text.matchAll(DNR_TOKEN)) {
    if (match.index !== position) {
      return null;
    }
    const [whole, letters, digits] = match;
    position += whole.length;
    if (letters !== undefined) {
      tokens.push({ kind: "letters", text: letters });
    } else if (digits !== undefined) {
      tokens.push({ kind: "digits", text: digits });
    } else {
      tokens.push({ kind: "separator", text: whole.trim() || " " });
    }
  }
  return position === text.length ? tokens : null;
}

/** Letter prefixes first, then digit groups, with single separators between them. */
function hasDnrStructure(tokens: readonly DnrToken[]): boolean {
  const first = tokens[0];
  const last = tokens.at(-1);
  if (first === undefined || first.kind === "separator" || last?.kind === "separator") {
    return false;
  }
  let seenDigits = false;
  let prefixCount = 0;
  for (const [index, token] of tokens.entries()) {
    if (token.kind === "separator" && tokens[index - 1]?.kind === "separator") {
      return false;
    }
    if (token.kind === "digits") {
      seenDigits = true;
    }
    if (token.kind === "letters") {
      prefixCount += 1;
      if (seenDigits || token.text.length > MAX_PREFIX_LETTERS || prefixCount > MAX_PREFIXES) {
        return false;
      }
    }
  }
  return seenDigits;
}

function hasGluedPrefix(tokens: readonly DnrToken[]): boolean {
  return tokens.some((token, index) => token.kind === "letters" && tokens[index + 1]?.kind === "digits");
}

/** Groups digits into segments: "-", "/" and " " start a new one, "." continues it ("742.912"). */
function numberSegments(tokens: readonly DnrToken[]): NumberSegment[] {
  const segments: NumberSegment[] = [];
  let current: NumberSegment | null = null;
  let separatorBefore: string | null = null;
  for (const token of tokens) {
    if (token.kind === "separator" && token.text !== ".") {
      current = null;
      separatorBefore = token.text;
    } else if (token.kind === "digits") {
      if (current === null) {
        current = { separatorBefore, digitGroups: [] };
        segments.push(current);
      }
      current.digitGroups.push(token.text);
    }
  }
  return segments;
}

/**
 * Registries put the year first ("KS 2025/39", "T2012-050-05828") or last ("108-1642/2017",
 * "1.5.3-219-2012"); the serial is the nearest plain number on the other side of the year.
 * Anything the shape does not make clear is left null rather than guessed.
 */
function readYearAndSerial(segments: readonly NumberSegment[]): {
  year: number | null;
  serial: number | null;
} {
  const first = segments[0];
  const last = segments.at(-1);
  if (first === undefined || last === undefined) {
    return { year: null, serial: null };
  }
  const beforeLast = segments.slice(0, -1);
  // "/year" at the end is the Stockholm class-serial/year form, even if the first number could
  // also be a year.
  if (fourDigitYear(last) !== null && last.separatorBefore === "/") {
    return { year: fourDigitYear(last), serial: serialFrom(beforeLast) };
  }
  if (fourDigitYear(first) !== null) {
    return { year: fourDigitYear(first), serial: serialFrom(segments.slice(1)) };
  }
  if (fourDigitYear(last) !== null) {
    return { year: fourDigitYear(last), serial: serialFrom(beforeLast) };
  }
  // Only with class and serial in front ("103-433-03"); "433-03" alone could be anything.
  if (segments.length >= 3 && twoDigitYear(last) !== null) {
    return { year: twoDigitYear(last), serial: serialFrom(beforeLast) };
  }
  return { year: null, serial: null };
}

function plainNumber(segment: NumberSegment): string | null {
  const [only, ...rest] = segment.digitGroups;
  return only !== undefined && rest.length === 0 ? only : null;
}

function fourDigitYear(segment: NumberSegment): number | null {
  const digits = plainNumber(segment);
  if (digits === null || digits.length !== 4) {
    return null;
  }
  const year = Number(digits);
  return year >= EARLIEST_YEAR && year <= LATEST_YEAR ? year : null;
}

function twoDigitYear(segment: NumberSegment): number | null {
  const digits = plainNumber(segment);
  if (digits === null || digits.length !== 2) {
    return null;
  }
  const year = Number(digits);
  return year < TWO_DIGIT_YEAR_PIVOT ? 2000 + year : 1900 + year;
}

/**
 * The last plain number ("05828" in "2012-050-05828"); failing that, the head of a dotted number
 * ("742" in "742.912"). One-digit heads ("1.2.4") are classification codes, not serials.
 */
function serialFrom(segments: readonly NumberSegment[]): number | null {
  const plain = segments.map(plainNumber).filter((digits) => digits !== null);
  const lastPlain = plain.at(-1);
  if (lastPlain !== undefined) {
    return safeNumber(lastPlain);
  }
  const dottedHead = segments.map((segment) => segment.digitGroups[0] ?? "").find((head) => head.length >= 2);
  return dottedHead === undefined ? null : safeNumber(dottedHead);
}

function safeNumber(digits: string): number | null {
  const value = Number(digits);
  return Number.isSafeInteger(value) ? value : null;
}

function dnrDisplay(tokens: readonly DnrToken[]): string {
  return tokens.map((token) => (token.kind === "letters" ? token.text.toUpperCase() : token.text)).join("");
}

/**
 * Registries and users write the same dnr with different separators ("KS 2025/39", "KS/2025/39",
 * "KS-2025/39") and different zero padding ("2016-000003", "2016-3"), and registries compare
 * serials as numbers. So the key keeps only the letters and the numbers, in order: two spellings
 * of one dnr meet, while different class or serial parts still stay apart.
 */
function dnrKeyFromTokens(tokens: readonly DnrToken[]): string {
  return tokens
    .filter((token) => token.kind !== "separator")
    .map((token) => (token.kind === "letters" ? token.text.toUpperCase() : withoutLeadingZeros(token.text)))
    .join("-");
}

function withoutLeadingZeros(digits: string): string {
  return digits.replace(/^0+(?=\d)/u, "");
}

// ---------------------------------------------------------------------------------------------
// Errors (worded in src/messages/sv.ts)

// Long pastes would drown the message; the start is enough to recognise what was typed.
const MAX_QUOTED_LENGTH = 40;

function emptyError(): IdentifierParseError {
  return { code: IDENTIFIER_ERRORS.empty };
}

function unrecognisedError(typed: string): IdentifierParseError {
  return { code: IDENTIFIER_ERRORS.unrecognised, params: { typed: shortened(typed) } };
}

function shortened(text: string): string {
  // Counted in code points so an emoji is never cut in half.
  const characters = Array.from(text);
  return characters.length <= MAX_QUOTED_LENGTH
    ? text
    : `${characters.slice(0, MAX_QUOTED_LENGTH - 1).join("")}…`;
}
