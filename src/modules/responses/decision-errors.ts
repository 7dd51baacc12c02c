/**
 * Stable error codes of deciding a remissvar (Godkänn / Avslå). The Slack layer chooses its wording
 * from the code; the codes stay the same whatever the wording.
 */
export const DECISION_ERRORS = {
  notAllowed: "responses.not_allowed",
  notFound: "responses.not_found",
  alreadyDecided: "responses.already_decided",
  /** The referral is no longer open (withdrawn, or answered by another response): the request has expired. */
  expired: "responses.expired",
  reasonRequired: "responses.reason_required",
  reasonTooLong: "responses.reason_too_long",
} as const;

export type DecisionErrorCode = (typeof DECISION_ERRORS)[keyof typeof DECISION_ERRORS];

/** Bounds of a rejection, checked by the use case whatever the form allowed. */
export const DECISION_LIMITS = { reasonMaxLength: 1000 } as const;
