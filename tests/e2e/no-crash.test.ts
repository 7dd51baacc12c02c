import { createHmac } from "node:crypto";
import { request } from "node:http";
import { describe, expect, it } from "vitest";
import { startBot } from "../../src/bot.js";
import { fixedClock } from "../../src/clock.js";
import { parseConfig } from "../../src/config.js";
import { FakeSlack } from "../support/fake-slack.js";
import { botForThisFile, freePort } from "../support/running-bot.js";
import { seedClosedLetter } from "../support/scenarios.js";
import { formBody, interactionBody, sendSigned, TEST_SIGNING_SECRET } from "../support/signed-request.js";
import { sendArende } from "../support/slash-command.js";

/**
 * Issue 7 §3: no single request, and no answer from Slack's Web API, may end the process or leave
 * Slack without an answer. Each test ends by checking that the bot still answers.
 */

const MAX_BODY_KB = 64;

const { bot, database } = botForThisFile({
  env: { ARENDE_MAX_BODY_KB: String(MAX_BODY_KB) },
  given: seedClosedLetter,
});

async function stillAnswers(): Promise<void> {
  expect((await fetch(`${bot.baseUrl}/healthz`)).status).toBe(200);
  const { answer } = await sendArende(bot, "status Dnr 108-1642/2017");
  expect(JSON.stringify(answer)).toContain("Bristerna inom socialtjänsten");
}

/**
 * Declares a body of `declaredBytes` and streams it a megabyte at a time until the server answers.
 * Resolves with the status and how much was sent by then.
 */
function postHuge(
  url: string,
  declaredBytes: number,
  headers: Record<string, string>,
): Promise<{ status: number; sentBytes: number }> {
  return new Promise((resolve, reject) => {
    let sentBytes = 0;
    let answered = false;
    const chunk = Buffer.alloc(1024 * 1024, "a");
    const req = request(url, {
      method: "POST",
      headers: { "content-type": "application/json", "content-length": String(declaredBytes), ...headers },
    });
    req.on("response", (res) => {
      answered = true;
      res.resume();
      resolve({ status: res.statusCode ?? 0, sentBytes });
      req.destroy();
    });
    req.on("error", (error) => {
      if (!answered) reject(error);
    });
    const pump = () => {
      while (!answered && sentBytes < declaredBytes) {
        sentBytes += chunk.length;
        if (!req.write(chunk)) return void req.once("drain", pump);
      }
    };
    pump();
  });
}

const signatureHeaders = (body: string, timestamp = Math.floor(Date.now() / 1000)) => ({
  "x-slack-request-timestamp": String(timestamp),
  "x-slack-signature": `v0=${createHmac("sha256", TEST_SIGNING_SECRET).update(`v0:${timestamp}:${body}`).digest("hex")}`,
});

describe("request bodies", () => {
  it("an unsigned 200 MB post is refused before its body is read", async () => {
    const { status, sentBytes } = await postHuge(bot.eventsUrl, 200 * 1024 * 1024, {});
    expect(status).toBe(401);
    // The answer came while the client was still sending: the server read at most a few MB.
    expect(sentBytes).toBeLessThan(32 * 1024 * 1024);
    await stillAnswers();
  });

  it("a post with signature headers but a body over the limit is refused as too large", async () => {
    const { status, sentBytes } = await postHuge(bot.eventsUrl, 200 * 1024 * 1024, signatureHeaders("x"));
    expect(status).toBe(413);
    expect(sentBytes).toBeLessThan(32 * 1024 * 1024);
    await stillAnswers();
  });

  it("a signed body just over the limit, without a declared length, is refused as too large", async () => {
    const body = JSON.stringify({ type: "event_callback", padding: "x".repeat(MAX_BODY_KB * 1024) });
    const response = await fetch(bot.eventsUrl, {
      method: "POST",
      headers: { "content-type": "application/json", ...signatureHeaders(body) },
      // A stream has no content-length: the limit must hold while reading.
      body: new Blob([body]).stream(),
      duplex: "half",
    } as RequestInit);
    expect(response.status).toBe(413);
    await stillAnswers();
  });
});

describe("signed bodies that are not Slack payloads", () => {
  const cases: {
    what: string;
    body: string;
    contentType: "application/json" | "application/x-www-form-urlencoded";
  }[] = [
    { what: "JSON null", body: "null", contentType: "application/json" },
    {
      what: "payload=null",
      body: formBody({ payload: "null" }),
      contentType: "application/x-www-form-urlencoded",
    },
    { what: "a JSON number", body: "42", contentType: "application/json" },
    { what: "a JSON array", body: "[]", contentType: "application/json" },
    {
      what: "payload that is a string",
      body: formBody({ payload: '"x"' }),
      contentType: "application/x-www-form-urlencoded",
    },
    { what: "broken JSON", body: "{", contentType: "application/json" },
  ];

  it.each(cases)("$what gets 400 and the bot keeps answering", async ({ body, contentType }) => {
    const response = await sendSigned(bot.eventsUrl, body, { contentType });
    expect(response.status).toBe(400);
    await stillAnswers();
  });

  const oddObjects: {
    what: string;
    body: string;
    contentType: "application/json" | "application/x-www-form-urlencoded";
  }[] = [
    { what: "an empty object", body: "{}", contentType: "application/json" },
    {
      what: "an event callback without an event",
      body: '{"type":"event_callback","event":null}',
      contentType: "application/json",
    },
    {
      what: "block_actions without actions",
      body: interactionBody({ type: "block_actions" }),
      contentType: "application/x-www-form-urlencoded",
    },
    {
      what: "a view submission without a view",
      body: interactionBody({ type: "view_submission", user: { id: "W1" } }),
      contentType: "application/x-www-form-urlencoded",
    },
  ];

  it.each(oddObjects)("$what does not end the process", async ({ body, contentType }) => {
    const response = await sendSigned(bot.eventsUrl, body, { contentType });
    expect(response.status).toBeLessThan(600);
    await stillAnswers();
  });
});

describe("buttons and forms the bot has no listener for", () => {
  it("an unknown action id is acknowledged at once", async () => {
    const started = Date.now();
    const response = await sendSigned(
      bot.eventsUrl,
      interactionBody({
        type: "block_actions",
        user: { id: "W111", name: "anna" },
        channel: { id: "C111" },
        response_url: bot.slack.responseUrl("unknown-action"),
        trigger_id: "1.2.3",
        actions: [{ action_id: "something.retired", block_id: "b", type: "button", value: "1" }],
      }),
      { contentType: "application/x-www-form-urlencoded" },
    );
    expect(response.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it("an unknown view callback is acknowledged at once", async () => {
    const started = Date.now();
    const response = await sendSigned(
      bot.eventsUrl,
      interactionBody({
        type: "view_submission",
        user: { id: "W111", name: "anna" },
        view: { id: "V1", callback_id: "retired.form", private_metadata: "", state: { values: {} } },
      }),
      { contentType: "application/x-www-form-urlencoded" },
    );
    expect(response.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});

describe("Slack's Web API failing under a listener", () => {
  it("a mention whose answer Slack refuses tells the asker, with a reference, and the bot keeps answering", async () => {
    const before = bot.slack.callsTo("chat.postEphemeral").length;
    bot.slack.respondWith((call) =>
      call.method === "chat.postMessage" && call.body.channel === "C999FAIL"
        ? { body: { ok: false, error: "fatal_error" } }
        : undefined,
    );
    const mention = JSON.stringify({
      type: "event_callback",
      team_id: "T111",
      api_app_id: "A111",
      event_id: "EvFAIL1",
      event_time: 1515449522,
      authorizations: [{ team_id: "T111", user_id: "UBOT", is_bot: true }],
      event: {
        type: "app_mention",
        user: "W222",
        text: "<@UBOT> status Dnr 108-1642/2017",
        ts: "1515449522.000099",
        channel: "C999FAIL",
        event_ts: "1515449522.000099",
      },
    });
    expect((await sendSigned(bot.eventsUrl, mention, { contentType: "application/json" })).status).toBe(200);
    const notices = await bot.slack.waitForCalls("chat.postEphemeral", before + 1);
    const notice = notices.at(-1)?.body;
    expect(notice?.user).toBe("W222");
    expect(String(notice?.text)).toMatch(/Något gick fel hos arendebot \(referens [0-9A-F]{6}\)/);
    await stillAnswers();
  });

  it("an answer from the Web API that is not JSON at all does not end the process", async () => {
    bot.slack.respondWith((call) =>
      call.method === "chat.postMessage" && call.body.channel === "C999HTML"
        ? { status: 502, headers: { "content-type": "text/html" }, body: "<html>Bad gateway</html>" }
        : undefined,
    );
    const mention = JSON.stringify({
      type: "event_callback",
      team_id: "T111",
      event_id: "EvFAIL2",
      event_time: 1515449522,
      event: {
        type: "app_mention",
        user: "W222",
        text: "<@UBOT> hjälp",
        ts: "1515449522.000100",
        channel: "C999HTML",
        event_ts: "1515449522.000100",
      },
    });
    expect((await sendSigned(bot.eventsUrl, mention, { contentType: "application/json" })).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await stillAnswers();
  });
});

describe("a bot token Slack refuses", () => {
  it("stops start-up with one line naming SLACK_BOT_TOKEN, before anything is served", async () => {
    const slack = new FakeSlack();
    await slack.start();
    slack.respondWith((call) =>
      call.method === "auth.test" ? { body: { ok: false, error: "invalid_auth" } } : undefined,
    );
    const port = await freePort();
    const config = parseConfig(
      {
        SLACK_BOT_TOKEN: "xoxb-revoked",
        SLACK_SIGNING_SECRET: TEST_SIGNING_SECRET,
        SLACK_API_URL: slack.apiUrl,
        PORT: String(port),
        LOG_LEVEL: "error",
      },
      "bot",
    );
    try {
      const starting = startBot({ config, clock: fixedClock("2017-04-03T10:00:00+02:00"), database });
      await expect(starting).rejects.toThrow(/SLACK_BOT_TOKEN \(invalid_auth\)/);
      await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
    } finally {
      await slack.stop();
    }
  });
});
