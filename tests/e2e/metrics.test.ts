import { describe, expect, it } from "vitest";
import { createLogger } from "../../src/observability/logger.js";
import { botForThisFile } from "../support/running-bot.js";
import { seedClosedLetter } from "../support/scenarios.js";
import { TEST_SIGNING_SECRET } from "../support/signed-request.js";
import { sendArende } from "../support/slash-command.js";

const logLines: string[] = [];

const { bot } = botForThisFile({
  given: seedClosedLetter,
  logger: createLogger({
    level: "debug",
    secrets: ["xoxb-test-token", TEST_SIGNING_SECRET],
    write: (line) => logLines.push(line),
  }),
});

async function scrape(): Promise<string> {
  const response = await fetch(`${bot.baseUrl}/metrics`);
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toContain("text/plain");
  return response.text();
}

function sample(text: string, series: string): number {
  const line = text.split("\n").find((candidate) => candidate.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
}

/** Every family, with the unit its name promises (a Prometheus convention: _seconds, _total). */
const FAMILIES = {
  arendebot_slack_requests_total: "counter",
  arendebot_slack_request_duration_seconds: "histogram",
  arendebot_slack_ack_duration_seconds: "histogram",
  arendebot_scheduled_posts_total: "counter",
  arendebot_post_claims_lost_total: "counter",
  arendebot_slack_rate_limited_total: "counter",
  arendebot_slack_api_retries_total: "counter",
  arendebot_registry_call_duration_seconds: "histogram",
  arendebot_registry_calls: "gauge",
  arendebot_registry_shed_total: "counter",
  arendebot_import_rows_total: "counter",
  arendebot_case_cache_lookups_total: "counter",
  process_cpu_seconds_total: "counter",
  nodejs_eventloop_lag_seconds: "gauge",
} as const;

describe("GET /metrics", () => {
  it("counts a signed /arende status by surface and outcome, with its ack and database time", async () => {
    const before = await scrape();
    const requests = 'arendebot_slack_requests_total{surface="command",outcome="ok"}';
    const acks = 'arendebot_slack_ack_duration_seconds_count{surface="command"}';
    const calls = 'arendebot_registry_call_duration_seconds_count{call="caseStatus"}';

    const { answer } = await sendArende(bot, "status Dnr 108-1642/2017");
    expect(JSON.stringify(answer)).toContain("Bristerna inom socialtjänsten");

    // The request's counters are updated once its listeners are done, just after the answer.
    let after = await scrape();
    for (let tries = 0; sample(after, requests) === sample(before, requests) && tries < 50; tries += 1) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      after = await scrape();
    }
    expect(sample(after, requests)).toBe(sample(before, requests) + 1);
    expect(sample(after, acks)).toBe(sample(before, acks) + 1);
    expect(sample(after, calls)).toBeGreaterThan(sample(before, calls));
    expect(sample(after, 'arendebot_registry_calls{state="running"}')).toBe(0);
    expect(sample(after, 'arendebot_registry_calls{state="queued"}')).toBe(0);
  });

  it("counts a lookup asked again as answered from the case cache", async () => {
    const hits = 'arendebot_case_cache_lookups_total{result="hit"}';
    const misses = 'arendebot_case_cache_lookups_total{result="miss"}';
    await sendArende(bot, "status Dnr 108-1642/2017");
    const first = await scrape();
    await sendArende(bot, "status Dnr 108-1642/2017");
    const second = await scrape();
    // The case was read from the database once, the first time it was asked for in this process.
    expect(sample(first, misses)).toBeGreaterThanOrEqual(1);
    expect(sample(second, misses)).toBe(sample(first, misses));
    expect(sample(second, hits)).toBe(sample(first, hits) + 1);
  });

  it("names every family with its type and unit, and no user, channel or dnr in a label", async () => {
    const text = await scrape();
    for (const [family, type] of Object.entries(FAMILIES)) {
      expect(text).toContain(`# TYPE ${family} ${type}\n`);
      expect(text).toMatch(new RegExp(`# HELP ${family} \\S`));
      if (type === "histogram") expect(family).toMatch(/_seconds$/);
      if (type === "counter") expect(family).toMatch(/_total$/);
    }
    expect(text).not.toMatch(/W111|C111|108-1642/);
  });

  it("logs each line of a request with the request's id, and never the token or the secret", () => {
    const entries = logLines.map((line) => JSON.parse(line) as { req?: string; surface?: string });
    const ofTheCommand = entries.filter((entry) => entry.surface === "command");
    expect(ofTheCommand.length).toBeGreaterThan(0);
    expect(ofTheCommand.every((entry) => typeof entry.req === "string" && entry.req.length === 8)).toBe(true);
    const all = logLines.join("");
    expect(all).not.toContain("xoxb-test-token");
    expect(all).not.toContain(TEST_SIGNING_SECRET);
  });
});
