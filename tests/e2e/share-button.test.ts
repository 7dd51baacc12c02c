import { count } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { slackReceipts } from "../../src/db/schema.js";
import { SHARE_CASE_ACTION } from "../../src/slack/blocks/case-card.js";
import type { RecordedCall } from "../support/fake-slack.js";
import { botForThisFile } from "../support/running-bot.js";
import { SECRET_SUMMARY, SECRET_TITLE, seedStatusCases } from "../support/scenarios.js";
import { blockActions, buttonIn, interact } from "../support/slack-payloads.js";
import { sendArende } from "../support/slash-command.js";

let restrictedId: number;

/** Each test has its own bot, stopped with `finish()` so every answer in flight is counted. */
const { bot, database } = botForThisFile({
  botPerTest: true,
  given: async (seed) => {
    restrictedId = (await seedStatusCases(seed)).restricted;
  },
});

const finish = () => bot.stop();

type Message = { response_type?: string; replace_original?: boolean; text: string; blocks: unknown[] };

/** The ephemeral card `/arende status <dnr>` gives `user`, and the value of its share button. */
async function shareValueFromCard(dnr: string, user: string): Promise<string> {
  const { answer } = await sendArende(bot, `status ${dnr}`, { user });
  return buttonIn(answer?.blocks, SHARE_CASE_ACTION).value;
}

/** A click on the card's button in an ephemeral message; its answers arrive at `responseId`. */
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
  return blockActions(bot, {
    user,
    button: { actionId: SHARE_CASE_ACTION, value, blockId: "case_card", text: "Dela i kanalen" },
    channel: "C111",
    messageTs,
    ephemeral: true,
    responseId,
  }).payload;
}

async function click(payload: unknown): Promise<void> {
  await interact(bot, payload);
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
