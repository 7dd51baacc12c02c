import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importActor, runImportCommand } from "../../src/cli/import-command.js";
import { fixedClock } from "../../src/clock.js";
import { openDatabase } from "../../src/db/client.js";
import { generateCasesCsv } from "../../src/modules/import/generate-sample.js";
import { createContext } from "../../src/modules/shared/context.js";
import { WORKING_TEXT } from "../../src/slack/commands/answer-in-time.js";
import { FakeSlack } from "../support/fake-slack.js";
import { killIfRunning, type Started, startMain, waitForOutput } from "../support/processes.js";
import { freePort } from "../support/running-bot.js";
import { formBody, sendSigned } from "../support/signed-request.js";

/**
 * Issue 7 §3, overload: 200 people asking at once, on the embedded database with 20,000 cases, each
 * get an answer within Slack's 3 seconds. The bot runs as its own process, as in production.
 */

const CASES = 20_000;
const ASKERS = 200;
const SECRET = "overload-test-signing-secret";

let dataDir: string;
let slack: FakeSlack;
let bot: Started | undefined;
let port: number;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "arendebot-overload-"));
  const database = await openDatabase({ kind: "pglite", dataDir: join(dataDir, "db") });
  try {
    await database.migrate();
    const csv = join(dataDir, "cases.csv");
    await writeFile(csv, generateCasesCsv(CASES));
    const sink = new Writable({ write: (_chunk, _encoding, done) => done() });
    const code = await runImportCommand({
      ctx: createContext({
        db: database.db,
        clock: fixedClock("2026-11-30T10:00:00+01:00"),
        actor: importActor(csv),
      }),
      file: csv,
      out: sink,
      err: sink,
      interactive: false,
    });
    expect(code).toBe(0);
  } finally {
    await database.close();
  }
  slack = new FakeSlack();
  await slack.start();
  port = await freePort();
  bot = startMain({
    SLACK_BOT_TOKEN: "xoxb-overload-test",
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: slack.apiUrl,
    PORT: String(port),
    DATA_DIR: join(dataDir, "db"),
    LOG_LEVEL: "error",
  });
  await waitForOutput(bot, "arendebot is running", 60_000);
}, 180_000);

afterAll(async () => {
  await killIfRunning(bot);
  await slack?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

type Outcome = { status: number; ackMs: number; answerMs: number; text: string };

async function ask(index: number): Promise<Outcome> {
  // Two in three ask for a case that exists; the third mistypes its number, which costs the
  // database a search for close matches (hundreds of milliseconds on the embedded database).
  const number = index * 97 + 1;
  const dnr = index % 3 === 2 ? `EX 2001/${900_000 + index}` : `EX ${2000 + ((number - 1) % 26)}/${number}`;
  const responsePath = `/response/overload-${index}`;
  const started = Date.now();
  const response = await sendSigned(
    `http://127.0.0.1:${port}/slack/events`,
    formBody({
      team_id: "T111",
      channel_id: "C111",
      user_id: `W${index}`,
      user_name: `asker${index}`,
      command: "/arende",
      text: `status ${dnr}`,
      response_url: `${slack.baseUrl}${responsePath}`,
      trigger_id: `1.${index}.t`,
    }),
    { contentType: "application/x-www-form-urlencoded", secret: SECRET, signal: AbortSignal.timeout(10_000) },
  ).catch(() => null);
  if (!response)
    return { status: 0, ackMs: Date.now() - started, answerMs: Number.POSITIVE_INFINITY, text: "" };
  const ackMs = Date.now() - started;
  const raw = await response.text();
  const acked = raw === "" ? null : (JSON.parse(raw) as { text?: string });
  if (acked?.text !== WORKING_TEXT)
    return { status: response.status, ackMs, answerMs: ackMs, text: acked?.text ?? "" };
  const [late] = await slack.waitForCalls(responsePath, 1, 10_000).catch(() => [undefined]);
  return {
    status: response.status,
    ackMs,
    answerMs: Date.now() - started,
    text: String(late?.body.text ?? ""),
  };
}

describe("200 people asking at once on the embedded database", () => {
  it("every one is answered within 3 seconds", async () => {
    const outcomes = await Promise.all(Array.from({ length: ASKERS }, (_, index) => ask(index)));
    const slowest = Math.max(...outcomes.map((outcome) => outcome.answerMs));
    const slow = outcomes.filter((outcome) => outcome.status !== 200 || outcome.answerMs >= 3_000);
    expect(slow, `slowest answer ${slowest} ms`).toEqual([]);
    // Each got a real answer: the card, a "no such case", or a request to ask again shortly.
    for (const outcome of outcomes)
      expect(outcome.text).toMatch(/EX \d{4}\/\d+|Många frågar just nu|Diariet svarar inte just nu/);
    const cards = outcomes.filter((outcome) => /Exempelärende/.test(outcome.text));
    expect(cards.length).toBeGreaterThan(0);
  }, 60_000);
});
