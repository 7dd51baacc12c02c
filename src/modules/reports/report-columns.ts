import { formatCalendarDay } from "../shared/swedish-time.js";
import type { MotionReport, MotionReportRow } from "./motion-report.js";

/** The report's columns, the same in every format, with each row's cells as text. */
export const REPORT_COLUMNS = [
  "Nummer",
  "Slag",
  "Rubrik",
  "Väckt av",
  "Parti",
  "Väckt",
  "Ansvarigt organ",
  "Läge",
  "Remisser besvarade",
  "Remisser utestående",
  "Dagar över ettårsgränsen",
] as const;

export const WITHHELD = "Sekretess";
const UNKNOWN = "okänt";

/** Cells as text; dates as ISO days when `days` is "iso" (CSV, for sorting), else written out in Swedish. */
export function reportCells(row: MotionReportRow, { days }: { days: "iso" | "swedish" }): string[] {
  const day = (value: string | null) =>
    value === null ? UNKNOWN : days === "iso" ? value : formatCalendarDay(value);
  // A restricted case read in a channel shows what the public register holds (the audience rule):
  // its number, kind, public title and dates. Who raised it, where it is and who was asked are withheld.
  const withheld = row.audience === "public" && row.restricted;
  const held = (value: string | null) => (withheld ? WITHHELD : (value ?? UNKNOWN));
  return [
    row.number,
    row.kind,
    row.title,
    held(row.authors),
    held(row.parties),
    day(row.raisedOn),
    held(row.responsibleBody),
    held(row.stage),
    held(String(row.referralsAnswered)),
    held(String(row.referralsOutstanding)),
    row.daysPastYear === null ? UNKNOWN : String(row.daysPastYear),
  ];
}

export function reportTitle(report: MotionReport): string {
  return `Motioner och medborgarförslag som inte beslutats inom ett år, per ${formatCalendarDay(report.per)}`;
}

/** The sentence that says what the report is and on what ground. */
export function reportIntro(report: MotionReport): string {
  const period = report.motionMonths === 12 ? "ett år" : `${report.motionMonths} månader`;
  return (
    `Enligt kommunallagen (2017:725) 5 kap. 35 § ska en motion eller ett medborgarförslag beredas så att ` +
    `fullmäktige kan fatta beslut inom ett år från att det väcktes; kan beredningen inte avslutas inom den tiden ` +
    `ska det anmälas till fullmäktige. Här redovisas de som per ${formatCalendarDay(report.per)} inte var beslutade ` +
    `${period} efter att de väcktes (${report.overdue.length} st).`
  );
}

export const UNKNOWN_RAISED_HEADING = "Ej beslutade, datum för väckande saknas i diariet";
export const UNKNOWN_RAISED_INTRO =
  "Diariet anger inte när dessa väcktes, så det går inte att säga om ettårsgränsen har passerats. De räknas inte in ovan; komplettera datumet i diariet.";

/** The file name, without extension: "motioner-over-ett-ar-2017-04-03". */
export function reportFileName(report: MotionReport): string {
  return `motioner-over-ett-ar-${report.per}`;
}
