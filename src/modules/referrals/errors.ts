import type { Coded } from "../../messages/sv.js";

/**
 * Stable error codes of sending a case on remiss. The Slack layer maps a field error onto its input
 * block and words it from the catalogue (src/messages/sv.ts); the codes stay the same whatever the wording.
 */
export const REFERRAL_ERRORS = {
  notAllowed: "referrals.not_allowed",
  caseNotFound: "referrals.case_not_found",
  noBodies: "referrals.no_bodies",
  tooManyBodies: "referrals.too_many_bodies",
  unknownBody: "referrals.unknown_body",
  alreadyOpen: "referrals.already_open",
  invalidDueDate: "referrals.invalid_due_date",
  dueInPast: "referrals.due_in_past",
  messageTooLong: "referrals.message_too_long",
  dueOnNonWorkingDay: "referrals.due_on_non_working_day",
} as const;

export type ReferralErrorCode = (typeof REFERRAL_ERRORS)[keyof typeof REFERRAL_ERRORS];

/** The fields of a remiss a person fills in; each field error names one. */
export type RemissField = "bodies" | "dueOn" | "message";

export type FieldError = { field: RemissField } & Coded<ReferralErrorCode>;

/** Bounds of the remiss form, checked by the use case whatever the form allowed. */
export const REMISS_LIMITS = { maxBodies: 100, messageMaxLength: 1000 } as const;
