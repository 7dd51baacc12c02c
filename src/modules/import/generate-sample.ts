import type { CaseKind, CaseStatus } from "../cases/case-kinds.js";
import { CSV_COLUMNS, type CsvColumn } from "./import.schema.js";

/**
 * Made-up but valid CSV rows for benchmarks and tests: registry "exempel", dnr "EX <year>/<n>".
 * Deterministic, so generating the same count twice gives the same file (a re-import changes nothing).
 * Body columns stay empty unless bodies are given, so the rows import into an empty database.
 */
export type SampleOptions = { registry?: string; registryName?: string; bodies?: readonly string[] };

const KINDS = [
  "skrivelse",
  "motion",
  "medborgarforslag",
  "interpellation",
  "other",
] as const satisfies readonly CaseKind[];
const STATUSES = [
  "open",
  "in_progress",
  "received",
  "prepared",
  "closed",
] as const satisfies readonly CaseStatus[];
const SUBJECTS = ["biblioteken", "snöröjningen", "parkbänkarna", "cykelbanorna", "skolmaten", "belysningen"];

export function* generateCasesCsvLines(count: number, options: SampleOptions = {}): Generator<string> {
  const registry = options.registry ?? "exempel";
  const registryName = options.registryName ?? "Exempeldiarium (påhittade exempeldata)";
  const bodies = options.bodies ?? [];
  yield CSV_COLUMNS.join(",");
  for (let index = 0; index < count; index += 1) {
    const number = index + 1;
    const year = 2000 + (index % 26);
    const month = String((index % 12) + 1).padStart(2, "0");
    const day = String((index % 28) + 1).padStart(2, "0");
    const kind = KINDS[index % KINDS.length] ?? "other";
    const status = STATUSES[index % STATUSES.length] ?? "open";
    const restricted = index % 20 === 19;
    const body = bodies.length > 0 ? (bodies[index % bodies.length] ?? "") : "";
    const row: Record<CsvColumn, string> = {
      registry,
      registry_name: registryName,
      dnr: `EX ${year}/${number}`,
      identifiers: kind === "motion" ? `Motion ${year}:${number}` : "",
      kind,
      title: `Exempelärende ${number} om ${SUBJECTS[index % SUBJECTS.length]}`,
      public_title: restricted ? "Sekretess" : "",
      restricted: restricted ? "ja" : "nej",
      summary: index % 4 === 0 ? `Påhittat exempel nummer ${number} för prov av importen.` : "",
      raised_by: index % 3 === 0 ? "Anna Exempel (A); Bertil Exempel (B)" : "Cecilia Exempel (C)",
      raised_on: `${year}-${month}-${day}`,
      received_on: "",
      closed_on: status === "closed" ? `${year}-12-${day}` : "",
      responsible_body: body,
      addressed_to_body: body,
      officer_name: index % 2 === 0 ? "Erik Exempel" : "",
      officer_slack_user_id: "",
      status,
      outcome: status === "closed" ? "Ärendet anses besvarat" : "",
      classification: "",
      decision_due_on: "",
    };
    yield CSV_COLUMNS.map((column) => csvCell(row[column])).join(",");
  }
}

/** `count` valid CSV rows after a header row. */
export function generateCasesCsv(count: number, options: SampleOptions = {}): string {
  return `${[...generateCasesCsvLines(count, options)].join("\n")}\n`;
}

function csvCell(value: string): string {
  return /[",\n\r;]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}
