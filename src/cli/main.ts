import { Command, InvalidArgumentError, Option } from "commander";
import { systemClock, today } from "../clock.js";
import { type Config, ConfigError, loadConfig } from "../config.js";
import { type DatabaseHandle, openDatabase } from "../db/client.js";
import { exitOnSignals } from "../db/data-dir-lock.js";
import { SYNC_JOB } from "../jobs/sync-job.js";
import type { Actor } from "../modules/shared/actor.js";
import { isCalendarDay } from "../modules/shared/calendar.js";
import { type CliActor, createContext, type RequestContext, systemActor } from "../modules/shared/context.js";
import { createLogger, secretsOf, useProcessLogger } from "../observability/logger.js";
import { explainStartupFailure } from "../startup-failure.js";
import { cliUser } from "./cli-user.js";
import { runDigestCommand } from "./digest-command.js";
import { EXPORT_FORMATS, type ExportFormat, runExportCommand } from "./export-command.js";
import { runHistoryCommand } from "./history-command.js";
import { importActor, runImportCommand } from "./import-command.js";
import { REPORT_FORMATS, type ReportFormat, runReportCommand } from "./report-command.js";
import { runRoleCommand } from "./role-command.js";
import { runSearchCommand } from "./search-command.js";
import { runStatusCommand } from "./status-command.js";
import { runSyncCommand } from "./sync-command.js";
import { RIGHT_WORDS, runCreateToken, runListTokens, runRevokeToken } from "./token-command.js";

/**
 * Commander parses the arguments (help, errors and usage for free); each command is one function,
 * given one context: the database opened here, the system clock and the command's actor. This file is
 * the only one in src/cli that may import the database (biome.json exempts it from the rule that
 * keeps src/jobs and src/cli off it): every command goes through
 * use cases with that context.
 * Exit 2 for a bad configuration, 3 when the database cannot be opened (unreachable, or DATA_DIR in
 * use by the bot or unusable), so that a script can tell those from the command's own answers.
 */
async function withContext<A extends Actor>(
  command: { name: string; inSlack?: string | undefined; actor: A },
  work: (ctx: RequestContext<A>, config: Config) => Promise<number>,
): Promise<never> {
  let config: Config;
  try {
    config = loadConfig("cli");
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exit(2);
  }
  // A command's own output is on standard output; its log lines (LOG_LEVEL) go to standard error.
  useProcessLogger(createLogger({ level: config.logLevel, fd: 2, secrets: secretsOf(config) }));
  exitOnSignals();
  let database: DatabaseHandle | undefined;
  let code: number;
  try {
    database = await openDatabase(config.database, {
      opener: { what: `arendebot ${process.argv.slice(2).join(" ")}`, bot: false },
    });
    await database.migrate();
    const ctx = createContext({
      db: database.db,
      clock: systemClock,
      actor: command.actor,
      admins: config.admins,
    });
    code = await work(ctx, config);
  } catch (error) {
    const explained = explainStartupFailure(error, config, { inSlack: command.inSlack });
    // The failure is what the operator needs to see, not a second one from closing.
    await database?.close().catch(() => {});
    if (!explained) throw error;
    console.error(`arendebot cannot run ${command.name}: ${explained.cause}\n${explained.fix}`);
    process.exit(3);
  }
  await database.close();
  process.exit(code);
}

/** The operator at the terminal: trusted, and named in the audit trail by their login. */
function terminal(): CliActor {
  return { type: "cli", user: cliUser() };
}

function positiveInteger(value: string): number {
  const number = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(number) || number < 1) {
    throw new InvalidArgumentError("use a whole number from 1 up, e.g. 2");
  }
  return number;
}

function isoDate(value: string): string {
  if (!isCalendarDay(value)) {
    throw new InvalidArgumentError("use the form YYYY-MM-DD, e.g. 2017-04-03");
  }
  return value;
}

const program = new Command("arendebot").description(
  "The case registry (diarium) in Slack, and in your terminal.",
);

program
  .command("status")
  .description("show where a case stands, e.g. arendebot status Dnr 108-1642/2017")
  .argument("<identifier...>", "a dnr or a document number such as Motion 2016:114")
  .option("--as-of <date>", "count deadlines as of this day (YYYY-MM-DD) instead of today", isoDate)
  .action(async (words: string[], options: { asOf?: string }) =>
    withContext({ name: "status", inSlack: "/arende status", actor: terminal() }, (ctx) =>
      runStatusCommand({
        ctx,
        query: words.join(" "),
        today: options.asOf ?? today(systemClock),
        out: process.stdout,
      }),
    ),
  );

program
  .command("sök")
  .alias("sok")
  .description(
    "search cases by words, e.g. arendebot sök kompetensutvecklingspeng typ:motion (filters: typ:, organ:, år:, öppna, avslutade)",
  )
  .argument("<words...>", "words from the title, and filters")
  .option("--page <n>", "which page of ten hits (default 1)", positiveInteger)
  .action(async (words: string[], options: { page?: number }) =>
    withContext({ name: "sök", inSlack: "/arende sök", actor: terminal() }, (ctx) =>
      runSearchCommand({
        ctx,
        text: words.join(" "),
        ...(options.page ? { page: options.page } : {}),
        out: process.stdout,
        err: process.stderr,
      }),
    ),
  );

program
  .command("historik")
  .description("show every change to a case, newest first, e.g. arendebot historik Dnr 108-1642/2017")
  .argument("<identifier...>", "a dnr or a document number such as Motion 2016:114")
  .option("--page <n>", "which page, 1 being the newest (default 1)", positiveInteger)
  .option("--limit <n>", "events per page (default 20, at most 500)", positiveInteger)
  .action(async (words: string[], options: { page?: number; limit?: number }) =>
    withContext({ name: "historik", inSlack: "/arende historik", actor: terminal() }, (ctx) =>
      runHistoryCommand({
        ctx,
        query: words.join(" "),
        page: options.page,
        limit: options.limit,
        out: process.stdout,
      }),
    ),
  );

program
  .command("import")
  .description(
    "import cases from a CSV, JSON or FGS Ärendehantering 2.0 (CITS ERMS) XML file (format: docs/import-format.md); re-importing changes nothing",
  )
  .argument("<file>", "a .csv, .json or .xml (ERMS) file")
  .option(
    "--mapping <file>",
    "a mapping file (JSON) saying how a CSV report from the diarium reads: its columns, date format and words",
  )
  .action(async (file: string, options: { mapping?: string }) =>
    withContext({ name: "import", actor: importActor(file) }, (ctx, config) =>
      runImportCommand({
        ctx,
        file,
        ...(options.mapping ? { mappingFile: options.mapping } : {}),
        deadlineRules: config.deadlines,
        out: process.stdout,
        err: process.stderr,
        interactive: Boolean(process.stderr.isTTY),
      }),
    ),
  );

program
  .command("export")
  .description(
    "write what chat changed (remisser sent, remissvar and their approvals or rejections) for the diarium, as FGS Ärendehantering 2.0 (ERMS), CSV or JSON",
  )
  .addOption(
    new Option("--format <format>", "erms, csv or json").choices(EXPORT_FORMATS).makeOptionMandatory(),
  )
  .option("--since <date>", "only changes from this day on (YYYY-MM-DD, Stockholm)", isoDate)
  .option("--out <file>", "write to this file instead of standard output")
  .action(async (options: { format: ExportFormat; since?: string; out?: string }) =>
    withContext({ name: "export", actor: terminal() }, (ctx) =>
      runExportCommand({
        ctx,
        format: options.format,
        since: options.since,
        outFile: options.out,
        out: process.stdout,
        err: process.stderr,
      }),
    ),
  );

program
  .command("rapport")
  .description(
    "the report to the council on motions and medborgarförslag not decided within a year of being raised (kommunallagen 5 kap. 35 §), as Word, CSV or Markdown",
  )
  .argument("<rapport>", "which report: motioner", (value: string) => {
    if (value.toLowerCase() !== "motioner") throw new InvalidArgumentError("the report is called motioner");
    return "motioner";
  })
  .addOption(new Option("--format <format>", "docx, csv or md").choices(REPORT_FORMATS).makeOptionMandatory())
  .option("--per <date>", "as of this day (YYYY-MM-DD, Stockholm) instead of today", isoDate)
  .option("--out <file>", "write to this file instead of standard output")
  .option(
    "--offentlig",
    "a restricted case by its public data only, as a channel gets it (the version to publish)",
  )
  .action(
    async (
      _report: string,
      options: { format: ReportFormat; per?: string; out?: string; offentlig?: boolean },
    ) =>
      withContext(
        { name: "rapport", inSlack: "/arende rapport motioner", actor: terminal() },
        (ctx, config) =>
          runReportCommand({
            ctx,
            rules: config.deadlines,
            format: options.format,
            per: options.per,
            outFile: options.out,
            publicOnly: options.offentlig,
            out: process.stdout,
            err: process.stderr,
          }),
      ),
  );

program
  .command("sync")
  .description(
    "sync from the diarium now, as the schedule does (ARENDE_SYNC_SOURCE): import what changed in its newest export, once",
  )
  .action(async () =>
    withContext({ name: "sync", actor: systemActor(SYNC_JOB) }, (ctx, config) =>
      runSyncCommand({ ctx, config, out: process.stdout, err: process.stderr }),
    ),
  );

program
  .command("digest")
  .description(
    "print what is overdue, as the weekly digest; with --send --channel C… post it in Slack now (once per channel and day)",
  )
  .option("--as-of <date>", "count as of this day (YYYY-MM-DD) instead of today", isoDate)
  .option(
    "--filter <words...>",
    "only these cases, in the words of /arende digest: e.g. motioner skrivelser organ:socialnamnden",
  )
  .option("--send", "post the digest in Slack (needs SLACK_BOT_TOKEN and --channel)")
  .option("--channel <id>", "the channel's id (C…); without --filter its subscription's filter applies")
  .action(async (options: { asOf?: string; filter?: string[]; send?: boolean; channel?: string }) =>
    withContext(
      { name: "digest", inSlack: options.send ? undefined : "/arende digest visa", actor: terminal() },
      (ctx, config) =>
        runDigestCommand({
          ctx,
          config,
          today: options.asOf ?? today(systemClock),
          filter: options.filter,
          send: options.send,
          channel: options.channel,
          out: process.stdout,
          err: process.stderr,
        }),
    ),
  );

const roll = program
  .command("roll")
  .description("grant, revoke and list roles (as /arende roll); the terminal is trusted and audited as cli");

for (const [verb, what] of [
  ["ge", "grant"],
  ["ta", "revoke"],
] as const) {
  roll
    .command(verb)
    .description(`${what} a role, e.g. arendebot roll ${verb} U012ABCDEF godkännare socialnämnden`)
    .argument("<slack-user-id>", "the Slack member id, U… or W…")
    .argument("<role>", "registrator, handläggare, godkännare or admin")
    .argument("[body...]", "the body's code or name; required except for admin")
    .action(async (user: string, role: string, body: string[]) =>
      withContext({ name: `roll ${verb}`, inSlack: `/arende roll ${verb}`, actor: terminal() }, (ctx) =>
        runRoleCommand({
          ctx,
          verb,
          words: [user, role, ...body],
          out: process.stdout,
          err: process.stderr,
        }),
      ),
    );
}

roll
  .command("lista")
  .description("list roles: all, one user's (U…) or one body's")
  .argument("[user-or-body...]", "a Slack member id or a body's code or name")
  .action(async (words: string[]) =>
    withContext({ name: "roll lista", inSlack: "/arende roll lista", actor: terminal() }, (ctx) =>
      runRoleCommand({
        ctx,
        verb: "lista",
        words,
        out: process.stdout,
        err: process.stderr,
      }),
    ),
  );

const token = program
  .command("token")
  .description("make, list and revoke the API tokens of integration platforms (/api/v1, see README)");

token
  .command("skapa")
  .description("make a token and print it, once: arendebot token skapa --namn e-arkiv --rätt läsa")
  .requiredOption("--namn <namn>", "the token's name: the system that will use it, e.g. e-arkiv")
  .addOption(
    new Option("--rätt <rätt>", "läsa (read cases and changes) or skriva (also PUT cases)")
      .choices(Object.keys(RIGHT_WORDS))
      .makeOptionMandatory(),
  )
  .action(async (options: { namn: string; rätt: string }) =>
    withContext({ name: "token skapa", actor: terminal() }, (ctx) =>
      runCreateToken(ctx, {
        name: options.namn,
        right: RIGHT_WORDS[options.rätt] ?? "read",
        out: process.stdout,
        err: process.stderr,
      }),
    ),
  );

token
  .command("lista")
  .description("list the tokens, live and revoked (never their secrets)")
  .action(async () =>
    withContext({ name: "token lista", actor: terminal() }, (ctx) =>
      runListTokens(ctx, { out: process.stdout, err: process.stderr }),
    ),
  );

token
  .command("återkalla")
  .description("revoke a token by its name; its next request is answered 401")
  .argument("<namn>", "the token's name, as token lista shows it")
  .action(async (name: string) =>
    withContext({ name: "token återkalla", actor: terminal() }, (ctx) =>
      runRevokeToken(ctx, { name, out: process.stdout, err: process.stderr }),
    ),
  );

await program.parseAsync(process.argv);
