import type { Coded } from "../../messages/sv.js";

/**
 * Stable error codes of making, listing and revoking API tokens (`arendebot token …`). Worded by the
 * catalogue (src/messages/sv.ts) at the edges.
 */
export const API_TOKEN_ERRORS = {
  badName: "api_tokens.bad_name",
  nameTaken: "api_tokens.name_taken",
  unknownName: "api_tokens.unknown_name",
} as const;

export type ApiTokenErrorCode = (typeof API_TOKEN_ERRORS)[keyof typeof API_TOKEN_ERRORS];

export type ApiTokenError = Coded<ApiTokenErrorCode>;
