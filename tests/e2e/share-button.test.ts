import { count } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { slackReceipts } from "../../src/db/schema.js";
import type { RecordedCall } from "../support/fake-slack.js";
import { type BotUnderTest, startBotUnderTest } from "../support/running-bot.js";
import { Seeder } from "../support/seed-rows.js";
import { formBody, interactionBody, sendSigned } from "../support/signed-request.js";
import { createTestDatabase, type TestDatabase } from "../support/test-database.js";

/** Each test has its own bot, ended with `finish()` so every answer in flight is counted. */
let database: TestDatabase;
let bot: BotUnderTest;
let running = false;
let restrictedId: number;

const SECRET_TITLE = "Orosanmälan gällande barn på Drottninggatan 5";
const SECRET_SUMMARY = "Skolan anmäler misstänkt vanvård.";

beforeAll(async () => {
  database = await createTestDatabase();
  const seed = new Seeder(database.db);
  await seed.case({
    dnr: "108-1642/2017",
    kind: "skrivelse",
    title: "Bristerna inom socialtjänsten",
    publicTitle: "Bristerna inom socialtjänsten",
    raisedBy: [{ name: "Lotta Edholm", party: "L" }],
    raisedOn: "2016-10-26",
    status: "closed",
    outcome: "Skrivelsen anses besvarad",
    responsibleBody: "kommunstyrelsen",
    timeline: [{ kind: "decision", body: "kommunstyrelsen", text: "Skrivelsen anses besvarad." }],
  });
  restrictedId = await seed.case({
    dnr: "108-2001/2017",
    kind: "other",
    title: SECRET_TITLE,
    publicTitle: "Sekretess",
    restricted: true,
    summary: SECRET_SUMMARY,
    raisedOn: "2017-02-01",
    officerSlackUserId: "UOFFICER",
    status: "in_progress",
  });
});

beforeEach(async () => {
  bot = await startBotUnderTest(database);
  running = true;
});

afterEach(async () => {
  if (running) await finish();
});

afterAll(async () => {
  await database?.destroy();
});

async function finish(): Promise<void> {
  running = false;
  await bot.stop();
}

type Message = { response_type?: string; replace_original?: boolean; text: string; blocks: unknown[] };
type Button = { type: string; action_id: string; value: string };

/** The ephemeral card `/arende status <dnr>` gives `user`, and the value of its share button. */
async function shareValueFromCard(dnr: string, user: string): Promise<string> {
  const response = await sendSigned(
    bot.eventsUrl,
    formBody({
      token: "verification_token",
      team_id: "T111",
      team_domain: "test-domain",
      channel_id: "C111",
      channel_name: "random",
      user_id: user,
      user_name: user.toLowerCase(),
      command: "/arende",
      text: `status ${dnr}`,
      response_url: bot.slack.responseUrl("command"),
      trigger_id: "111.111.xxx",
    }),
    { contentType: "application/x-www-form-urlencoded" },
  );
  expect(response.status).toBe(200);
  const card = (await response.json()) as { blocks: { type: string; elements?: Button[] }[] };
  const button = card.blocks
    .flatMap((block) => (block.type === "actions" ? (block.elements ?? []) : []))
    .find((element) => element.action_id === "case_card.share");
  if (!button) throw new Error(`no share button on the card for ${dnr}`);
  return button.value;
}

let clicks = 0;

/** Shape of slack-payloads/block_actions.json: a click on the card's button in an ephemeral message. */
function shareClick({
  value,
  user = "W111",
  messageTs = "111.222",
  responseId,
}: {
  value: string;
  user?: string;
  messageTs?: string;
  responseId: string;
}) {
  clicks += 1;
  return {
    type: "block_actions",
    user: { id: user, username: user.toLowerCase(), name: user.toLowerCase(), team_id: "T111" },
    api_app_id: "A111",
    token: "verification_token",
    container: { type: "message", message_ts: messageTs, channel_id: "C111", is_ephemeral: true },
    trigger_id: `111.222.${clicks}`,
    team: { id: "T111", domain: "workspace-domain", enterprise_id: "E111", enterprise_name: "Sandbox Org" },
    channel: { id: "C111", name: "test-channel" },
    response_url: bot.slack.responseUrl(responseId),
    actions: [
      {
        action_id: "case_card.share",
        block_id: "case_card",
        text: { type: "plain_text", text: "Dela i kanalen", emoji: true },
        value,
        type: "button",
        action_ts: "1596530385.194939",
      },
    ],
  };
}

async function click(payload: unknown): Promise<void> {
  const response = await sendSigned(bot.eventsUrl, interactionBody(payload), {
    contentType: "application/x-www-form-urlencoded",
  });
  expect(response.status).toBe(200);
}

const responses = (responseId: string): Message[] =>
  bot.slack.callsTo(`/response/${responseId}`).map((call: RecordedCall) => call.body as Message);
const shown = (message: Message | undefined) => `${message?.text}\n${JSON.stringify(message?.blocks)}`;
const webApiCalls = () => bot.slack.calls.filter((call) => call.method.startsWith("chat."));

async function receiptCount(): Promise<number> {
  const [row] = await database.db.select({ n: count() }).from(slackReceipts);
  return Number(row?.n ?? 0);
}

describe("Dela i kanalen", () => {
  it("posts the card for everyone in the channel, saying who shared it", async () => {
    const value = await shareValueFromCard("Dnr 108-1642/2017", "W111");
    await click(shareClick({ value, messageTs: "200.001", responseId: "share-once" }));
    await finish();

    const answers = responses("share-once");
    expect(answers).toHaveLength(1);
    expect(answers[0]?.response_type).toBe("in_channel");
    expect(answers[0]?.replace_original).toBe(false);
    const texts = shown(answers[0]);
    expect(texts).toContain("Delat av <@W111>");
    expect(texts).toContain("Bristerna inom socialtjänsten");
    expect(texts).toContain("Besvarad i kommunstyrelsen");
    // The shared card has no button of its own.
    expect(texts).not.toContain("case_card.share");
  });

  it("a second click posts nothing new and says the card is already shared", async () => {
    const value = await shareValueFromCard("Dnr 108-1642/2017", "W111");
    await click(shareClick({ value, messageTs: "200.002", responseId: "share-twice" }));
    await bot.slack.waitForCalls("/response/share-twice", 1);
    await click(shareClick({ value, messageTs: "200.002", responseId: "share-twice" }));
    await finish();

    const answers = responses("share-twice");
    expect(answers.map((answer) => answer.response_type)).toEqual(["in_channel", "ephemeral"]);
    expect(shown(answers[1])).toContain("redan delat");
  });

  it("the same click delivered twice at once still posts only once", async () => {
    const value = await shareValueFromCard("Dnr 108-1642/2017", "W111");
    const payload = shareClick({ value, messageTs: "200.003", responseId: "share-parallel" });
    await Promise.all([click(payload), click(payload)]);
    await finish();

    const answers = responses("share-parallel");
    expect(answers).toHaveLength(2);
    expect(answers.filter((answer) => answer.response_type === "in_channel")).toHaveLength(1);
    const other = answers.find((answer) => answer.response_type !== "in_channel");
    expect(other?.response_type).toBe("ephemeral");
    expect(shown(other)).toContain("redan delat");
  });

  it("a restricted case is shared with its public data only, even by its officer", async () => {
    const value = await shareValueFromCard("Dnr 108-2001/2017", "UOFFICER");
    expect(JSON.parse(value)).toEqual({ caseId: restrictedId });
    await click(
      shareClick({ value, user: "UOFFICER", messageTs: "200.004", responseId: "share-restricted" }),
    );
    await finish();

    const answers = responses("share-restricted");
    expect(answers).toHaveLength(1);
    expect(answers[0]?.response_type).toBe("in_channel");
    const texts = shown(answers[0]);
    expect(texts).toContain("Dnr 108-2001/2017");
    expect(texts).toContain("Sekretess");
    expect(texts).toContain("Delat av <@UOFFICER>");
    expect(texts).not.toContain(SECRET_TITLE);
    expect(texts).not.toContain(SECRET_SUMMARY);
  });
});

describe("a forged or broken button", () => {
  it.each([
    ["not JSON", "click_me_123"],
    ["JSON without a case id", '{"case":1}'],
    ["a case id that is not a number", '{"caseId":"1 or 1=1"}'],
  ])("with a value that is %s changes nothing and answers politely", async (_what, value) => {
    const before = await receiptCount();
    await click(shareClick({ value, responseId: "forged" }));
    await finish();

    const answers = responses("forged");
    expect(answers).toHaveLength(1);
    expect(answers[0]?.response_type).toBe("ephemeral");
    expect(answers[0]?.text).toBe("Knappen är trasig; fråga igen med /arende status.");
    expect(webApiCalls()).toEqual([]);
    expect(await receiptCount()).toBe(before);
  });

  it("with an unknown case id posts nothing to the channel and says the case is gone", async () => {
    await click(shareClick({ value: JSON.stringify({ caseId: 987654 }), responseId: "unknown-case" }));
    await finish();

    const answers = responses("unknown-case");
    expect(answers).toHaveLength(1);
    expect(answers[0]?.response_type).toBe("ephemeral");
    expect(answers[0]?.text).toBe("Ärendet finns inte längre i diariet.");
    expect(webApiCalls()).toEqual([]);
  });
});
