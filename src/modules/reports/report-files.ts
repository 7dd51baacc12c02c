import type { OutgoingFile } from "../posting/poster.js";
import { formatCalendarDay } from "../shared/swedish-time.js";
import type { MotionReport } from "./motion-report.js";
import { renderReportCsv } from "./render-csv.js";
import { renderReportDocx } from "./render-docx.js";
import { reportFileName, reportTitle } from "./report-columns.js";

/** The report as it is put in a channel: the Word file and the CSV, and the line that carries them. */
export async function motionReportFiles(
  report: MotionReport,
  { late = false }: { late?: boolean } = {},
): Promise<{ comment: string; files: OutgoingFile[] }> {
  const name = reportFileName(report);
  const title = reportTitle(report);
  const unknown =
    report.unknownRaisedOn.length > 0
      ? ` ${report.unknownRaisedOn.length} ej beslutade saknar datum för väckande och redovisas för sig.`
      : "";
  const comment =
    `${late ? "(Försenad) " : ""}Redovisning till fullmäktige enligt kommunallagen 5 kap. 35 §, per ${formatCalendarDay(report.per)}: ` +
    `${report.overdue.length} motioner och medborgarförslag har inte beslutats inom ett år.${unknown}`;
  return {
    comment,
    files: [
      { filename: `${name}.docx`, title, content: await renderReportDocx(report) },
      { filename: `${name}.csv`, title: `${title} (CSV)`, content: renderReportCsv(report) },
    ],
  };
}
