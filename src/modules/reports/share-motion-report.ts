import type { FileUploader } from "../posting/poster.js";
import { postErrorCode } from "../posting/poster.js";
import { REPORT_ERRORS, type ReportError } from "./errors.js";
import type { MotionReport } from "./motion-report.js";
import { motionReportFiles } from "./report-files.js";

export type ShareReportResult =
  | { ok: true; per: string; overdue: number; unknownRaisedOn: number }
  | { ok: false; error: ReportError };

/**
 * `/arende rapport motioner [per …]`, after the report is read: Word and CSV uploaded to the channel
 * for everyone in it. The report must be a channel's (getMotionReport with reader "channel"): a
 * restricted case by its public data only, whoever asked. Slack's refusal is answered with its code.
 */
export async function uploadMotionReport({
  report,
  channelId,
  uploader,
}: {
  report: MotionReport;
  channelId: string;
  uploader: FileUploader;
}): Promise<ShareReportResult> {
  const { comment, files } = await motionReportFiles(report);
  try {
    await uploader.upload({ channel: channelId, comment, files });
  } catch (error) {
    return { ok: false, error: { code: REPORT_ERRORS.uploadFailed, params: { code: postErrorCode(error) } } };
  }
  return {
    ok: true,
    per: report.per,
    overdue: report.overdue.length,
    unknownRaisedOn: report.unknownRaisedOn.length,
  };
}
