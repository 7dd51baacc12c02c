import type { Coded } from "../../messages/sv.js";

/** Stable error codes of the motion report and its schedule; worded in src/messages/sv.ts. */
export const REPORT_ERRORS = {
  invalidDate: "reports.invalid_date",
  unknownReport: "reports.unknown_report",
  unexpectedWords: "reports.unexpected_words",
  invalidSchedule: "reports.invalid_schedule",
  notAllowed: "reports.not_allowed",
  notScheduled: "reports.not_scheduled",
  uploadFailed: "reports.upload_failed",
} as const;

export type ReportErrorCode = (typeof REPORT_ERRORS)[keyof typeof REPORT_ERRORS];

export type ReportError = Coded<ReportErrorCode>;
