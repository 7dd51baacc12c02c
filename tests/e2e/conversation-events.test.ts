import { describe, expect, it } from "vitest";
import type { RecordedCall } from "../support/fake-slack.js";
import { botForThisFile } from "../support/running-bot.js";
import { SECRET_SUMMARY, SECRET_TITLE, seedStatusCases } from "../support/scenarios.js";
import { sendSigned } from "../support/signed-request.js";

/**
 * Mentions and DMs are acknowledged at once and answered afterwards, so "exactly one answer" can
 * only be checked once the bot has finished: each test gets its own bot and ends it with
 * `finish()`, which waits for the work in flight, as a real shutdown does.
 */
const { bot } = botForThisFile({ botPerTest: true, given: seedStatusCases });

/** Stops the bot after the answers in flight are sent; the fake Slack keeps what it recorded. */
const finish = () => bot.stop();

let sequence = 0;
/** Every delivery in this file has its own event_id and ts, since receipts outlive a test. */
function nextIds() {
  sequence += 1;
  return {
    eventId: `Ev0CONV${String(sequence).padStart(4, "0")}`,
    ts: `1515449522.${String(sequence).padStart(6, "0")}`,
  };
}

/** Shape of slack-payloads/app_mention.event_callback.json. */
function appMention({
  text,
  user = "U061F7AUR",
  channel = "C123ABC456",
  ts,
  eventId,
}: {
  text: string;
  user?: string;
  channel?: string;
  ts: string;
  eventId: string;
}) {
  return {
    token: "XXYYZZ",
    team_id: "T123ABC456",
    api_app_id: "A123ABC456",
    event: { type: "app_mention", user, text, ts, channel, event_ts: ts },
    type: "event_callback",
    authorizations: [
      { team_id: "T123ABC456", user_id: "U123ABC456", is_bot: false, is_enterprise_install: false },
    ],
    event_id: eventId,
    event_time: 1515449522,
  };
}

/** Shape of slack-payloads/message_im.event_callback.json. */
function directMessage({
  text,
  user = "U2147483697",
  channel = "D024BE91L",
  ts,
  eventId,
}: {
  text: string;
  user?: string;
  channel?: string;
  ts: string;
  eventId: string;
}) {
  return {
    token: "one-long-verification-token",
    team_id: "T061EG9R6",
    api_app_id: "A0PNCHHK2",
    event: { type: "message", channel, user, text, ts, event_ts: ts, channel_type: "im" },
    type: "event_callback",
    authed_teams: ["T061EG9R6"],
    event_id: eventId,
    event_time: 1355517523,
  };
}

async function deliver(payload: unknown, headers: Record<string, string> = {}): Promise<void> {
  const response = await sendSigned(bot.eventsUrl, JSON.stringify(payload), {
    contentType: "application/json",
    headers,
  });
  // Slack retries anything that is not a quick 2xx.
  expect(response.status).toBe(200);
}

const shown = (call: RecordedCall | undefined) => `${call?.body.text}\n${JSON.stringify(call?.body.blocks)}`;

describe("app_mention", () => {
  it("answers once, in the thread of the question, with the case card", async () => {
    const { eventId, ts } = nextIds();
    await deliver(appMention({ text: "<@UBOT> status Dnr 108-1642/2017", ts, eventId }));
    await finish();

    const posts = bot.slack.callsTo("chat.postMessage");
    expect(posts).toHaveLength(1);
    const [post] = posts;
    expect(post?.body.channel).toBe("C123ABC456");
    expect(post?.body.thread_ts).toBe(ts);
    expect(post?.body.text).toContain("Dnr 108-1642/2017");
    const texts = shown(post);
    expect(texts).toContain("Bristerna inom socialtjänsten");
    expect(texts).toContain("Besvarad i kommunstyrelsen");
    // A card already in a channel needs no share button.
    expect(texts).not.toContain("case_card.share");
    expect(bot.slack.callsTo("chat.postEphemeral")).toEqual([]);
  });

  it("a mention with hjälp gets the help in the thread", async () => {
    const { eventId, ts } = nextIds();
    await deliver(appMention({ text: "<@UBOT> hjälp", ts, eventId }));
    const [post] = await bot.slack.waitForCalls("chat.postMessage", 1);
    expect(post?.body.thread_ts).toBe(ts);
    expect(shown(post)).toContain("/arende status Dnr 108-1642/2017");
  });

  it("a mention asking about an unknown number says so in the thread", async () => {
    const { eventId, ts } = nextIds();
    await deliver(appMention({ text: "<@UBOT> status Dnr 108-1643/2017", ts, eventId }));
    const [post] = await bot.slack.waitForCalls("chat.postMessage", 1);
    expect(shown(post)).toContain("Jag hittar inget ärende med Dnr 108-1643/2017 i diariet.");
    expect(shown(post)).toContain("Dnr 108-1642/2017");
  });
});

describe("message.im", () => {
  it("answers in the DM channel", async () => {
    const { eventId, ts } = nextIds();
    await deliver(directMessage({ text: "status Motion 2016:114", ts, eventId }));
    await finish();

    const posts = bot.slack.callsTo("chat.postMessage");
    expect(posts).toHaveLength(1);
    expect(posts[0]?.body.channel).toBe("D024BE91L");
    expect(posts[0]?.body.thread_ts).toBeUndefined();
    const texts = shown(posts[0]);
    expect(texts).toContain("Motion 2016:114");
    expect(texts).toContain("Socialnämnden: svar senast 31 mars 2017, försenad 3 dagar");
  });

  it("ignores edits and other subtypes, which are not new questions", async () => {
    const { eventId, ts } = nextIds();
    const edited = directMessage({ text: "status Motion 2016:114", ts, eventId });
    await deliver({ ...edited, event: { ...edited.event, subtype: "message_changed" } });
    await finish();
    expect(bot.slack.callsTo("chat.postMessage")).toEqual([]);
  });
});

describe("one answer per question", () => {
  it("a retry of the same event (x-slack-retry-num: 1, http_timeout) is not answered again", async () => {
    const { eventId, ts } = nextIds();
    const mention = appMention({ text: "<@UBOT> status Dnr 108-1642/2017", ts, eventId });
    await deliver(mention);
    await bot.slack.waitForCalls("chat.postMessage", 1);
    await deliver(mention, { "x-slack-retry-num": "1", "x-slack-retry-reason": "http_timeout" });
    await finish();
    expect(bot.slack.callsTo("chat.postMessage")).toHaveLength(1);
  });

  it("a retry that arrives while the first delivery is still being answered is not answered again", async () => {
    const { eventId, ts } = nextIds();
    const message = directMessage({ text: "status Motion 2016:114", ts, eventId });
    await Promise.all([
      deliver(message),
      deliver(message, { "x-slack-retry-num": "1", "x-slack-retry-reason": "http_timeout" }),
      deliver(message, { "x-slack-retry-num": "2", "x-slack-retry-reason": "http_timeout" }),
    ]);
    await finish();
    expect(bot.slack.callsTo("chat.postMessage")).toHaveLength(1);
  });

  it("a mention in a DM also delivered as a message (same channel and ts, other event_id) is answered once", async () => {
    const mentionIds = nextIds();
    const messageIds = nextIds();
    const text = "<@UBOT> status Dnr 108-1642/2017";
    await Promise.all([
      deliver(appMention({ text, channel: "D024BE91L", ts: mentionIds.ts, eventId: mentionIds.eventId })),
      deliver(directMessage({ text, channel: "D024BE91L", ts: mentionIds.ts, eventId: messageIds.eventId })),
    ]);
    await finish();
    const posts = bot.slack.callsTo("chat.postMessage");
    expect(posts).toHaveLength(1);
    expect(shown(posts[0])).toContain("Bristerna inom socialtjänsten");
  });

  it("two different questions are both answered", async () => {
    const first = nextIds();
    const second = nextIds();
    await deliver(directMessage({ text: "status Motion 2016:114", ...first }));
    await deliver(directMessage({ text: "status Dnr 108-1642/2017", ...second }));
    await finish();
    expect(bot.slack.callsTo("chat.postMessage")).toHaveLength(2);
  });
});

describe("a restricted case asked about in a channel", () => {
  const secrets = [SECRET_TITLE, SECRET_SUMMARY];

  it("a mention by someone else gets the public data only, and nothing private", async () => {
    const { eventId, ts } = nextIds();
    await deliver(appMention({ text: "<@UBOT> status Dnr 108-2001/2017", user: "U061F7AUR", ts, eventId }));
    await finish();

    const posts = bot.slack.callsTo("chat.postMessage");
    expect(posts).toHaveLength(1);
    const texts = shown(posts[0]);
    expect(texts).toContain("Dnr 108-2001/2017");
    expect(texts).toContain("Sekretess");
    expect(texts).toContain("Här visas endast offentliga uppgifter");
    for (const secret of secrets) expect(texts).not.toContain(secret);
    expect(bot.slack.callsTo("chat.postEphemeral")).toEqual([]);
  });

  it("a mention by the case officer: public data in the channel, the full card only to the officer", async () => {
    const { eventId, ts } = nextIds();
    await deliver(appMention({ text: "<@UBOT> status Dnr 108-2001/2017", user: "UOFFICER", ts, eventId }));
    await finish();

    const posts = bot.slack.callsTo("chat.postMessage");
    expect(posts).toHaveLength(1);
    expect(posts[0]?.body.channel).toBe("C123ABC456");
    for (const secret of secrets) expect(shown(posts[0])).not.toContain(secret);

    const privately = bot.slack.callsTo("chat.postEphemeral");
    expect(privately).toHaveLength(1);
    expect(privately[0]?.body).toMatchObject({ channel: "C123ABC456", user: "UOFFICER", thread_ts: ts });
    for (const secret of secrets) expect(shown(privately[0])).toContain(secret);
  });

  it("a DM is answered like a channel: someone who is not the officer gets the public data only", async () => {
    const { eventId, ts } = nextIds();
    await deliver(directMessage({ text: "status Dnr 108-2001/2017", user: "U2147483697", ts, eventId }));
    await finish();
    const posts = bot.slack.callsTo("chat.postMessage");
    expect(posts).toHaveLength(1);
    for (const secret of secrets) expect(shown(posts[0])).not.toContain(secret);
    expect(bot.slack.callsTo("chat.postEphemeral")).toEqual([]);
  });
});
