/**
 * Stable error codes of recording a remissvar. The Slack layer maps a field error onto its input
 * block; the codes stay the same whatever the wording.
 */
export const RESPONSE_ERRORS = {
  notAllowed: "responses.not_allowed",
  caseNotFound: "responses.case_not_found",
  noOpenReferrals: "responses.no_open_referrals",
  noReferral: "responses.no_referral",
  unknownReferral: "responses.unknown_referral",
  referralClosed: "responses.referral_closed",
  alreadyPending: "responses.already_pending",
  invalidAnswerDate: "responses.invalid_answer_date",
  answerDateInFuture: "responses.answer_date_in_future",
  summaryRequired: "responses.summary_required",
  summaryTooLong: "responses.summary_too_long",
  invalidLink: "responses.invalid_link",
} as const;

export type ResponseErrorCode = (typeof RESPONSE_ERRORS)[keyof typeof RESPONSE_ERRORS];

/** The fields of a remissvar a person fills in; each field error names one. */
export type ResponseField = "referral" | "answeredOn" | "summary" | "link";

export type ResponseFieldError = { field: ResponseField; code: ResponseErrorCode; message: string };

/** Bounds of the remissvar form, checked by the use case whatever the form allowed. */
export const RESPONSE_LIMITS = { summaryMaxLength: 3000, linkMaxLength: 2000, maxReferrals: 100 } as const;

/** Stored as the summary of a declined remiss when the person wrote none (the column is required). */
export const DECLINED_SUMMARY = "Avstår från att svara.";
