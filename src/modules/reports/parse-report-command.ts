import { fold } from "../digests/parse-digest-command.js";
import { isCalendarDay } from "../shared/calendar.js";
import { REPORT_ERRORS, type ReportError } from "./errors.js";
import { MONTH_NAMES, ORDINAL_WORDS, type ReportSchedule } from "./report-schedule.js";

/**
 * What `/arende rapport …` asks for:
 * - `motioner [per YYYY-MM-DD]`: the report, uploaded to the channel now;
 * - `motioner schema <första|andra|tredje|fjärde|sista> <veckodag> i <månader> [kl. HH:MM]`: schedule it;
 * - `motioner schema`: the channel's schedule, to the asker; `motioner schema avsluta`: end it.
 */
export type ReportRequest =
  | { type: "share"; per: string | undefined }
  | { type: "schedule"; schedule: ReportSchedule }
  | { type: "show_schedule" }
  | { type: "unschedule" };

export type ParsedReportRequest = { ok: true; request: ReportRequest } | { ok: false; error: ReportError };

export const DEFAULT_REPORT_TIME = "08:00";

const ORDINALS = new Map<string, ReportSchedule["ordinal"]>(
  Object.entries(ORDINAL_WORDS).flatMap(([number, word]) => [
    [fold(word), Number(number) as ReportSchedule["ordinal"]],
  ]),
);
for (const [word, ordinal] of [
  ["1:a", 1],
  ["2:a", 2],
  ["3:e", 3],
  ["4:e", 4],
] as const)
  ORDINALS.set(word, ordinal);

const WEEKDAYS = new Map<string, number>();
for (const [index, name] of [
  "måndag",
  "tisdag",
  "onsdag",
  "torsdag",
  "fredag",
  "lördag",
  "söndag",
].entries()) {
  for (const word of [name, `${name}en`, name.slice(0, 3)]) WEEKDAYS.set(fold(word), index + 1);
}

const MONTHS = new Map<string, number>();
for (const [index, name] of MONTH_NAMES.entries()) {
  MONTHS.set(fold(name), index + 1);
  MONTHS.set(fold(name).slice(0, 3), index + 1);
}

export function parseReportCommand(text: string): ParsedReportRequest {
  const words = text.trim().split(/\s+/).filter(Boolean);
  const [which, ...rest] = words;
  if (which === undefined || fold(which) !== "motioner") {
    return { ok: false, error: { code: REPORT_ERRORS.unknownReport, params: { word: which ?? "" } } };
  }
  const [next, ...more] = rest;
  if (next === undefined) return { ok: true, request: { type: "share", per: undefined } };
  if (fold(next) === "per") {
    const [day, ...extra] = more;
    if (day === undefined || !isCalendarDay(day)) {
      return { ok: false, error: { code: REPORT_ERRORS.invalidDate, params: { typed: day ?? "" } } };
    }
    if (extra.length > 0) return unexpected(extra);
    return { ok: true, request: { type: "share", per: day } };
  }
  if (fold(next) === "schema") {
    if (more.length === 0) return { ok: true, request: { type: "show_schedule" } };
    if (more.length === 1 && fold(more[0] as string) === "avsluta")
      return { ok: true, request: { type: "unschedule" } };
    return parseSchedule(more);
  }
  return unexpected(rest);
}

function unexpected(words: string[]): ParsedReportRequest {
  return {
    ok: false,
    error: { code: REPORT_ERRORS.unexpectedWords, params: { words: words.join(" ").slice(0, 60) } },
  };
}

/** "första måndagen i april och oktober kl. 08:00" (commas and "och" between the months). */
function parseSchedule(words: string[]): ParsedReportRequest {
  const typed = words.join(" ");
  const problem = (text: string): ParsedReportRequest => ({
    ok: false,
    error: { code: REPORT_ERRORS.invalidSchedule, params: { typed: typed.slice(0, 80), problem: text } },
  });
  const tokens = words.flatMap((word) => word.split(",")).filter(Boolean);
  const [ordinalWord, weekdayWord, ...tail] = tokens;
  const ordinal = ordinalWord === undefined ? undefined : ORDINALS.get(fold(ordinalWord));
  if (ordinal === undefined)
    return problem(`börja med vilken veckodag i månaden, «${ordinalWord ?? ""}» är ingen.`);
  const weekday = weekdayWord === undefined ? undefined : WEEKDAYS.get(fold(weekdayWord));
  if (weekday === undefined) return problem(`«${weekdayWord ?? ""}» är ingen veckodag.`);
  const rest = tail[0] !== undefined && fold(tail[0]) === "i" ? tail.slice(1) : tail;
  const months = new Set<number>();
  let time: string | undefined;
  for (let index = 0; index < rest.length; index += 1) {
    const word = rest[index] as string;
    const folded = fold(word);
    if (folded === "och") continue;
    const month = MONTHS.get(folded);
    if (month !== undefined) {
      months.add(month);
      continue;
    }
    if (folded === "kl" || folded === "klockan") continue;
    const clock = /^(?:kl\.?)?(\d{1,2})[:.](\d{2})$/.exec(folded);
    if (clock && Number(clock[1]) <= 23 && Number(clock[2]) <= 59) {
      if (time !== undefined) return problem("ange en tid.");
      time = `${String(Number(clock[1])).padStart(2, "0")}:${clock[2]}`;
      continue;
    }
    return problem(`«${word}» är ingen månad eller tid.`);
  }
  if (months.size === 0) return problem("ange minst en månad.");
  return {
    ok: true,
    request: {
      type: "schedule",
      schedule: {
        ordinal,
        weekday,
        months: [...months].sort((a, b) => a - b),
        time: time ?? DEFAULT_REPORT_TIME,
      },
    },
  };
}
