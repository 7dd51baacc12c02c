import { rename, rm, writeFile } from "node:fs/promises";
import { validateErms } from "../modules/exchange/erms/validate-erms.js";
import { exportErms } from "../modules/exchange/erms/write-erms.js";
import { collectExport } from "../modules/exchange/export/collect-export.js";
import { exportCsv, exportJson } from "../modules/exchange/export/write-json-csv.js";
import type { RequestContext } from "../modules/shared/context.js";

export const EXPORT_FORMATS = ["erms", "csv", "json"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/**
 * `arendebot export --format erms|csv|json [--since YYYY-MM-DD] [--out FILE]`: what chat changed, for
 * the diarium, on standard output or in FILE; what it holds is told on standard error.
 * Exit 0 written (or, for ERMS, nothing to write), 1 the ERMS file did not validate against ERMS.xsd (nothing written: a bug to report).
 */
export async function runExportCommand(opts: {
  ctx: RequestContext;
  format: ExportFormat;
  since?: string | undefined;
  outFile?: string | undefined;
  out: NodeJS.WritableStream;
  err: NodeJS.WritableStream;
}): Promise<number> {
  const data = await collectExport(opts.ctx, { since: opts.since });
  const since = opts.since ? ` sedan ${opts.since}` : "";
  if (opts.format === "erms" && data.cases.length === 0) {
    // ERMS.xsd demands at least one case file, so an empty export would be no ERMS document.
    opts.err.write(
      `0 ärenden ändrade i chatten${since}; ingen ERMS-fil skrivs, eftersom en sådan måste innehålla minst ett ärende (nothing changed in chat; no file written)\n`,
    );
    return 0;
  }
  const text =
    opts.format === "erms" ? exportErms(data) : opts.format === "csv" ? exportCsv(data) : exportJson(data);
  if (opts.format === "erms") {
    const problems = await validateErms("export.xml", text);
    if (problems.length > 0) {
      opts.err.write(
        `Exporten följer inte ERMS.xsd och skrivs inte (the export does not validate; please report this):\n${problems
          .map((problem) => `  rad ${problem.line}: ${problem.reason}`)
          .join("\n")}\n`,
      );
      return 1;
    }
  }
  if (opts.outFile === undefined) opts.out.write(text);
  else {
    // Written beside the target and renamed, so a reader never sees half a file.
    const partial = `${opts.outFile}.${process.pid}.part`;
    try {
      await writeFile(partial, text);
      await rename(partial, opts.outFile);
    } finally {
      await rm(partial, { force: true });
    }
  }
  const { sent, submitted, approved, rejected } = data.counts;
  opts.err.write(
    `${data.cases.length} ärenden ändrade i chatten${since}: ${sent} remisser skickade, ${submitted} remissvar registrerade, ${approved} godkända, ${rejected} avslagna` +
      ` (cases changed in chat; remisser sent, answers registered, approved, rejected)${opts.outFile ? ` → ${opts.outFile}` : ""}\n`,
  );
  return 0;
}
