import type { Coded } from "../../messages/sv.js";

/**
 * Stable error codes of the weekly digest's commands: the use cases' refusals and lookups, and the
 * parser's complaints about what was typed (`digests.command.*`). Worded by the catalogue
 * (src/messages/sv.ts) at the edges.
 */
export const DIGEST_ERRORS = {
  notAllowed: "digests.not_allowed",
  notSubscribed: "digests.not_subscribed",
  unknownBody: "digests.unknown_body",
  ambiguousBody: "digests.ambiguous_body",
  unknownSubcommand: "digests.command.unknown_subcommand",
  unexpectedWords: "digests.command.unexpected_words",
  invalidWeekday: "digests.command.invalid_weekday",
  invalidTime: "digests.command.invalid_time",
  duplicateWeekday: "digests.command.duplicate_weekday",
  duplicateTime: "digests.command.duplicate_time",
  emptyBody: "digests.command.empty_body",
  unclosedQuote: "digests.command.unclosed_quote",
  conflictingEmptySetting: "digests.command.conflicting_empty_setting",
  unknownWord: "digests.command.unknown_word",
} as const;

export type DigestErrorCode = (typeof DIGEST_ERRORS)[keyof typeof DIGEST_ERRORS];

/** A refusal or a problem with the request; the catalogue says what to do instead. */
export type DigestError = Coded<DigestErrorCode>;
