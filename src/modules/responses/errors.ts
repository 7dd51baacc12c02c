import type { Coded } from "../../messages/sv.js";

/**
 * Stable error codes of recording a remissvar and of deciding it (Godkänn / Avslå). The Slack layer
 * maps a field error onto its input block and words every code from the catalogue
 * (src/messages/sv.ts); the codes stay the same whatever the wording.
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
  /** Deciding needs another right (godkännare) than recording (handläggare, registrator). */
  approvalNotAllowed: "responses.approval_not_allowed",
  notFound: "responses.not_found",
  alreadyDecided: "responses.already_decided",
  /** The referral is no longer open (withdrawn, or answered by another response): the request has expired. */
  expired: "responses.expired",
  reasonRequired: "responses.reason_required",
  reasonTooLong: "responses.reason_too_long",
} as const;

export type ResponseErrorCode = (typeof RESPONSE_ERRORS)[keyof typeof RESPONSE_ERRORS];

/** The fields of a remissvar a person fills in; each field error names one. */
export type ResponseField = "referral" | "answeredOn" | "summary" | "link";

export type ResponseFieldError = { field: ResponseField } & Coded<ResponseErrorCode>;

/** Bounds of the remissvar form, checked by the use case whatever the form allowed. */
export const RESPONSE_LIMITS = { summaryMaxLength: 3000, linkMaxLength: 2000, maxReferrals: 100 } as const;

/** Bounds of a rejection, checked by the use case whatever the form allowed. */
export const DECISION_LIMITS = { reasonMaxLength: 1000 } as const;

/** Stored as the summary of a declined remiss when the person wrote none (the column is required). */
export const DECLINED_SUMMARY = "Avstår från att svara.";
