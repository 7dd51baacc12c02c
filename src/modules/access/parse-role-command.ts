import { closest, decodeSlackEntities } from "../shared/command-words.js";
import { ROLE_ERRORS, type RoleError } from "./errors.js";
import { ROLE_NAMES, type Role } from "./roles.js";

/**
 * Reads the words after `/arende roll`. Pure: the body is returned as typed and resolved against the
 * registry by the use case, which also decides whether the role needs one. Every error is a code whose
 * Swedish words (src/messages/sv.ts) say what was wrong and what to type instead.
 *
 *   ge|tilldela @namn roll [organ]
 *   ta|ta bort @namn roll [organ]
 *   lista [@namn | organ]
 *
 * The person must be picked with @ so that Slack sends the user id (`<@U123|anna>`): the command is
 * declared with `should_escape: true` in manifest.json. A plain "@anna" cannot be resolved.
 */

export type RoleListFilter = { userId: string } | { body: string } | null;

export type RoleCommand =
  | { type: "help" }
  | { type: "grant"; userId: string; role: Role; body: string | null }
  | { type: "revoke"; userId: string; role: Role; body: string | null }
  | { type: "list"; filter: RoleListFilter }
  | { type: "invalid"; error: RoleError };

export const GRANT_EXAMPLE = "`/arende roll ge @namn godkännare socialnämnden`";
export const REVOKE_EXAMPLE = "`/arende roll ta @namn godkännare socialnämnden`";

const VERBS = new Map<string, "grant" | "revoke" | "list">([
  ["ge", "grant"],
  ["tilldela", "grant"],
  ["ta", "revoke"],
  ["tabort", "revoke"],
  ["ta-bort", "revoke"],
  ["aterkalla", "revoke"],
  ["lista", "list"],
  ["visa", "list"],
]);

const HELP_WORDS = new Set(["hjalp", "help"]);

const ROLE_WORDS = new Map<string, Role>([
  ["registrator", "registrator"],
  ["registratorer", "registrator"],
  ["handlaggare", "handlaggare"],
  ["handlaggaren", "handlaggare"],
  ["godkannare", "godkannare"],
  ["godkannaren", "godkannare"],
  ["admin", "admin"],
  ["admins", "admin"],
  ["administrator", "admin"],
  ["administratorer", "admin"],
]);

/** Words people naturally put in: "ge @anna rollen godkännare för socialnämnden". */
const ROLE_FILLERS = new Set(["rollen", "roll", "som"]);
const BODY_FILLERS = new Set(["for", "i", "pa", "vid"]);

/** `<@U123|anna>` or `<@U123>` as Slack sends a picked user when the command escapes its text. */
const MENTION = /<@([UW][A-Z0-9]+)(?:\|[^>]*)?>/g;

/** A role as typed, any case, with or without å, ä, ö; null when it is not one. */
export function parseRoleWord(word: string): Role | null {
  return ROLE_WORDS.get(fold(word)) ?? null;
}

/** A Slack user id as typed in the terminal: `U012ABC`, or pasted from Slack as `<@U012ABC|anna>`. */
export function parseSlackUserId(text: string): string | null {
  const trimmed = text.trim();
  const mention = /^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$/.exec(trimmed);
  if (mention) return mention[1] ?? null;
  return /^[UW][A-Z0-9]{2,}$/.test(trimmed) ? trimmed : null;
}

export function parseRoleCommand(text: string): RoleCommand {
  const mentions: string[] = [];
  const decoded = decodeSlackEntities(text).replace(/[\u00a0\u2007\u202f]/g, " ");
  const withMarks = decoded.replace(MENTION, (_, id: string) => {
    mentions.push(id);
    return ` ${MARK} `;
  });
  const tokens = withMarks.split(/\s+/).filter((token) => token !== "");
  const [first, ...rest] = tokens;
  if (!first || HELP_WORDS.has(fold(first))) return { type: "help" };
  const verb = VERBS.get(fold(first));
  if (verb === "revoke" && fold(first) === "ta" && rest[0] && fold(rest[0]) === "bort") rest.shift();
  if (!verb) {
    const guess = closest(fold(first), [...VERBS.keys()], 2);
    return invalid({
      code: ROLE_ERRORS.unknownSubcommand,
      params: { word: echo(first), guess: guess === "aterkalla" ? "återkalla" : guess },
    });
  }
  return verb === "list" ? parseList(rest, mentions) : parseChange(verb, rest, mentions);
}

function parseList(tokens: string[], mentions: string[]): RoleCommand {
  const words = tokens.filter((token) => token !== MARK);
  const [userId, ...others] = mentions;
  if (others.length > 0) {
    return invalid({ code: ROLE_ERRORS.severalUsers, params: { verb: "lista", count: mentions.length } });
  }
  if (userId !== undefined) {
    if (words.length > 0) {
      return invalid({
        code: ROLE_ERRORS.unexpectedWords,
        params: { words: echo(words.join(" ")) },
      });
    }
    return { type: "list", filter: { userId } };
  }
  const unresolved = words.find((word) => word.startsWith("@"));
  if (unresolved) return unresolvedUser(unresolved, "lista");
  const body = bodyOf(words);
  return { type: "list", filter: body === null ? null : { body } };
}

function parseChange(verb: "grant" | "revoke", tokens: string[], mentions: string[]): RoleCommand {
  const typed = verb === "grant" ? "ge" : "ta";
  const words = tokens.filter((token) => token !== MARK);
  if (mentions.length > 1) {
    return invalid({ code: ROLE_ERRORS.severalUsers, params: { verb: typed, count: mentions.length } });
  }
  const [userId] = mentions;
  if (userId === undefined) {
    const unresolved = words.find((word) => word.startsWith("@"));
    if (unresolved) return unresolvedUser(unresolved, typed);
    return invalid({ code: ROLE_ERRORS.missingUser, params: { verb: typed } });
  }
  const rest = [...words];
  while (rest[0] !== undefined && ROLE_FILLERS.has(fold(rest[0]))) rest.shift();
  const [roleWord, ...bodyWords] = rest;
  if (roleWord === undefined) {
    return invalid({ code: ROLE_ERRORS.missingRole, params: { verb: typed } });
  }
  const role = parseRoleWord(roleWord);
  if (role === null) {
    const guess = closest(fold(roleWord), [...ROLE_WORDS.keys()], 3);
    return invalid({
      code: ROLE_ERRORS.unknownRole,
      params: {
        word: echo(roleWord),
        guess: guess ? ROLE_NAMES[ROLE_WORDS.get(guess) as Role].one : null,
        verb: typed,
      },
    });
  }
  return { type: verb, userId, role, body: bodyOf(bodyWords) };
}

/** The rest of the words as one body name: `Bromma stadsdelsnämnd` needs no quotes; `organ:` may lead. */
function bodyOf(words: string[]): string | null {
  const rest = [...words];
  while (rest.length > 1 && rest[0] !== undefined && BODY_FILLERS.has(fold(rest[0]))) rest.shift();
  const name = rest
    .join(" ")
    .replace(/^organ[:=]\s*/i, "")
    .replace(/^["“”„«»]+|["“”„«»]+$/g, "")
    .replace(/\s+/g, " ")
    .trim();
  return name === "" ? null : name;
}

function unresolvedUser(word: string, verb: "ge" | "ta" | "lista"): RoleCommand {
  return invalid({ code: ROLE_ERRORS.unresolvedUser, params: { word: echo(word), verb } });
}

function invalid(error: RoleError): RoleCommand {
  return { type: "invalid", error };
}

/** Stands for a picked user in the word list. */
const MARK = "\u0000user";

function fold(word: string): string {
  return word
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[.,;:!?]+$/, "");
}

function echo(text: string): string {
  const clean = text.replace(/[`*_~<>]/g, "");
  return clean.length > 40 ? `${clean.slice(0, 39)}…` : clean;
}
