import type { MotionReport, MotionReportRow } from "./motion-report.js";
import {
  REPORT_COLUMNS,
  reportCells,
  reportIntro,
  reportTitle,
  UNKNOWN_RAISED_HEADING,
  UNKNOWN_RAISED_INTRO,
} from "./report-columns.js";

/** The report as Markdown, for the terminal and for pasting into a document. */
export function renderReportMarkdown(report: MotionReport): string {
  const lines = [`# ${reportTitle(report)}`, "", reportIntro(report), ""];
  lines.push(
    ...(report.overdue.length > 0
      ? table(report.overdue)
      : ["Inga motioner eller medborgarförslag har passerat ettårsgränsen."]),
  );
  if (report.unknownRaisedOn.length > 0) {
    lines.push(
      "",
      `## ${UNKNOWN_RAISED_HEADING}`,
      "",
      UNKNOWN_RAISED_INTRO,
      "",
      ...table(report.unknownRaisedOn),
    );
  }
  return `${lines.join("\n")}\n`;
}

function table(rows: readonly MotionReportRow[]): string[] {
  const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\s+/g, " ");
  return [
    `| ${REPORT_COLUMNS.join(" | ")} |`,
    `|${REPORT_COLUMNS.map(() => " --- ").join("|")}|`,
    ...rows.map((row) => `| ${reportCells(row, { days: "swedish" }).map(cell).join(" | ")} |`),
  ];
}
