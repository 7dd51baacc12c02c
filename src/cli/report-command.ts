import { rename, rm, writeFile } from "node:fs/promises";
import { say } from "../messages/sv.js";
import type { DeadlineRules } from "../modules/deadlines/deadline-rules.js";
import { getMotionReport } from "../modules/reports/get-motion-report.js";
import { renderReportCsv } from "../modules/reports/render-csv.js";
import { renderReportDocx } from "../modules/reports/render-docx.js";
import { renderReportMarkdown } from "../modules/reports/render-markdown.js";
import type { RequestContext } from "../modules/shared/context.js";

export const REPORT_FORMATS = ["docx", "csv", "md"] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/**
 * `arendebot rapport motioner --format docx|csv|md [--per YYYY-MM-DD] [--out FILE] [--offentlig]`: the
 * report to the council on motions not decided within a year. The terminal is trusted and sees every
 * case in full; `--offentlig` writes what a channel gets (a restricted case by its public data only),
 * the version to publish. Exit 0 written, 2 a Word file asked for on a terminal without --out.
 */
export async function runReportCommand(opts: {
  ctx: RequestContext;
  rules: DeadlineRules;
  format: ReportFormat;
  per?: string | undefined;
  outFile?: string | undefined;
  publicOnly?: boolean | undefined;
  out: NodeJS.WritableStream & { isTTY?: boolean };
  err: NodeJS.WritableStream;
}): Promise<number> {
  if (opts.format === "docx" && opts.outFile === undefined && opts.out.isTTY) {
    opts.err.write(
      "En Word-fil skrivs inte till terminalen: ange --out rapport.docx (a .docx is binary; name a file with --out)\n",
    );
    return 2;
  }
  const result = await getMotionReport(opts.ctx, {
    per: opts.per,
    rules: opts.rules,
    reader: opts.publicOnly ? "channel" : "everything",
  });
  if (!result.ok) {
    opts.err.write(`${say(result.error).replace(/`/g, '"')}\n`);
    return 2;
  }
  const { report } = result;
  const bytes =
    opts.format === "docx"
      ? await renderReportDocx(report)
      : opts.format === "csv"
        ? renderReportCsv(report)
        : new TextEncoder().encode(renderReportMarkdown(report));
  if (opts.outFile === undefined) opts.out.write(bytes);
  else {
    // Written beside the target and renamed, so a reader never sees half a file.
    const partial = `${opts.outFile}.${process.pid}.part`;
    try {
      await writeFile(partial, bytes);
      await rename(partial, opts.outFile);
    } finally {
      await rm(partial, { force: true });
    }
  }
  opts.err.write(
    `${report.overdue.length} motioner och medborgarförslag över ettårsgränsen per ${report.per}` +
      (report.unknownRaisedOn.length > 0
        ? `, ${report.unknownRaisedOn.length} ej beslutade utan känt datum för väckande`
        : "") +
      ` (motions past the year${opts.outFile ? ` → ${opts.outFile}` : ""})\n`,
  );
  return 0;
}
