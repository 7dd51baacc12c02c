import { DateTime } from "luxon";
import { z } from "zod";
import { CSV_COLUMNS, type CsvColumn } from "./import.schema.js";

/**
 * A mapping file says how a CSV report exported from the municipality's diarium (Public 360°, W3D3,
 * Platina …) reads as the import format, so the report is imported as it is, without retyping its
 * header or its dates:
 *
 * ```json
 * {
 *   "columns": { "Diarienummer": "dnr", "Ärendemening": "title", "Ärendetyp": "kind", "Registrerad": "raised_on" },
 *   "dateFormat": "dd.MM.yyyy",
 *   "values": { "kind": { "Motion": "motion", "Skrivelse": "skrivelse" } },
 *   "constants": { "registry": "stockholm-ks" }
 * }
 * ```
 *
 * - `columns`: the report's column (as in its header, case and surrounding spaces aside) → the import
 *   format's column. Columns of the report not named here are left out.
 * - `dateFormat`: how the report writes dates, in luxon's tokens (`yyyy-MM-dd`, `dd.MM.yyyy`,
 *   `yyyy-MM-dd HH:mm`, `d/M/yyyy` …); a time of day is dropped, only the day is kept.
 * - `values`: per column, the report's words → the import format's (a word not listed is kept).
 * - `constants`: a value for every row, for what the report does not say (its registry, typically).
 */
export type CsvMapping = z.infer<typeof csvMappingSchema>;

const DATE_COLUMNS = new Set<CsvColumn>(["raised_on", "received_on", "closed_on"]);
const importColumn = z.enum(CSV_COLUMNS, {
  error: (issue) =>
    `okänt fält ${JSON.stringify(issue.input)}; fälten i importformatet är ${CSV_COLUMNS.join(", ")}`,
});

export const csvMappingSchema = z
  .strictObject(
    {
      columns: z.record(z.string().trim().min(1, "en kolumn utan namn"), importColumn),
      dateFormat: z
        .string()
        .default("yyyy-MM-dd")
        .refine((format) => /y/.test(format) && /M/.test(format) && /d/.test(format), {
          error: "ska ha år (yyyy), månad (MM) och dag (dd), t.ex. dd.MM.yyyy",
        }),
      values: z.partialRecord(importColumn, z.record(z.string(), z.string())).default({}),
      constants: z.partialRecord(importColumn, z.string()).default({}),
    },
    {
      error: (issue) =>
        issue.code === "unrecognized_keys"
          ? `okänt fält ${issue.keys.map((key) => JSON.stringify(key)).join(", ")}; en mappningsfil har columns, dateFormat, values och constants`
          : 'mappningsfilen ska vara ett objekt { "columns": { … } }',
    },
  )
  .superRefine((mapping, context) => {
    const seen = new Map<string, string>();
    for (const [reportColumn, column] of Object.entries(mapping.columns)) {
      const key = reportColumn.trim().toLowerCase();
      if (seen.has(key)) {
        context.addIssue({
          code: "custom",
          path: ["columns", reportColumn],
          message: `kolumnen ${JSON.stringify(reportColumn)} står två gånger`,
        });
      }
      seen.set(key, column);
      if (column in mapping.constants) {
        context.addIssue({
          code: "custom",
          path: ["constants", column],
          message: `${column} kommer redan från kolumnen ${JSON.stringify(reportColumn)}`,
        });
      }
    }
    const targets = Object.values(mapping.columns);
    const twice = targets.find((column, index) => targets.indexOf(column) !== index);
    if (twice !== undefined) {
      context.addIssue({
        code: "custom",
        path: ["columns"],
        message: `två kolumner i rapporten är mappade till ${twice}`,
      });
    }
  });

/** The mapping file's problems, one line each, as `path: reason`. */
export function mappingProblems(error: z.ZodError): string[] {
  return error.issues.map((issue) => {
    const path = issue.path.map(String).join(".");
    return path === "" ? issue.message : `${path}: ${issue.message}`;
  });
}

/** How one report's header reads: which cell holds which column, and what each row gets as it is. */
export type MappedHeader = {
  /** The import format's columns, in the order rows give them: the mapped cells, then the constants. */
  columns: CsvColumn[];
  /** For each mapped column, the index of its cell in a report row. */
  cellIndexes: number[];
  /** Columns of the report left out, for the record. */
  ignored: string[];
};

/** Matches a report's header against the mapping; a column the mapping names must be there. */
export function mapHeader(
  mapping: CsvMapping,
  header: readonly string[],
): { ok: true; header: MappedHeader } | { ok: false; missing: string[] } {
  const position = new Map(header.map((cell, index) => [cell.trim().toLowerCase(), index]));
  const columns: CsvColumn[] = [];
  const cellIndexes: number[] = [];
  const missing: string[] = [];
  for (const [reportColumn, column] of Object.entries(mapping.columns)) {
    const index = position.get(reportColumn.trim().toLowerCase());
    if (index === undefined) {
      missing.push(reportColumn);
      continue;
    }
    columns.push(column);
    cellIndexes.push(index);
  }
  if (missing.length > 0) return { ok: false, missing };
  const used = new Set(cellIndexes);
  const ignored = header.filter((_, index) => !used.has(index)).map((cell) => cell.trim());
  for (const column of Object.keys(mapping.constants) as CsvColumn[]) columns.push(column);
  return { ok: true, header: { columns, cellIndexes, ignored } };
}

/**
 * One report row as import-format cells, or the reason it cannot be: a date not written as the
 * mapping says is refused here, naming the format, rather than reported later as "not YYYY-MM-DD".
 */
export function mapRow(
  mapping: CsvMapping,
  header: MappedHeader,
  record: readonly string[],
): { ok: true; cells: Record<string, string> } | { ok: false; reason: string } {
  const cells: Record<string, string> = {};
  for (const [position, index] of header.cellIndexes.entries()) {
    const column = header.columns[position] as CsvColumn;
    const raw = (record[index] ?? "").trim();
    const value = translate(mapping.values[column], raw);
    if (DATE_COLUMNS.has(column) && value !== "") {
      const day = calendarDay(value, mapping.dateFormat);
      if (day === null) {
        return {
          ok: false,
          reason: `${column}: «${value}» är inte ett datum skrivet ${mapping.dateFormat}, som mappningsfilen säger (t.ex. ${example(mapping.dateFormat)}); rätta cellen eller dateFormat i mappningsfilen (not a date in the mapping's dateFormat)`,
        };
      }
      cells[column] = day;
    } else {
      cells[column] = value;
    }
  }
  for (const [column, value] of Object.entries(mapping.constants)) cells[column] = value ?? "";
  return { ok: true, cells };
}

function translate(words: Record<string, string> | undefined, cell: string): string {
  if (words === undefined || cell === "") return cell;
  const exact = words[cell];
  if (exact !== undefined) return exact;
  const lower = cell.toLowerCase();
  for (const [word, value] of Object.entries(words)) {
    if (word.trim().toLowerCase() === lower) return value;
  }
  return cell;
}

/** The day a cell names in `format`, as "YYYY-MM-DD"; a time of day after it is dropped. */
function calendarDay(cell: string, format: string): string | null {
  const parsed = DateTime.fromFormat(cell, format, { zone: "UTC", locale: "sv" });
  return parsed.isValid ? parsed.toISODate() : null;
}

/** 31 March 2017 (a day every format can show unambiguously) written in `format`. */
function example(format: string): string {
  return DateTime.fromISO("2017-03-31T14:05:00", { zone: "UTC", locale: "sv" }).toFormat(format);
}
