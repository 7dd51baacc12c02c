import type { Coded } from "../../messages/sv.js";

/** Stable error codes of reading a case identifier; worded by the catalogue (src/messages/sv.ts). */
export const IDENTIFIER_ERRORS = {
  empty: "identifiers.empty",
  unrecognised: "identifiers.unrecognised",
} as const;

export type IdentifierErrorCode = (typeof IDENTIFIER_ERRORS)[keyof typeof IDENTIFIER_ERRORS];

export type IdentifierParseError = Coded<IdentifierErrorCode>;
