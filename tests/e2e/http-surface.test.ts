import { createHmac } from "node:crypto";
import { count } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { slackReceipts } from "../../src/db/schema.js";
import { SHARE_CASE_ACTION } from "../../src/slack/blocks/case-card.js";
import { botForThisFile } from "../support/running-bot.js";
import { seedClosedLetter } from "../support/scenarios.js";
import { formBody, interactionBody, sendSigned, TEST_SIGNING_SECRET } from "../support/signed-request.js";
import { blockActions } from "../support/slack-payloads.js";

let startupCalls = 0;

const { bot, database } = botForThisFile({
  given: seedClosedLetter,
});

beforeAll(async () => {
  // Bolt checks its token once at start-up; that call is the bot's own, not a request's doing.
  await bot.slack.waitForCalls("auth.test", 1);
  startupCalls = bot.slack.calls.length;
});

const FIVE_MINUTES = 5 * 60;
const now = () => Math.floor(Date.now() / 1000);

const mention = JSON.stringify({
  token: "XXYYZZ",
  team_id: "T123ABC456",
  api_app_id: "A123ABC456",
  event: {
    type: "app_mention",
    user: "U061F7AUR",
    text: "<@UBOT> status Dnr 108-1642/2017",
    ts: "1515449522.000016",
    channel: "C123ABC456",
    event_ts: "1515449522.000016",
  },
  type: "event_callback",
  authorizations: [
    { team_id: "T123ABC456", user_id: "U123ABC456", is_bot: false, is_enterprise_install: false },
  ],
  event_id: "Ev123ABC456",
  event_time: 1515449522,
});

const slashCommand = () =>
  formBody({
    token: "verification_token",
    team_id: "T111",
    team_domain: "test-domain",
    channel_id: "C111",
    channel_name: "random",
    user_id: "W111",
    user_name: "primary-owner",
    command: "/arende",
    text: "status Dnr 108-1642/2017",
    response_url: bot.slack.responseUrl("forged-command"),
    trigger_id: "111.111.xxx",
  });

const shareClick = () =>
  interactionBody(
    blockActions(bot, {
      user: "W111",
      button: { actionId: SHARE_CASE_ACTION, value: JSON.stringify({ caseId: 1 }), text: "Dela i kanalen" },
      channel: "C111",
      messageTs: "111.222",
      ephemeral: true,
      responseId: "forged-click",
    }).payload,
  );

/** Web API and response_url calls made after start-up. */
const callsSinceStart = () => bot.slack.calls.slice(startupCalls);

async function receiptCount(): Promise<number> {
  const [row] = await database.db.select({ n: count() }).from(slackReceipts);
  return Number(row?.n ?? 0);
}

describe("requests not signed by Slack", () => {
  const requests = () => [
    { what: "a mention", body: mention, contentType: "application/json" as const },
    {
      what: "a slash command",
      body: slashCommand(),
      contentType: "application/x-www-form-urlencoded" as const,
    },
    { what: "a button click", body: shareClick(), contentType: "application/x-www-form-urlencoded" as const },
  ];

  it("a wrong signature gets 401 and touches nothing", async () => {
    for (const request of requests()) {
      const response = await sendSigned(bot.eventsUrl, request.body, {
        contentType: request.contentType,
        secret: "not-the-signing-secret",
      });
      expect(response.status, request.what).toBe(401);
    }
    expect(callsSinceStart()).toEqual([]);
    expect(await receiptCount()).toBe(0);
  });

  it("a correctly signed request older than five minutes gets 401 and touches nothing", async () => {
    for (const request of requests()) {
      const response = await sendSigned(bot.eventsUrl, request.body, {
        contentType: request.contentType,
        timestamp: now() - FIVE_MINUTES - 60,
      });
      expect(response.status, request.what).toBe(401);
    }
    expect(callsSinceStart()).toEqual([]);
    expect(await receiptCount()).toBe(0);
  });

  it("a request without signature headers gets 401 and touches nothing", async () => {
    const response = await fetch(bot.eventsUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: mention,
    });
    expect(response.status).toBe(401);
    expect(callsSinceStart()).toEqual([]);
    expect(await receiptCount()).toBe(0);
  });

  it("answers Slack's unsigned ssl_check, and takes nothing else from its body", async () => {
    const smuggled = new URLSearchParams({
      ssl_check: "1",
      command: "/arende",
      text: "status Dnr 108-1642/2017",
      user_id: "U061F7AUR",
    }).toString();
    const response = await fetch(bot.eventsUrl, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: smuggled,
    });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("");
    expect(callsSinceStart()).toEqual([]);
    expect(await receiptCount()).toBe(0);
  });

  it("an unsigned form that is not an ssl_check gets 401", async () => {
    const response = await fetch(bot.eventsUrl, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ command: "/arende", text: "status Dnr 108-1642/2017" }).toString(),
    });
    expect(response.status).toBe(401);
    expect(callsSinceStart()).toEqual([]);
  });

  it("a body changed after signing gets 401", async () => {
    const timestamp = now();
    const signature = `v0=${createHmac("sha256", TEST_SIGNING_SECRET).update(`v0:${timestamp}:${mention}`).digest("hex")}`;
    const response = await fetch(bot.eventsUrl, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-slack-request-timestamp": String(timestamp),
        "x-slack-signature": signature,
      },
      body: mention.replace("<@UBOT> status", "<@UBOT>  status"),
    });
    expect(response.status).toBe(401);
    expect(callsSinceStart()).toEqual([]);
    expect(await receiptCount()).toBe(0);
  });

  it("since nothing was claimed, the genuine delivery of the same event is still answered", async () => {
    const response = await sendSigned(bot.eventsUrl, mention, { contentType: "application/json" });
    expect(response.status).toBe(200);
    const [post] = await bot.slack.waitForCalls("chat.postMessage", 1);
    expect(post?.body.thread_ts).toBe("1515449522.000016");
    expect(JSON.stringify(post?.body.blocks)).toContain("Bristerna inom socialtjänsten");
    expect(await receiptCount()).toBeGreaterThan(0);
  });
});

describe("url_verification and health", () => {
  it("answers Slack's url_verification with its challenge", async () => {
    const challenge = "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P";
    const response = await sendSigned(
      bot.eventsUrl,
      JSON.stringify({ token: "Jhj5dZrVaK7ZwHHjRyZWjbDl", challenge, type: "url_verification" }),
      { contentType: "application/json" },
    );
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ challenge });
  });

  it("GET /healthz answers 200", async () => {
    const response = await fetch(`${bot.baseUrl}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("ok\n");
  });

  it("GET /readyz answers 200 while the database answers", async () => {
    const response = await fetch(`${bot.baseUrl}/readyz`);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("ready\n");
  });

  // Last in the file: it closes the database under the running bot.
  it("GET /readyz answers 503 once the database is gone, while /healthz still answers", async () => {
    await database.destroy();
    const ready = await fetch(`${bot.baseUrl}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.text()).toBe("database unavailable\n");
    expect((await fetch(`${bot.baseUrl}/healthz`)).status).toBe(200);
  });
});
