import type { MotionReport } from "./motion-report.js";
import { REPORT_COLUMNS, reportCells } from "./report-columns.js";

const BOM = "\uFEFF";
const SEPARATOR = ";";
const LINE_END = "\r\n";

/**
 * The report as CSV the way Swedish Excel opens it with a double click: UTF-8 with a byte order mark
 * (without one Excel reads the bytes as Windows-1252 and "ä" comes out as "Ã¤"), semicolons between
 * cells (Swedish Excel's list separator, since the comma is the decimal sign) and CRLF line ends.
 * Overdue rows first, then those whose raised date is unknown; the last column tells them apart.
 */
export function renderReportCsv(report: MotionReport): Uint8Array {
  const header = [...REPORT_COLUMNS, "Ettårsgräns"];
  const rows = [
    ...report.overdue.map((row) => [...reportCells(row, { days: "iso" }), row.yearEndsOn ?? ""]),
    ...report.unknownRaisedOn.map((row) => [
      ...reportCells(row, { days: "iso" }),
      "okänd (datum för väckande saknas)",
    ]),
  ];
  const lines = [header, ...rows].map((cells) => cells.map(csvCell).join(SEPARATOR));
  return new TextEncoder().encode(BOM + lines.join(LINE_END) + LINE_END);
}

function csvCell(value: string): string {
  // A cell starting with = + - @ is read by Excel as a formula: a title must stay text.
  const safe = /^[=+\-@\t\r]/u.test(value) && !/^-?\d+$/u.test(value) ? `'${value}` : value;
  return /[";\r\n]/u.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
