import {
  Document,
  HeadingLevel,
  Packer,
  PageOrientation,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
} from "docx";
import type { MotionReport, MotionReportRow } from "./motion-report.js";
import {
  REPORT_COLUMNS,
  reportCells,
  reportIntro,
  reportTitle,
  UNKNOWN_RAISED_HEADING,
  UNKNOWN_RAISED_INTRO,
} from "./report-columns.js";

/**
 * The report as a Word document (.docx) for the council's papers: a heading, the legal ground, one
 * table of the motions past the year and, apart, those whose raised date is unknown. Landscape, since
 * eleven columns do not fit a portrait page.
 */
export async function renderReportDocx(report: MotionReport): Promise<Uint8Array> {
  const title = reportTitle(report);
  const children: Array<Paragraph | Table> = [
    new Paragraph({ text: title, heading: HeadingLevel.HEADING_1 }),
    new Paragraph({ text: reportIntro(report) }),
  ];
  if (report.overdue.length > 0) children.push(reportTable(report.overdue));
  else
    children.push(
      new Paragraph({ text: "Inga motioner eller medborgarförslag har passerat ettårsgränsen." }),
    );
  if (report.unknownRaisedOn.length > 0) {
    children.push(
      new Paragraph({ text: UNKNOWN_RAISED_HEADING, heading: HeadingLevel.HEADING_2 }),
      new Paragraph({ text: UNKNOWN_RAISED_INTRO }),
      reportTable(report.unknownRaisedOn),
    );
  }
  const document = new Document({
    creator: "arendebot",
    title,
    description:
      "Redovisning av motioner och medborgarförslag som inte beslutats inom ett år (KL 5 kap. 35 §)",
    styles: { default: { document: { run: { font: "Calibri", size: 18 } } } },
    sections: [{ properties: { page: { size: { orientation: PageOrientation.LANDSCAPE } } }, children }],
  });
  return new Uint8Array(await Packer.toBuffer(document));
}

function reportTable(rows: readonly MotionReportRow[]): Table {
  const row = (cells: readonly string[], bold: boolean) =>
    new TableRow({
      tableHeader: bold,
      children: cells.map(
        (text) => new TableCell({ children: [new Paragraph({ children: [new TextRun({ text, bold })] })] }),
      ),
    });
  return new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    rows: [
      row(REPORT_COLUMNS, true),
      ...rows.map((entry) => row(reportCells(entry, { days: "swedish" }), false)),
    ],
  });
}
