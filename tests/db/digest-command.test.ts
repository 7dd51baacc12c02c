import { Writable } from "node:stream";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DigestCommandOptions, runDigestCommand } from "../../src/cli/digest-command.js";
import { fixedClock } from "../../src/clock.js";
import { parseConfig } from "../../src/config.js";
import { auditEvents, slackPosts } from "../../src/db/schema.js";
import { createContext } from "../../src/modules/shared/context.js";
import { FakeSlack } from "../support/fake-slack.js";
import { Seeder } from "../support/seed-rows.js";
import { createTestDatabase, type TestDatabase } from "../support/test-database.js";

let database: TestDatabase;
let slack: FakeSlack;

beforeAll(async () => {
  database = await createTestDatabase();
  slack = new FakeSlack();
  await slack.start();
  const seed = new Seeder(database.db);
  const skrivelse = await seed.case({
    dnr: "108-1642/2017",
    kind: "skrivelse",
    title: "Bristerna inom socialtjänsten",
    publicTitle: "Bristerna inom socialtjänsten",
    status: "in_progress",
    responsibleBody: "kommunstyrelsen",
  });
  await seed.deadline({ caseId: skrivelse, kind: "policy", dueOn: "2017-01-26", state: "open" });
  const motion = await seed.case({
    dnr: null,
    kind: "motion",
    title: "Motion om en kompetensutvecklingspeng för socialsekreterare",
    publicTitle: "Motion om en kompetensutvecklingspeng för socialsekreterare",
    status: "in_progress",
    identifiers: ["Motion 2016:114"],
    responsibleBody: "socialnämnden",
  });
  await seed.deadline({ caseId: motion, kind: "statutory", dueOn: "2017-02-01", state: "open" });
});

afterAll(async () => {
  await slack?.stop();
  await database?.destroy();
});

function capture() {
  let text = "";
  const stream = new Writable({
    write(chunk, _encoding, done) {
      text += String(chunk);
      done();
    },
  });
  return { stream, text: () => text };
}

async function digest(options: Partial<DigestCommandOptions> & { env?: Record<string, string> } = {}) {
  const out = capture();
  const err = capture();
  const { env, ...rest } = options;
  const config = parseConfig(env ?? {}, "cli");
  const code = await runDigestCommand({
    ctx: createContext({
      db: database.db,
      clock: fixedClock("2017-04-03T08:00:00Z"),
      actor: { type: "cli", user: "registrator" },
    }),
    config,
    today: "2017-04-03",
    out: out.stream,
    err: err.stream,
    ...rest,
  });
  return { code, out: out.text(), err: err.text() };
}

const slackEnv = () => ({ SLACK_BOT_TOKEN: "xoxb-cli-token", SLACK_API_URL: slack.apiUrl });

describe("arendebot digest", () => {
  it("prints the digest as of a day", async () => {
    const { code, out } = await digest();
    expect(code).toBe(0);
    expect(out).toContain("Dnr 108-1642/2017");
    expect(out).toContain("Motion 2016:114");
    expect(slack.callsTo("chat.postMessage")).toHaveLength(0);
  });

  it("filters with the words of the Slack command", async () => {
    const motions = await digest({ filter: ["motioner"] });
    expect(motions.code).toBe(0);
    expect(motions.out).toContain("Motion 2016:114");
    expect(motions.out).not.toContain("108-1642/2017");

    const byBody = await digest({ filter: ["organ:kommunstyrelsen"] });
    expect(byBody.out).toContain("108-1642/2017");
    expect(byBody.out).not.toContain("Motion 2016:114");

    const unknown = await digest({ filter: ["organ:gatunämnden"] });
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain("gatunämnden");

    const nonsense = await digest({ filter: ["blomkål"] });
    expect(nonsense.code).toBe(2);
    expect(nonsense.err).toContain("blomkål");
  });

  it("needs a channel and a bot token to send", async () => {
    const noChannel = await digest({ send: true, env: slackEnv() });
    expect(noChannel.code).toBe(2);
    expect(noChannel.err).toContain("--channel");

    const noToken = await digest({ send: true, channel: "CREGISTRY" });
    expect(noToken.code).toBe(2);
    expect(noToken.err).toContain("SLACK_BOT_TOKEN");

    const badChannel = await digest({ send: true, channel: "#allmänt", env: slackEnv() });
    expect(badChannel.code).toBe(2);
    expect(slack.callsTo("chat.postMessage")).toHaveLength(0);
  });

  it("sends once per channel and day, and says so when it already was", async () => {
    const first = await digest({ send: true, channel: "CREGISTRY", env: slackEnv() });
    expect(first).toMatchObject({ code: 0, err: "" });
    expect(first.out).toContain("skickad till CREGISTRY");
    const posts = slack.callsTo("chat.postMessage");
    expect(posts).toHaveLength(1);
    expect(JSON.stringify(posts[0]?.body.blocks)).toContain("108-1642/2017");

    const again = await digest({ send: true, channel: "CREGISTRY", env: slackEnv() });
    expect(again.code).toBe(0);
    expect(again.out).toContain("redan skickat");
    expect(slack.callsTo("chat.postMessage")).toHaveLength(1);

    const key = "digest:cli:CREGISTRY:2017-04-03";
    const [row] = await database.db.select().from(slackPosts).where(eq(slackPosts.key, key));
    expect(row).toMatchObject({ state: "posted", subjectId: 0, period: "2017-04-03", itemCount: 2 });
    const events = await database.db.select().from(auditEvents).where(eq(auditEvents.entityId, key));
    expect(events.map((event) => [event.action, event.actorType, event.actorId])).toEqual([
      ["digest.posted", "cli", "registrator"],
    ]);

    // Another day is another digest.
    const nextDay = await digest({ send: true, channel: "CREGISTRY", today: "2017-04-04", env: slackEnv() });
    expect(nextDay.code).toBe(0);
    expect(slack.callsTo("chat.postMessage")).toHaveLength(2);
  });
});
