import type { CaseKind } from "../cases/case-details.js";
import type { IsoWeekday } from "../shared/calendar.js";
import { closest, decodeSlackEntities } from "../shared/command-words.js";
import { swedishWeekday } from "../shared/swedish-time.js";
import { DIGEST_ERRORS, type DigestError } from "./errors.js";

/**
 * Reads the words after `/arende digest`. Pure: bodies are returned as typed and resolved against the
 * registry by the use case. Every error is a code whose Swedish words (src/messages/sv.ts) say what
 * was wrong and what to type instead.
 *
 *   prenumerera [veckodag] [HH:MM] [ärendeslag …] [organ:namn …] [utan-tomma]
 *   inställningar | avsluta | visa
 */

/** ISO weekday: 1 Monday … 7 Sunday. */
export type Weekday = IsoWeekday;

export type DigestSettingsInput = {
  weekday: Weekday;
  /** "HH:MM", Stockholm wall-clock time. */
  time: string;
  /** Null means every kind. */
  caseKinds: CaseKind[] | null;
  /** Responsible bodies by code or name, as typed; null means all. */
  bodies: string[] | null;
  postWhenEmpty: boolean;
};

export const DEFAULT_DIGEST_SETTINGS: DigestSettingsInput = {
  weekday: 1,
  time: "08:00",
  caseKinds: null,
  bodies: null,
  postWhenEmpty: true,
};

export type DigestCommand =
  | { type: "help" }
  | { type: "subscribe"; settings: DigestSettingsInput }
  | { type: "settings" }
  | { type: "unsubscribe" }
  | { type: "preview" }
  | { type: "invalid"; error: DigestError };

/**
 * "Remisser" in a filter means referral deadlines on any case: a remiss answer is late whichever kind
 * of case it belongs to. The subscription stores it among the case kinds as `external_referral`, the
 * one kind that is itself a remiss; the digest builder reads it as "remiss answers due".
 */
export const REMISS_FILTER_KIND: CaseKind = "external_referral";

/** The filter words, in the order help and the settings card name them. */
export const KIND_FILTER_WORDS: readonly { kind: CaseKind; word: string }[] = [
  { kind: "motion", word: "motioner" },
  { kind: "medborgarforslag", word: "medborgarförslag" },
  { kind: "skrivelse", word: "skrivelser" },
  { kind: "interpellation", word: "interpellationer" },
  { kind: REMISS_FILTER_KIND, word: "remisser" },
];

/** The word that turns off the short "nothing is late" message, and the one that turns it back on. */
export const SKIP_EMPTY_WORD = "utan-tomma";
export const POST_EMPTY_WORD = "med-tomma";

export const WEEKDAY_NAMES: Record<Weekday, string> = {
  1: swedishWeekday(1),
  2: swedishWeekday(2),
  3: swedishWeekday(3),
  4: swedishWeekday(4),
  5: swedishWeekday(5),
  6: swedishWeekday(6),
  7: swedishWeekday(7),
};

const SUBCOMMANDS = {
  prenumerera: "subscribe",
  installningar: "settings",
  avsluta: "unsubscribe",
  visa: "preview",
} as const;

const HELP_WORDS = new Set(["hjalp", "help"]);

const WEEKDAY_WORDS = new Map<string, Weekday>();
for (const [number, name] of Object.entries(WEEKDAY_NAMES)) {
  const weekday = Number(number) as Weekday;
  const folded = fold(name);
  for (const word of [folded, `${folded}ar`, folded.slice(0, 3)]) WEEKDAY_WORDS.set(word, weekday);
}
WEEKDAY_WORDS.set("tors", 4);

const KIND_WORDS = new Map<string, CaseKind>([
  ["skrivelse", "skrivelse"],
  ["skrivelser", "skrivelse"],
  ["motion", "motion"],
  ["motioner", "motion"],
  ["medborgarforslag", "medborgarforslag"],
  ["interpellation", "interpellation"],
  ["interpellationer", "interpellation"],
  ["remiss", REMISS_FILTER_KIND],
  ["remisser", REMISS_FILTER_KIND],
]);

const SKIP_EMPTY_WORDS = new Set(["utan-tomma", "utantomma", "tyst"]);
const POST_EMPTY_WORDS = new Set(["med-tomma", "medtomma"]);
/** Words people naturally put in between: "varje tisdag kl. 9.30, motioner och skrivelser". */
const FILLER_WORDS = new Set(["kl", "klockan", "varje", "och", "samt"]);

export function parseDigestCommand(text: string): DigestCommand {
  const tokenized = tokenize(decodeSlackEntities(text));
  if (!tokenized.ok) return invalid({ code: DIGEST_ERRORS.unclosedQuote, params: { near: tokenized.near } });
  const [first, ...rest] = tokenized.tokens;
  if (!first) return { type: "help" };
  const word = fold(first.text.replaceAll(COMMA, ","));
  if (word === "" || HELP_WORDS.has(word)) return { type: "help" };
  const subcommand = SUBCOMMANDS[word as keyof typeof SUBCOMMANDS];
  if (!subcommand) {
    const close = closest(word, Object.keys(SUBCOMMANDS), 3);
    return invalid({
      code: DIGEST_ERRORS.unknownSubcommand,
      params: { word: echo(first.text), guess: close ? displaySubcommand(close) : null },
    });
  }
  if (subcommand === "subscribe") return parseSubscription(rest);
  if (rest.length > 0) {
    return invalid({
      code: DIGEST_ERRORS.unexpectedWords,
      params: { subcommand: displaySubcommand(word), words: echo(rest.map((token) => token.text).join(" ")) },
    });
  }
  return { type: subcommand };
}

function parseSubscription(tokens: Token[]): DigestCommand {
  let weekday: Weekday | null = null;
  let time: string | null = null;
  let postWhenEmpty: boolean | null = null;
  const kinds: CaseKind[] = [];
  const bodies: string[] = [];
  let previousWasBody = false;

  for (const token of words(tokens)) {
    const afterBody = previousWasBody;
    previousWasBody = false;

    const body = BODY_PREFIX.exec(token.text);
    if (body) {
      const names = token.text
        .slice(body[0].length)
        .split(COMMA)
        .map((name) => name.replace(/\s+/g, " ").trim())
        .filter(Boolean);
      if (names.length === 0) {
        return invalid({ code: DIGEST_ERRORS.emptyBody });
      }
      for (const name of names) {
        if (!bodies.some((known) => fold(known) === fold(name))) bodies.push(name);
      }
      previousWasBody = true;
      continue;
    }

    const raw = token.text.trim();
    if (raw === "") continue;
    const folded = fold(raw);
    if (FILLER_WORDS.has(folded)) continue;

    const clock = readTime(raw);
    if (clock.type === "time") {
      if (time !== null && time !== clock.time) {
        return invalid({ code: DIGEST_ERRORS.duplicateTime, params: { first: time, second: clock.time } });
      }
      time = clock.time;
      continue;
    }
    if (clock.type === "invalid") {
      return invalid({ code: DIGEST_ERRORS.invalidTime, params: { word: echo(raw) } });
    }

    const day = WEEKDAY_WORDS.get(folded);
    if (day !== undefined) {
      if (weekday !== null && weekday !== day) {
        return invalid({
          code: DIGEST_ERRORS.duplicateWeekday,
          params: { first: WEEKDAY_NAMES[weekday], second: WEEKDAY_NAMES[day] },
        });
      }
      weekday = day;
      continue;
    }

    const kind = KIND_WORDS.get(folded);
    if (kind !== undefined) {
      if (!kinds.includes(kind)) kinds.push(kind);
      continue;
    }

    if (SKIP_EMPTY_WORDS.has(folded) || POST_EMPTY_WORDS.has(folded)) {
      const wanted = POST_EMPTY_WORDS.has(folded);
      if (postWhenEmpty !== null && postWhenEmpty !== wanted) {
        return invalid({
          code: DIGEST_ERRORS.conflictingEmptySetting,
          params: { skip: SKIP_EMPTY_WORD, post: POST_EMPTY_WORD },
        });
      }
      postWhenEmpty = wanted;
      continue;
    }

    if (looksLikeWeekday(folded)) {
      const guess = closest(folded, Object.values(WEEKDAY_NAMES).map(fold), 2);
      return invalid({
        code: DIGEST_ERRORS.invalidWeekday,
        params: { word: echo(raw), guess: guess ? nameOfFoldedWeekday(guess) : null },
      });
    }

    return invalid({
      code: DIGEST_ERRORS.unknownWord,
      params: { word: echo(raw), guess: afterBody ? null : suggestionFor(folded), afterBody },
    });
  }

  return {
    type: "subscribe",
    settings: {
      weekday: weekday ?? DEFAULT_DIGEST_SETTINGS.weekday,
      time: time ?? DEFAULT_DIGEST_SETTINGS.time,
      caseKinds: kinds.length > 0 ? orderKinds(kinds) : null,
      bodies: bodies.length > 0 ? bodies : null,
      postWhenEmpty: postWhenEmpty ?? DEFAULT_DIGEST_SETTINGS.postWhenEmpty,
    },
  };
}

const BODY_PREFIX = /^organ[:=]/i;

/**
 * `organ: namn` (a space after the colon) is read as `organ:namn`, and `utan tomma` as `utan-tomma`;
 * other words are split at commas, so "motioner,skrivelser" reads as two.
 */
function words(tokens: Token[]): Token[] {
  const result: Token[] = [];
  for (let index = 0; index < tokens.length; index += 1) {
    const token = tokens[index] as Token;
    const prefix = BODY_PREFIX.exec(token.text);
    if (prefix) {
      const next = tokens[index + 1];
      if (token.text === prefix[0] && !token.quoted && next && !BODY_PREFIX.test(next.text)) {
        result.push({ text: `${prefix[0]}${next.text}`, quoted: next.quoted });
        index += 1;
      } else {
        result.push(token);
      }
      continue;
    }
    const next = tokens[index + 1];
    if (next && ["utan", "med"].includes(fold(token.text)) && fold(next.text) === "tomma") {
      result.push({ text: `${fold(token.text)}-tomma`, quoted: false });
      index += 1;
      continue;
    }
    for (const part of token.text.split(COMMA)) {
      if (part !== "") result.push({ text: part, quoted: token.quoted });
    }
  }
  return result;
}

function orderKinds(kinds: CaseKind[]): CaseKind[] {
  const order = KIND_FILTER_WORDS.map((entry) => entry.kind);
  return [...kinds].sort((a, b) => order.indexOf(a) - order.indexOf(b));
}

type TimeReading = { type: "time"; time: string } | { type: "invalid" } | { type: "not_a_time" };

/** "08:00", "8:00", "8.00", "kl.8.00"; anything made of digits and a separator that is not a time is invalid. */
function readTime(word: string): TimeReading {
  const text = word.replace(/^kl(ockan)?\.?(?=\d)/i, "").replace(/\.$/, "");
  if (!/^\d/.test(text)) return { type: "not_a_time" };
  const match = /^(\d{1,2})[:.](\d{2})$/.exec(text);
  if (match) {
    const hours = Number(match[1]);
    const minutes = Number(match[2]);
    if (hours <= 23 && minutes <= 59) {
      return { type: "time", time: `${String(hours).padStart(2, "0")}:${match[2]}` };
    }
    return { type: "invalid" };
  }
  return /^[\d:.]+$/.test(text) ? { type: "invalid" } : { type: "not_a_time" };
}

function looksLikeWeekday(folded: string): boolean {
  if (/dag(ar)?$/.test(folded)) return true;
  return folded.length >= 4 && closest(folded, Object.values(WEEKDAY_NAMES).map(fold), 2) !== null;
}

function nameOfFoldedWeekday(folded: string): string {
  return Object.values(WEEKDAY_NAMES).find((name) => fold(name) === folded) ?? folded;
}

/** The known word closest to what was typed, or null. */
function suggestionFor(folded: string): string | null {
  const known = [
    ...KIND_FILTER_WORDS.map((entry) => entry.word),
    SKIP_EMPTY_WORD,
    POST_EMPTY_WORD,
    ...Object.values(WEEKDAY_NAMES),
  ];
  const guess = closest(
    folded,
    known.map((word) => fold(word)),
    2,
  );
  if (!guess) return null;
  return known.find((candidate) => fold(candidate) === guess) ?? guess;
}

function displaySubcommand(folded: string): string {
  return folded === "installningar" ? "inställningar" : folded;
}

function invalid(error: DigestError): DigestCommand {
  return { type: "invalid", error };
}

// ---------------------------------------------------------------------------------------------
// Words

/** Lower case, without å, ä, ö or accents, without trailing punctuation: what people type on any keyboard. */
export function fold(word: string): string {
  return word
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[.,;:!?]+$/, "");
}

/** User input echoed back: short, and unable to break the message's formatting. */
function echo(text: string): string {
  const clean = text.replaceAll(COMMA, ",").replace(/[`*_~]/g, "");
  return clean.length > 40 ? `${clean.slice(0, 39)}…` : clean;
}

// ---------------------------------------------------------------------------------------------
// Tokens

type Token = { text: string; quoted: boolean };

/** Stands for a comma outside quotes, so `organ:a,b` splits and `organ:"Kultur, fritid"` does not. */
const COMMA = "\u0000";

const QUOTES: Record<string, string> = { '"': '"', "“": "”", "”": "”", "„": "“", "«": "»", "»": "»" };

/** Splits on white space, keeping quoted stretches ("…", “…”, „…“, «…») together with what they touch. */
function tokenize(text: string): { ok: true; tokens: Token[] } | { ok: false; near: string } {
  const tokens: Token[] = [];
  const normalized = text.replace(/[\u00a0\u2007\u202f]/g, " ");
  let current = "";
  let quoted = false;
  let started = false;
  for (let index = 0; index < normalized.length; index += 1) {
    const char = normalized[index] as string;
    const close = QUOTES[char];
    if (close !== undefined) {
      const end = findClosingQuote(normalized, index + 1, close);
      if (end === -1) {
        return {
          ok: false,
          near: echo(normalized.slice(Math.max(0, index - 6))),
        };
      }
      current += normalized.slice(index + 1, end);
      quoted = true;
      started = true;
      index = end;
      continue;
    }
    if (/\s/.test(char)) {
      if (started) tokens.push({ text: current, quoted });
      current = "";
      quoted = false;
      started = false;
      continue;
    }
    current += char === "," ? COMMA : char;
    started = true;
  }
  if (started) tokens.push({ text: current, quoted });
  return { ok: true, tokens };
}

function findClosingQuote(text: string, from: number, close: string): number {
  for (let index = from; index < text.length; index += 1) {
    const char = text[index] as string;
    if (char === close || char === '"' || char === "”" || char === "“") return index;
  }
  return -1;
}
