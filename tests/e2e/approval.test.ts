import { asc, eq, inArray } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { openPostgres } from "../../src/db/client.js";
import { auditEvents, deadlines, referralResponses, referrals } from "../../src/db/schema.js";
import {
  APPROVE_RESPONSE_ACTION,
  REJECT_REASON_VIEW,
  REJECT_RESPONSE_ACTION,
} from "../../src/slack/blocks/approval-ids.js";
import type { FakeSlack, RecordedCall } from "../support/fake-slack.js";
import { type BotUnderTest, botForThisFile, startBotUnderTest } from "../support/running-bot.js";
import { pendingRemissvar } from "../support/scenarios.js";
import { blockActions, type CapturedView, interact, rejectForm } from "../support/slack-payloads.js";
import { refusal } from "../support/worded.js";

const APPROVER = "U0GODK001";
const SECOND_APPROVER = "U0GODK002";
const BROMMA_APPROVER = "U0GODKBRO";
const OFFICER = "U0HANDL01";
const ADMIN = "U0ADMIN01";

// The bot's clock: Monday 3 April 2017, 10:00 in Stockholm.
const { bot, database, seed } = botForThisFile({
  env: { ARENDE_ADMINS: ADMIN },
  given: async (seed) => {
    await seed.body("Socialnämnden", "board", "C0SOCIAL");
    await seed.body("Bromma stadsdelsnämnd", "district_board", "C0BROMMA");
    await seed.body("Kommunstyrelsen", "board", "C0KS");
    await seed.roles([
      { user: APPROVER, role: "godkannare", body: "Socialnämnden" },
      { user: SECOND_APPROVER, role: "godkannare", body: "Socialnämnden" },
      { user: BROMMA_APPROVER, role: "godkannare", body: "Bromma stadsdelsnämnd" },
      { user: OFFICER, role: "handlaggare", body: "Socialnämnden" },
    ]);
  },
});

let cases = 0;
/**
 * A case with an overdue remiss to `body` and a recorded response awaiting approval; the approval
 * request was posted in the body's channel and as a DM to a godkännare (two approval_messages rows).
 */
async function pendingResponse(body = "Socialnämnden", channel = "C0SOCIAL") {
  cases += 1;
  const serial = String(cases).padStart(6, "0");
  return pendingRemissvar(seed, {
    dnr: `108-${3000 + cases}/2017`,
    title: `Skrivelse ${cases}`,
    body,
    submittedBy: OFFICER,
    copies: [
      { channelId: channel, messageTs: `1700000200.${serial}` },
      { channelId: "D0GODK001", messageTs: `1700000300.${serial}` },
    ],
  });
}

type Ids = Awaited<ReturnType<typeof pendingResponse>>;

async function stored(ids: Ids) {
  const [response] = await database.db
    .select()
    .from(referralResponses)
    .where(eq(referralResponses.id, ids.responseId));
  const [referral] = await database.db.select().from(referrals).where(eq(referrals.id, ids.referralId));
  const [deadline] = await database.db.select().from(deadlines).where(eq(deadlines.id, ids.deadlineId));
  const audit = (
    await database.db
      .select()
      .from(auditEvents)
      .where(inArray(auditEvents.entityType, ["referral_response", "referral", "deadline"]))
      .orderBy(asc(auditEvents.id))
  ).filter(
    (event) =>
      (event.entityType === "referral_response" && event.entityId === String(ids.responseId)) ||
      (event.entityType === "referral" && event.entityId === String(ids.referralId)) ||
      (event.entityType === "deadline" && event.entityId === String(ids.deadlineId)),
  );
  return { response, referral, deadline, audit };
}

let lastTriggerId = "";
/** `user` clicks Godkänn or Avslå on the first copy of the request; where the private answers arrive. */
async function click(
  action: "approve" | "reject",
  ids: Pick<Ids, "responseId" | "messages"> | { responseId: number | string; messages: Ids["messages"] },
  user: string,
  target: BotUnderTest = bot,
) {
  const actionId = action === "approve" ? APPROVE_RESPONSE_ACTION : REJECT_RESPONSE_ACTION;
  const message = ids.messages[0] as Ids["messages"][number];
  const { payload, responsePath, triggerId } = blockActions(target, {
    user,
    button: {
      actionId,
      value:
        typeof ids.responseId === "number" ? JSON.stringify({ responseId: ids.responseId }) : ids.responseId,
      text: action === "approve" ? "Godkänn" : "Avslå",
    },
    channel: message.channelId,
    messageTs: message.messageTs,
    message: { text: "Remissvar att godkänna", blocks: [] },
  });
  lastTriggerId = triggerId;
  await interact(target, payload);
  return responsePath;
}

async function waitUntil(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 5_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const shown = (call: RecordedCall | undefined) => `${call?.body.text}\n${JSON.stringify(call?.body.blocks)}`;
const updatesOf = (slack: FakeSlack, messages: Ids["messages"]) =>
  slack
    .callsTo("chat.update")
    .filter((call) =>
      messages.some((m) => m.channelId === call.body.channel && m.messageTs === call.body.ts),
    );
const postsTo = (slack: FakeSlack, channel: string, containing: string) =>
  slack
    .callsTo("chat.postMessage")
    .filter((call) => call.body.channel === channel && shown(call).includes(containing));
const answers = (slack: FakeSlack, path: string) => slack.callsTo(path);

describe("Godkänn", () => {
  it("by the body's godkännare: every copy is updated in place, the submitter and the channel are told, the registry is updated", async () => {
    const ids = await pendingResponse();
    await click("approve", ids, APPROVER);
    await waitUntil(() => updatesOf(bot.slack, ids.messages).length === 2, "both copies updated");
    for (const update of updatesOf(bot.slack, ids.messages)) {
      expect(shown(update)).toContain(`Godkänd av <@${APPROVER}> 3 april 2017 10:00`);
      expect(JSON.stringify(update.body.blocks)).not.toContain(APPROVE_RESPONSE_ACTION);
      expect(JSON.stringify(update.body.blocks)).not.toContain('"actions"');
    }
    await waitUntil(() => postsTo(bot.slack, OFFICER, ids.dnr).length === 1, "DM to the submitter");
    expect(shown(postsTo(bot.slack, OFFICER, ids.dnr)[0])).toContain(`har godkänts av <@${APPROVER}>`);
    await waitUntil(
      () => postsTo(bot.slack, "C0KS", ids.dnr).length === 1,
      "line in the responsible channel",
    );

    const after = await stored(ids);
    expect(after.response).toMatchObject({ approvalState: "approved", decidedBySlackUserId: APPROVER });
    expect(after.referral).toMatchObject({ state: "answered", answeredOn: "2017-03-22" });
    expect(after.deadline).toMatchObject({ state: "met", metOn: "2017-03-22" });
    expect(after.audit.map((event) => [event.action, event.actorId])).toEqual([
      ["referral_response.approved", APPROVER],
      ["referral.answered", APPROVER],
      ["deadline.met", APPROVER],
    ]);
  });

  it("two clicks at once (a double click, two godkännare): one approval, one 'redan avgjort'", async () => {
    const ids = await pendingResponse();
    const paths = await Promise.all([
      click("approve", ids, APPROVER),
      click("approve", ids, SECOND_APPROVER),
    ]);
    await waitUntil(
      () => paths.some((path) => answers(bot.slack, path).length > 0),
      "the loser's private answer",
    );
    const after = await stored(ids);
    expect(after.response?.approvalState).toBe("approved");
    expect(after.audit.filter((event) => event.action === "referral_response.approved")).toHaveLength(1);
    const winner = after.response?.decidedBySlackUserId;
    const replies = paths.flatMap((path) => answers(bot.slack, path));
    expect(replies).toHaveLength(1);
    expect(replies[0]?.body).toMatchObject({ response_type: "ephemeral", replace_original: false });
    expect(shown(replies[0])).toContain(`Redan avgjort: godkänd av <@${winner}> 10:00`);
    await waitUntil(() => postsTo(bot.slack, OFFICER, ids.dnr).length === 1, "one DM");
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(postsTo(bot.slack, OFFICER, ids.dnr)).toHaveLength(1);
  });

  it.runIf(Boolean(process.env.TEST_DATABASE_URL))(
    "two app instances on one PostgreSQL database: one approval, one 'redan avgjort'",
    async () => {
      const ids = await pendingResponse();
      const secondHandle = openPostgres(database.url as string, { max: 5 });
      const second = await startBotUnderTest(secondHandle, { env: { ARENDE_ADMINS: ADMIN } });
      try {
        const [first, other] = await Promise.all([
          click("approve", ids, APPROVER, bot),
          click("approve", ids, SECOND_APPROVER, second),
        ]);
        const loserAnswers = () => [...answers(bot.slack, first), ...answers(second.slack, other)];
        await waitUntil(() => loserAnswers().length > 0, "the loser's private answer");
        const after = await stored(ids);
        expect(after.response?.approvalState).toBe("approved");
        expect(after.audit.filter((event) => event.action === "referral_response.approved")).toHaveLength(1);
        expect(after.audit.filter((event) => event.action === "referral.answered")).toHaveLength(1);
        await new Promise((resolve) => setTimeout(resolve, 200));
        expect(loserAnswers()).toHaveLength(1);
        expect(shown(loserAnswers()[0])).toContain(
          `Redan avgjort: godkänd av <@${after.response?.decidedBySlackUserId}>`,
        );
      } finally {
        await second.stop();
        await secondHandle.close();
      }
    },
  );

  it("an unauthorised clicker and a forged value (another body's response) are refused; nothing changes", async () => {
    const ids = await pendingResponse();
    const brommas = await pendingResponse("Bromma stadsdelsnämnd", "C0BROMMA");
    const [before, brommaBefore] = [await stored(ids), await stored(brommas)];
    const updatesBefore = bot.slack.callsTo("chat.update").length;

    const officer = await click("approve", ids, OFFICER);
    await waitUntil(() => answers(bot.slack, officer).length === 1, "refusal");
    expect(answers(bot.slack, officer)[0]?.body).toMatchObject({
      response_type: "ephemeral",
      text: refusal("approve_response", "Socialnämnden"),
    });
    // The Socialnämnden message's button, with its value changed to name Bromma's response.
    const forged = await click(
      "approve",
      { responseId: brommas.responseId, messages: ids.messages },
      APPROVER,
    );
    await waitUntil(() => answers(bot.slack, forged).length === 1, "refusal");
    expect(answers(bot.slack, forged)[0]?.body).toMatchObject({
      response_type: "ephemeral",
      text: refusal("approve_response", "Bromma stadsdelsnämnd"),
    });
    const broken = await click(
      "approve",
      { responseId: '{"responseId":"1 OR 1=1"}', messages: ids.messages },
      APPROVER,
    );
    await waitUntil(() => answers(bot.slack, broken).length === 1, "broken button answer");
    const rejectRefused = await click("reject", ids, BROMMA_APPROVER);
    await waitUntil(() => answers(bot.slack, rejectRefused).length === 1, "refusal");
    expect(shown(answers(bot.slack, rejectRefused)[0])).toContain("Bara godkännare för Socialnämnden");

    expect(await stored(ids)).toEqual(before);
    expect(await stored(brommas)).toEqual(brommaBefore);
    expect(bot.slack.callsTo("chat.update")).toHaveLength(updatesBefore);
    expect(bot.slack.callsTo("views.open").filter((call) => call.body.trigger_id === lastTriggerId)).toEqual(
      [],
    );
  });
});

describe("Avslå", () => {
  async function openForm(ids: Ids, user = APPROVER): Promise<{ view: CapturedView; call: RecordedCall }> {
    const opened = bot.slack.callsTo("views.open").length;
    await click("reject", ids, user);
    const calls = await bot.slack.waitForCalls("views.open", opened + 1);
    const call = calls[opened] as RecordedCall;
    return { view: call.body.view as CapturedView, call };
  }

  const submit = (payload: unknown) => interact(bot, payload);

  it("opens the reason form; an empty reason is an error on the field; a reason rejects, tells the submitter why and keeps the remiss open", async () => {
    const ids = await pendingResponse();
    const { view, call } = await openForm(ids);
    expect(call.body.trigger_id).toBe(lastTriggerId);
    expect(view.callback_id).toBe(REJECT_REASON_VIEW);
    expect(JSON.parse(view.private_metadata)).toEqual({ responseId: ids.responseId });
    const reasonBlock = view.blocks.find((block) => block.type === "input")?.block_id as string;

    for (const empty of [null, "   "]) {
      const answer = await submit(rejectForm(view, APPROVER, empty));
      expect(answer.response_action).toBe("errors");
      expect(Object.keys(answer.errors ?? {})).toEqual([reasonBlock]);
    }
    expect((await stored(ids)).response?.approvalState).toBe("pending");

    expect(await submit(rejectForm(view, APPROVER, "Yttrandet saknar beslutsförslag."))).toEqual({});
    await waitUntil(() => updatesOf(bot.slack, ids.messages).length === 2, "both copies updated");
    for (const update of updatesOf(bot.slack, ids.messages)) {
      expect(shown(update)).toContain(
        `Avslagen av <@${APPROVER}> 3 april 2017 10:00: Yttrandet saknar beslutsförslag.`,
      );
    }
    await waitUntil(() => postsTo(bot.slack, OFFICER, ids.dnr).length === 1, "DM to the submitter");
    const dm = shown(postsTo(bot.slack, OFFICER, ids.dnr)[0]);
    expect(dm).toContain("har avslagits");
    expect(dm).toContain("Yttrandet saknar beslutsförslag.");

    const after = await stored(ids);
    expect(after.response).toMatchObject({
      approvalState: "rejected",
      decidedBySlackUserId: APPROVER,
      decisionReason: "Yttrandet saknar beslutsförslag.",
    });
    expect(after.referral).toMatchObject({ state: "open", answeredOn: null });
    expect(after.deadline).toMatchObject({ state: "open" });
    expect(after.audit.map((event) => [event.action, event.actorId])).toEqual([
      ["referral_response.rejected", APPROVER],
    ]);

    // Godkänn on the old message of a rejected request: "redan avgjort", nothing changes.
    const before = await stored(ids);
    const late = await click("approve", ids, SECOND_APPROVER);
    await waitUntil(() => answers(bot.slack, late).length === 1, "'redan avgjort'");
    expect(shown(answers(bot.slack, late)[0])).toContain(`Redan avgjort: avslagen av <@${APPROVER}> 10:00`);
    expect(await stored(ids)).toEqual(before);
    // A second submit of the same form (a retry, another tab) loses too, and says who decided.
    const again = await submit(rejectForm(view, SECOND_APPROVER, "Annat skäl."));
    expect(again.response_action).toBe("errors");
    expect(again.errors?.[reasonBlock]).toBe(`Redan avgjort: avslagen av ${APPROVER.toLowerCase()} 10:00.`);
    expect(await stored(ids)).toEqual(before);
  });

  it("Avslå on a request already approved opens no form and says who decided", async () => {
    const ids = await pendingResponse();
    await click("approve", ids, APPROVER);
    await waitUntil(async () => (await stored(ids)).response?.approvalState === "approved", "approval");
    const opened = bot.slack.callsTo("views.open").length;
    const path = await click("reject", ids, SECOND_APPROVER);
    await waitUntil(() => answers(bot.slack, path).length === 1, "'redan avgjort'");
    expect(shown(answers(bot.slack, path)[0])).toContain(`Redan avgjort: godkänd av <@${APPROVER}>`);
    expect(bot.slack.callsTo("views.open")).toHaveLength(opened);
  });
});
