import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { PostError } from "../../src/modules/posting/poster.js";
import { ChannelPacer, createPostingClient, createWebPoster } from "../../src/slack/web-poster.js";
import { FakeSlack } from "../support/fake-slack.js";

let slack: FakeSlack;
beforeAll(async () => {
  slack = new FakeSlack();
  await slack.start();
});
afterAll(() => slack.stop());

let logged: string[];
beforeEach(() => {
  logged = [];
});

function poster(intervalMs = 0) {
  return createWebPoster({
    client: createPostingClient({
      botToken: "xoxb-test",
      apiUrl: slack.apiUrl,
      logLevel: "error",
      retryConfig: { retries: 2, minTimeout: 10, maxTimeout: 20 },
    }),
    pacer: new ChannelPacer({ intervalMs }),
    log: (line) => logged.push(line),
  });
}

const posts = (channel: string) =>
  slack.callsTo("chat.postMessage").filter((call) => call.body.channel === channel);

describe("posting through the Web API", () => {
  it("sends text, blocks and the thread, and answers the message's ts", async () => {
    const { ts } = await poster().post({
      channel: "CTHREAD",
      text: "del 2",
      blocks: [{ type: "section", text: { type: "mrkdwn", text: "del 2" } }],
      threadTs: "1700000000.000001",
    });
    expect(ts).toMatch(/^1700000000\.\d{6}$/);
    const [call] = posts("CTHREAD");
    expect(call?.body).toMatchObject({ text: "del 2", thread_ts: "1700000000.000001" });
    expect(call?.body.blocks).toHaveLength(1);
  });

  it("waits out a 429's Retry-After and then posts once", async () => {
    let limited = 0;
    slack.respondWith((call) => {
      if (call.method !== "chat.postMessage" || call.body.channel !== "CLIMIT" || limited > 0)
        return undefined;
      limited += 1;
      return { status: 429, headers: { "retry-after": "1" }, body: { ok: false, error: "ratelimited" } };
    });
    const started = performance.now();
    const { ts } = await poster().post({ channel: "CLIMIT", text: "hej" });
    const elapsed = performance.now() - started;
    expect(ts).toBeTruthy();
    expect(posts("CLIMIT")).toHaveLength(2);
    expect(elapsed).toBeGreaterThanOrEqual(950);
    // Exactly Retry-After, no backoff of the client's own on top.
    expect(elapsed).toBeLessThan(1_900);
  });

  it("retries a server error with backoff", async () => {
    let failures = 0;
    slack.respondWith((call) => {
      if (call.method !== "chat.postMessage" || call.body.channel !== "C500" || failures >= 2)
        return undefined;
      failures += 1;
      return { status: 500, body: { ok: false } };
    });
    await poster().post({ channel: "C500", text: "hej" });
    expect(posts("C500")).toHaveLength(3);
  });

  it("fails fast, with a line saying what to do, when Slack refuses the channel", async () => {
    slack.respondWith((call) =>
      call.method === "chat.postMessage" && call.body.channel === "CGONE"
        ? { body: { ok: false, error: "not_in_channel" } }
        : undefined,
    );
    const failure = await poster()
      .post({ channel: "CGONE", text: "hej" })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(PostError);
    expect(failure).toMatchObject({ code: "not_in_channel", retryable: false });
    expect(posts("CGONE")).toHaveLength(1);
    expect(logged).toEqual([expect.stringMatching(/CGONE: not_in_channel \(.*invite/)]);
  });

  it("gives up on a channel that stays rate-limited, leaving the retry to the next run", async () => {
    slack.respondWith((call) =>
      call.method === "chat.postMessage" && call.body.channel === "CSLOW"
        ? { status: 429, headers: { "retry-after": "120" }, body: { ok: false, error: "ratelimited" } }
        : undefined,
    );
    await expect(poster().post({ channel: "CSLOW", text: "hej" })).rejects.toMatchObject({
      code: "rate_limited",
      retryable: true,
    });
    expect(posts("CSLOW")).toHaveLength(1);
  });

  it("updates a message in place, waiting out Retry-After, and fails with Slack's code", async () => {
    let limited = false;
    slack.respondWith((call) => {
      if (call.method !== "chat.update" || call.body.channel !== "CUPD" || limited) return undefined;
      limited = true;
      return { status: 429, headers: { "retry-after": "1" }, body: { ok: false, error: "ratelimited" } };
    });
    slack.respondWith((call) =>
      call.method === "chat.update" && call.body.channel === "COLD"
        ? { body: { ok: false, error: "message_not_found" } }
        : undefined,
    );
    await poster().update({ channel: "CUPD", ts: "1.000001", text: "beslutat" });
    const updates = slack.calls.filter(
      (call) => call.method === "chat.update" && call.body.channel === "CUPD",
    );
    expect(updates.map((call) => [call.body.ts, call.body.text])).toEqual([
      ["1.000001", "beslutat"],
      ["1.000001", "beslutat"],
    ]);
    await expect(poster().update({ channel: "COLD", ts: "1.2", text: "beslutat" })).rejects.toMatchObject({
      code: "message_not_found",
      retryable: false,
    });
  });

  it("keeps about a second between messages to one channel", async () => {
    const paced = poster(1_000);
    const started = performance.now();
    await paced.post({ channel: "CPACE", text: "1" });
    await paced.post({ channel: "CPACE", text: "2" });
    await paced.post({ channel: "COTHER", text: "3" });
    expect(performance.now() - started).toBeGreaterThanOrEqual(950);
    expect(performance.now() - started).toBeLessThan(1_900);
  });
});
