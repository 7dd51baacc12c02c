import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import type { Config } from "../config.js";
import { runSync } from "../jobs/sync-job.js";
import { ImportFileError, readMappingFile } from "../modules/import/read-import-file.js";
import type { Poster } from "../modules/posting/poster.js";
import type { RequestContext, SystemActor } from "../modules/shared/context.js";
import { SyncSourceError } from "../modules/sync/errors.js";
import { displayUrl, type FetchExport } from "../modules/sync/fetch-export.js";
import { createPostingClient, createWebPoster } from "../slack/web-poster.js";

/**
 * `arendebot sync`: the scheduled sync, once, now, on the same exactly-once path (a second run on
 * the same export says it was synced already). Prints what it did; posts the summary to
 * ARENDE_SYNC_CHANNEL when SLACK_BOT_TOKEN is set.
 * Exit codes: 0 synced (or nothing new), 1 some rows were rejected or another process is syncing,
 * 2 no ARENDE_SYNC_SOURCE, or the export or its mapping could not be read.
 */
export async function runSyncCommand(options: {
  ctx: RequestContext<SystemActor>;
  config: Config;
  out: NodeJS.WritableStream;
  err: NodeJS.WritableStream;
  /** Tests pass these; otherwise they come from the configuration. */
  poster?: Poster;
  fetchExport?: FetchExport;
}): Promise<number> {
  const { ctx, config, out, err } = options;
  const sync = config.sync;
  if (!sync) {
    err.write(
      "ARENDE_SYNC_SOURCE är inte satt: sätt den till mappen dit diariet exporterar, eller till en http(s)-adress som lämnar ut den senaste exporten.\n",
    );
    return 2;
  }
  const where = sync.source.kind === "folder" ? sync.source.path : displayUrl(sync.source.url);
  let mapping: Awaited<ReturnType<typeof readMappingFile>> | undefined;
  try {
    mapping = sync.mappingFile ? await readMappingFile(sync.mappingFile) : undefined;
  } catch (error) {
    if (!(error instanceof ImportFileError)) throw error;
    err.write(`ARENDE_SYNC_MAPPING: ${error.message}\n`);
    return 2;
  }
  const poster =
    options.poster ??
    (config.slack
      ? createWebPoster({
          client: createPostingClient({
            botToken: config.slack.botToken,
            apiUrl: config.slack.apiUrl,
            logLevel: "error",
          }),
          log: (line) => err.write(`${line}\n`),
        })
      : undefined);
  let run: Awaited<ReturnType<typeof runSync>>;
  try {
    run = await runSync(ctx, {
      sync,
      mapping,
      instanceId: `cli:${hostname()}:${process.pid}:${randomBytes(4).toString("hex")}`,
      poster,
      deadlineRules: config.deadlines,
      ...(options.fetchExport ? { fetchExport: options.fetchExport } : {}),
    });
  } catch (error) {
    if (!(error instanceof SyncSourceError)) throw error;
    err.write(`Synk från ${where}: ${error.message}\n`);
    return 2;
  }
  const { outcome } = run;
  switch (outcome.type) {
    case "no_export":
      out.write(`Synk från ${where}: ingen export att läsa ännu.\n`);
      return 0;
    case "claimed_elsewhere":
      out.write(`Synk från ${where}: en annan process synkar samma export just nu.\n`);
      return 1;
    case "lost_claim":
      out.write(`Synk från ${where}: tog för lång tid; en annan process tog över och slutför synken.\n`);
      return 1;
    case "already_synced":
      out.write(
        `Synk från ${where}: ${outcome.report?.sourceName ?? "exporten"} är redan synkad; inget nytt att importera.\n`,
      );
      return 0;
    case "synced": {
      const { report } = outcome;
      if (report.unreadable !== undefined) {
        err.write(`Synk från ${where}: ${report.unreadable}\n`);
        return 2;
      }
      out.write(
        `Synk från ${where} (${report.sourceName}): ${report.created} nya, ${report.updated} ändrade, ${report.unchanged} oförändrade, ${report.rejected} avvisade (new, changed, unchanged, rejected)\n`,
      );
      for (const { line, reason } of report.firstRejections) out.write(`  rad ${line}: ${reason}\n`);
      if (report.rejected > report.firstRejections.length) {
        out.write(
          `  … och ${report.rejected - report.firstRejections.length} till; importera filen med arendebot import för hela listan\n`,
        );
      }
      if (run.summary === "posted") out.write(`Sammanfattningen är postad i ${sync.channelId}.\n`);
      return report.rejected > 0 ? 1 : 0;
    }
  }
}
