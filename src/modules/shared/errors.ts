/**
 * Stable codes of what goes wrong outside any one use case: the registry (the database) too busy or
 * not answering, and an error nobody expected. Worded by the catalogue (src/messages/sv.ts).
 */
export const SHARED_ERRORS = {
  registryBusy: "registry.busy",
  registryUnavailable: "registry.unavailable",
  /** Told with the reference that ties it to the operator's log. */
  unexpected: "unexpected_error",
} as const;

export type SharedErrorCode = (typeof SHARED_ERRORS)[keyof typeof SHARED_ERRORS];
