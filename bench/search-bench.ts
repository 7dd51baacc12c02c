import { sql } from "drizzle-orm";
import { fixedClock } from "../src/clock.js";
import { type Database, type DatabaseHandle, openDatabase, openPostgres, rowsOf } from "../src/db/client.js";
import { parseSearchQuery } from "../src/modules/search/parse-search.js";
import { searchCases } from "../src/modules/search/search-cases.js";
import { createContext, slackActor } from "../src/modules/shared/context.js";
import { type Defer, scratchDataDir, scratchPostgres } from "./scratch-database.js";

/**
 * `/arende sök` on a registry of generated cases with Swedish titles (issue 10: 1,000,000 cases, aim
 * p99 < 50 ms on PostgreSQL and < 150 ms on PGlite), through the use case a Slack user's search runs:
 * the parse, the ranked full-text and trigram query, the audience rule on the hits. Titles are put
 * together from what Stockholm's diarium is full of: a kind, a subject, a qualifier and a district,
 * so that a subject word matches about one case in 120, as a common word does in a real registry.
 * Every 50th case is restricted ("Sekretess" in public). The searcher is a handläggare of one body.
 */

export type SearchBenchResult = {
  target: string;
  cases: number;
  populateSeconds: number;
  queries: { text: string; hits: number; p50: number; p99: number }[];
  all: { p50: number; p99: number };
};

const KINDS = ["Motion om", "Skrivelse om", "Medborgarförslag om", "Interpellation om", "Remiss om"];
const CASE_KINDS = ["motion", "skrivelse", "medborgarforslag", "interpellation", "external_referral"];
const SUBJECTS = [
  "kompetensutvecklingspeng för socialsekreterare",
  "bristerna inom socialtjänsten",
  "snöröjning",
  "cykelbanor",
  "skolmåltider",
  "äldreomsorgens bemanning",
  "hemtjänstens nattpatruller",
  "bibliotekens öppettider",
  "parkeringsavgifter",
  "förskolans lokaler",
  "belysning i parker",
  "trygghetskameror",
  "fritidsgårdar",
  "simhallar",
  "laddstolpar för elbilar",
  "solceller på kommunala tak",
  "kollektivtrafiken",
  "ensamkommande barn",
  "hemlösheten",
  "bostadsbyggande",
  "våld i nära relationer",
  "skolskjutsar",
  "matsvinn i skolan",
  "återvinningscentraler",
  "dagvattenhantering",
  "grönytor",
  "idrottsplatser",
  "upphandlingsregler",
  "visselblåsarfunktion",
  "digital tillgänglighet",
  "e-tjänster",
  "arvoden till förtroendevalda",
  "föreningsbidrag",
  "kulturskolans avgifter",
  "lekplatser",
  "gatubelysning",
  "trafiksäkerhet vid skolor",
  "hastighetsdämpande åtgärder",
  "offentliga toaletter",
  "badplatser",
  "stadsträd",
  "bullerskydd",
  "markanvisningar",
  "hyresrätter",
  "ungdomsbostäder",
  "studentbostäder",
  "vräkningar av barnfamiljer",
  "försörjningsstöd",
  "missbruksvården",
  "psykiatrisk öppenvård",
  "personlig assistans",
  "LSS-boenden",
  "daglig verksamhet",
  "särskilt boende",
  "trygghetsboenden",
  "anhörigstöd",
  "demensvården",
  "hemsjukvården",
  "skolhälsovården",
  "elevhälsan",
  "mobbning i skolan",
  "betygsinflation",
  "modersmålsundervisning",
  "sommarskola",
  "läxhjälp",
  "fritidshem",
  "nattis",
  "barngruppernas storlek",
  "förskollärarbrist",
  "lärarlöner",
  "skolnedläggningar",
  "friskolor",
  "skolval",
  "vuxenutbildning",
  "SFI-undervisningen",
  "arbetsmarknadsåtgärder",
  "feriejobb",
  "sommarjobb för unga",
  "näringslivsklimatet",
  "torghandel",
  "uteserveringar",
  "alkoholtillstånd",
  "rökfria miljöer",
  "klotter",
  "nedskräpning",
  "hundrastgårdar",
  "kolonilotter",
  "stadsodling",
  "biologisk mångfald",
  "klimatbudgeten",
  "fossilfria fordon",
  "energieffektivisering",
  "fjärrvärme",
  "vattenledningsnätet",
  "översvämningsrisker",
  "krisberedskap",
  "skyddsrum",
  "brandskydd",
  "räddningstjänsten",
  "ordningsvakter",
  "polisnärvaro",
  "brottsförebyggande arbete",
  "gängkriminalitet",
  "narkotikahandel",
  "prostitution",
  "hedersförtryck",
  "jämställdhetsintegrering",
  "HBTQ-certifiering",
  "tillgänglighet för funktionsnedsatta",
  "teckenspråkstolkning",
  "färdtjänst",
  "parkeringstillstånd",
  "seniorkort",
  "pensionärsråd",
  "ungdomsråd",
  "medborgardialog",
  "e-förslag",
  "offentlighetsprincipen",
];
const QUALIFIERS = [
  "",
  " och dess finansiering",
  " för barn och unga",
  " under vintern",
  " med hänsyn till miljön",
  " i samverkan med regionen",
  " efter pandemin",
  " och uppföljning av tidigare beslut",
];
const DISTRICTS = [
  "Bromma",
  "Kungsholmen",
  "Rinkeby-Kista",
  "Skärholmen",
  "Södermalm",
  "Enskede-Årsta-Vantör",
  "Hässelby-Vällingby",
  "Spånga-Tensta",
  "Farsta",
  "Norrmalm",
  "Östermalm",
  "Älvsjö",
  "Hägersten-Liljeholmen",
];

/** What officials type: a subject, a stemmed form, a misspelling, two words, filters. */
const QUERIES = [
  "snöröjning",
  "socialsekreterarna",
  "kompetensutvecklingspen",
  "cykelbanor bromma",
  "parkeringsavgifter typ:motion år:2017",
  "hemtjänstens nattpatruller öppna",
  "laddstolpar elbilar skärholmen",
  "förskolans lokaler avslutade",
  "gängkriminalitet rinkeby-kista typ:interpellation",
  "offentlighetsprincipen",
];

const sqlArray = (values: readonly string[]) =>
  sql.raw(`ARRAY[${values.map((v) => `'${v.replace(/'/g, "''")}'`).join(",")}]`);

export async function populateSearchBench(db: Database, count: number): Promise<void> {
  await db.transaction(async (tx) => {
    const [registry] = rowsOf<{ id: number }>(
      await tx.execute(sql`INSERT INTO registries (code, name)
        VALUES ('sok-bench', 'Bänkdiarium för sökning (påhittade data)') RETURNING id`),
    );
    await tx.execute(sql`INSERT INTO bodies (code, name, kind)
      SELECT 'sok-bench-' || b, 'Sökbänkens nämnd ' || b, 'board' FROM generate_series(1, 20) b`);
    const [body] = rowsOf<{ base: number }>(
      await tx.execute(sql`SELECT min(id)::int AS base FROM bodies WHERE code LIKE 'sok-bench-%'`),
    );
    const base = body?.base ?? 0;
    await tx.execute(sql`
      INSERT INTO cases (registry_id, dnr, dnr_key, kind, title, public_title, restricted, raised_on,
                         responsible_body_id, status)
      SELECT ${registry?.id}, 'SB ' || (2000 + i % 26) || '/' || i, 'sb ' || (2000 + i % 26) || '/' || i,
             (${sqlArray(CASE_KINDS)})[1 + i % ${CASE_KINDS.length}]::case_kind,
             t.title,
             CASE WHEN i % 50 = 49 THEN 'Sekretess' ELSE t.title END,
             i % 50 = 49,
             make_date(2000 + i % 26, 1 + i % 12, 1 + i % 28),
             ${base} + i % 20,
             (CASE WHEN i % 3 = 0 THEN 'closed' ELSE 'in_progress' END)::case_status
        FROM generate_series(0, ${count - 1}) i,
        LATERAL (SELECT (${sqlArray(KINDS)})[1 + i % ${KINDS.length}] || ' ' ||
                        (${sqlArray(SUBJECTS)})[1 + (i / 7) % ${SUBJECTS.length}] ||
                        (${sqlArray(QUALIFIERS)})[1 + (i / 11) % ${QUALIFIERS.length}] || ' i ' ||
                        (${sqlArray(DISTRICTS)})[1 + (i / 13) % ${DISTRICTS.length}] AS title) t`);
    // The searcher: a handläggare of the first body, entitled to its restricted cases.
    await tx.execute(sql`INSERT INTO memberships (slack_user_id, body_id, role, granted_by, granted_at)
      VALUES ('U0SOKBENCH', ${base}, 'handlaggare', 'bench', now())`);
  });
  await db.execute(sql`ANALYZE`);
}

export async function benchSearch(
  target: "pglite" | "postgres",
  { cases, adminUrl, runs, defer }: { cases: number; adminUrl: string; runs: number; defer: Defer },
): Promise<SearchBenchResult> {
  const database =
    target === "pglite" ? await pgliteDatabase(defer) : await postgresDatabase(adminUrl, defer);
  try {
    await database.migrate();
    const started = performance.now();
    await populateSearchBench(database.db, cases);
    const populateSeconds = (performance.now() - started) / 1000;
    const ctx = () =>
      createContext({
        db: database.db,
        clock: fixedClock("2026-11-30T09:00:00Z"),
        actor: slackActor({ userId: "U0SOKBENCH" }),
      });
    const all: number[] = [];
    const queries: SearchBenchResult["queries"] = [];
    for (const text of QUERIES) {
      const parsed = parseSearchQuery(text);
      if (!parsed.ok) throw new Error(`the bench's query «${text}» does not parse`);
      const times: number[] = [];
      let hits = 0;
      for (let run = 0; run < runs; run += 1) {
        const at = performance.now();
        const result = await searchCases(ctx(), { query: parsed.query, page: 1 + (run % 3) });
        times.push(performance.now() - at);
        if (!result.ok) throw new Error(`the bench's query «${text}» failed: ${result.error.code}`);
        if (run === 0) hits = result.hits.length;
      }
      // The first run of each query warms its pages into the cache; it is left out.
      const measured = times.slice(1);
      all.push(...measured);
      queries.push({ text, hits, ...summary(measured) });
    }
    return { target, cases, populateSeconds, queries, all: summary(all) };
  } finally {
    await database.close();
  }
}

export function formatSearchBench(result: SearchBenchResult): string {
  const aim = result.target === "postgres" ? 50 : 150;
  const lines = [
    `${result.target}: ${result.cases.toLocaleString("en")} cases generated in ${result.populateSeconds.toFixed(0)} s; ` +
      `all queries p50 ${result.all.p50.toFixed(1)} ms, p99 ${result.all.p99.toFixed(1)} ms ` +
      `(aim p99 < ${aim} ms: ${result.all.p99 < aim ? "met" : "MISSED"})`,
  ];
  for (const query of result.queries) {
    lines.push(
      `  ${query.text.padEnd(52)} ${String(query.hits).padStart(2)} hits  p50 ${query.p50.toFixed(1).padStart(7)} ms  p99 ${query.p99.toFixed(1).padStart(7)} ms`,
    );
  }
  return lines.join("\n");
}

function summary(times: number[]): { p50: number; p99: number } {
  const sorted = [...times].sort((a, b) => a - b);
  const at = (fraction: number) =>
    sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))] ?? 0;
  return { p50: at(0.5), p99: at(0.99) };
}

async function pgliteDatabase(defer: Defer): Promise<DatabaseHandle> {
  return openDatabase({ kind: "pglite", dataDir: await scratchDataDir(defer, "search") });
}

async function postgresDatabase(adminUrl: string, defer: Defer): Promise<DatabaseHandle> {
  return openPostgres(await scratchPostgres(adminUrl, defer, "sbench"));
}
