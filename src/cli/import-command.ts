import { basename } from "node:path";
import cliProgress from "cli-progress";
import type { DeadlineRules } from "../modules/deadlines/deadline-rules.js";
import {
  type Counts,
  type EntityKind,
  type ImportReport,
  importRegistry,
} from "../modules/import/import-registry.js";
import { ImportFileError, readImportFile, readMappingFile } from "../modules/import/read-import-file.js";
import type { ImportActor, RequestContext } from "../modules/shared/context.js";

/**
 * `arendebot import FILE [--mapping MAP.json]`: imports a .json or .csv file (a CSV report from the
 * diarium read through its mapping) and prints what it did, audited with the file
 * as the actor (`importActor`).
 * Exit codes: 0 every row was written, 1 some rows were rejected, 2 the file cannot be read.
 */
export async function runImportCommand(opts: {
  ctx: RequestContext<ImportActor>;
  file: string;
  /** A mapping file for a CSV report exported from the diarium (docs/import-format.md). */
  mappingFile?: string;
  out: NodeJS.WritableStream;
  err: NodeJS.WritableStream;
  interactive: boolean;
  deadlineRules?: DeadlineRules;
}): Promise<number> {
  let source: Awaited<ReturnType<typeof readImportFile>>;
  try {
    const mapping = opts.mappingFile ? await readMappingFile(opts.mappingFile) : undefined;
    source = await readImportFile(opts.file, mapping ? { mapping } : {});
  } catch (error) {
    if (error instanceof ImportFileError) {
      opts.err.write(`${error.message}\n`);
      return 2;
    }
    throw error;
  }

  const bar = opts.interactive
    ? new cliProgress.SingleBar(
        {
          stream: opts.err,
          format: "Importerar {bar} {percentage}% | {rows} rader",
          hideCursor: true,
          clearOnComplete: true,
        },
        cliProgress.Presets.shades_classic,
      )
    : null;
  bar?.start(100, 0, { rows: 0 });
  let report: ImportReport;
  try {
    report = await importRegistry(opts.ctx, {
      source,
      ...(opts.deadlineRules ? { deadlineRules: opts.deadlineRules } : {}),
      onProgress: (progress) => bar?.update(Math.floor(progress.fraction * 100), { rows: progress.rows }),
    });
  } finally {
    bar?.stop();
  }

  opts.out.write(formatReport(source.name, report));
  return report.rejected.length > 0 ? 1 : 0;
}

/** An import is audited as coming from its file, by name. */
export function importActor(file: string): ImportActor {
  return { type: "import", source: basename(file) };
}

const ENTITY_NAMES: Record<EntityKind, string> = {
  registry: "diarier (registries)",
  body: "organ (bodies)",
  case: "ärenden (cases)",
  referral: "remisser (referrals)",
  referral_response: "remissvar (responses)",
  deadline: "bevakningar (deadlines)",
  timeline_entry: "händelser (timeline)",
};

export function formatReport(name: string, report: ImportReport): string {
  const lines = [
    `${name}: ${report.rows} rader, ${counts(report)}, ${report.rejected.length} avvisade` +
      " (rows, created, updated, unchanged, rejected)",
  ];
  for (const [kind, entity] of Object.entries(report.entities) as [EntityKind, Counts][]) {
    if (entity.created + entity.updated + entity.unchanged === 0) continue;
    lines.push(`  ${ENTITY_NAMES[kind]}: ${counts(entity)}`);
  }
  for (const rejection of report.rejected) lines.push(`line ${rejection.line}: ${rejection.reason}`);
  return `${lines.join("\n")}\n`;
}

function counts({ created, updated, unchanged }: Counts): string {
  return `${created} skapade, ${updated} uppdaterade, ${unchanged} oförändrade`;
}
