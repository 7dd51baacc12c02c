import { asc, eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openPostgres } from "../../src/db/client.js";
import {
  approvalMessages,
  auditEvents,
  deadlines,
  memberships,
  referralResponses,
  referrals,
} from "../../src/db/schema.js";
import {
  APPROVE_RESPONSE_ACTION,
  REJECT_REASON_VIEW,
  REJECT_RESPONSE_ACTION,
} from "../../src/slack/blocks/approval-ids.js";
import type { FakeSlack, RecordedCall } from "../support/fake-slack.js";
import { type BotUnderTest, startBotUnderTest } from "../support/running-bot.js";
import { Seeder } from "../support/seed-rows.js";
import { interactionBody, sendSigned } from "../support/signed-request.js";
import { createTestDatabase, type TestDatabase } from "../support/test-database.js";
import { refusal } from "../support/worded.js";

const APPROVER = "U0GODK001";
const SECOND_APPROVER = "U0GODK002";
const BROMMA_APPROVER = "U0GODKBRO";
const OFFICER = "U0HANDL01";
const ADMIN = "U0ADMIN01";

let database: TestDatabase;
let bot: BotUnderTest;
let seed: Seeder;

beforeAll(async () => {
  database = await createTestDatabase();
  seed = new Seeder(database.db);
  const socialnamnden = await seed.body("Socialnämnden", "board", "C0SOCIAL");
  const bromma = await seed.body("Bromma stadsdelsnämnd", "district_board", "C0BROMMA");
  await seed.body("Kommunstyrelsen", "board", "C0KS");
  const grant = (slackUserId: string, bodyId: number, role: "godkannare" | "handlaggare") => ({
    slackUserId,
    bodyId,
    role,
    grantedBy: ADMIN,
    grantedAt: new Date("2017-01-01T00:00:00Z"),
  });
  await database.db
    .insert(memberships)
    .values([
      grant(APPROVER, socialnamnden, "godkannare"),
      grant(SECOND_APPROVER, socialnamnden, "godkannare"),
      grant(BROMMA_APPROVER, bromma, "godkannare"),
      grant(OFFICER, socialnamnden, "handlaggare"),
    ]);
  // The bot's clock: Monday 3 April 2017, 10:00 in Stockholm.
  bot = await startBotUnderTest(database, { env: { ARENDE_ADMINS: ADMIN } });
});

afterAll(async () => {
  await bot?.stop();
  await database?.destroy();
});

let cases = 0;
/**
 * A case with an overdue remiss to `body` and a recorded response awaiting approval; the approval
 * request was posted in the body's channel and as a DM to a godkännare (two approval_messages rows).
 */
async function pendingResponse(body = "Socialnämnden", channel = "C0SOCIAL") {
  cases += 1;
  const dnr = `108-${3000 + cases}/2017`;
  const caseId = await seed.case({
    dnr,
    kind: "skrivelse",
    title: `Skrivelse ${cases}`,
    publicTitle: `Skrivelse ${cases}`,
    responsibleBody: "Kommunstyrelsen",
    status: "in_progress",
    referrals: [
      {
        body,
        sentOn: "2017-03-01",
        dueOn: "2017-03-31",
        dueStatement: "ska senast vara inlämnad 31 mars 2017",
        state: "open",
        responses: [
          {
            documentTitle: "Tjänsteutlåtande",
            summary: "Motionen kan anses besvarad.",
            answeredOn: "2017-03-22",
            submittedByName: "handlaggare",
            submittedBySlackUserId: OFFICER,
          },
        ],
      },
    ],
  });
  const [referral] = await database.db.select().from(referrals).where(eq(referrals.caseId, caseId));
  if (!referral) throw new Error("no referral");
  const [deadline] = await database.db
    .insert(deadlines)
    .values({
      caseId,
      referralId: referral.id,
      kind: "referral_due",
      dueOn: "2017-03-31",
      basis: "Remissens svarsdatum",
    })
    .returning({ id: deadlines.id });
  const [response] = await database.db
    .select()
    .from(referralResponses)
    .where(eq(referralResponses.referralId, referral.id));
  if (!response || !deadline) throw new Error("no response");
  const messages = [
    { channelId: channel, messageTs: `1700000200.${String(cases).padStart(6, "0")}` },
    { channelId: "D0GODK001", messageTs: `1700000300.${String(cases).padStart(6, "0")}` },
  ];
  await database.db
    .insert(approvalMessages)
    .values(messages.map((message) => ({ ...message, responseId: response.id })));
  return { caseId, dnr, referralId: referral.id, deadlineId: deadline.id, responseId: response.id, messages };
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

let clicks = 0;
/** Shape of slack-payloads/block_actions.json: a click on a button of the approval request in a channel. */
function buttonClick(
  slack: FakeSlack,
  {
    actionId,
    responseId,
    user,
    message,
  }: {
    actionId: string;
    responseId: number | string;
    user: string;
    message: { channelId: string; messageTs: string };
  },
) {
  clicks += 1;
  const responseUrlId = `approval-${clicks}`;
  const payload = {
    type: "block_actions",
    user: { id: user, username: user.toLowerCase(), name: user.toLowerCase(), team_id: "T111" },
    api_app_id: "A111",
    token: "verification_token",
    container: {
      type: "message",
      message_ts: message.messageTs,
      channel_id: message.channelId,
      is_ephemeral: false,
    },
    trigger_id: `333.444.${clicks}`,
    team: { id: "T111", domain: "workspace-domain" },
    channel: { id: message.channelId, name: "socialnamnden" },
    message: { type: "message", ts: message.messageTs, text: "Remissvar att godkänna", blocks: [] },
    response_url: slack.responseUrl(responseUrlId),
    actions: [
      {
        action_id: actionId,
        block_id: "approval_actions",
        text: { type: "plain_text", text: actionId === APPROVE_RESPONSE_ACTION ? "Godkänn" : "Avslå" },
        value: typeof responseId === "number" ? JSON.stringify({ responseId }) : responseId,
        type: "button",
        action_ts: "1596530385.194939",
      },
    ],
  };
  return { payload, responsePath: `/response/${responseUrlId}` };
}

async function send(url: string, payload: unknown): Promise<string> {
  const response = await sendSigned(url, interactionBody(payload), {
    contentType: "application/x-www-form-urlencoded",
  });
  expect(response.status).toBe(200);
  return response.text();
}

async function click(
  action: "approve" | "reject",
  ids: Pick<Ids, "responseId" | "messages"> | { responseId: number | string; messages: Ids["messages"] },
  user: string,
  target: BotUnderTest = bot,
) {
  const { payload, responsePath } = buttonClick(target.slack, {
    actionId: action === "approve" ? APPROVE_RESPONSE_ACTION : REJECT_RESPONSE_ACTION,
    responseId: ids.responseId,
    user,
    message: ids.messages[0] as Ids["messages"][number],
  });
  await send(target.eventsUrl, payload);
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
    expect(
      bot.slack.callsTo("views.open").filter((call) => call.body.trigger_id === `333.444.${clicks}`),
    ).toEqual([]);
  });
});

type View = {
  callback_id: string;
  private_metadata: string;
  blocks: { type: string; block_id?: string; element?: { action_id: string } }[];
};

describe("Avslå", () => {
  async function openForm(ids: Ids, user = APPROVER): Promise<{ view: View; call: RecordedCall }> {
    const opened = bot.slack.callsTo("views.open").length;
    await click("reject", ids, user);
    const calls = await bot.slack.waitForCalls("views.open", opened + 1);
    const call = calls[opened] as RecordedCall;
    return { view: call.body.view as View, call };
  }

  function submission(view: View, reason: string | null, user = APPROVER) {
    const input = view.blocks.find((block) => block.type === "input");
    if (!input?.block_id || !input.element) throw new Error("no reason input");
    return {
      type: "view_submission",
      team: { id: "T111", domain: "workspace-domain" },
      user: { id: user, username: user.toLowerCase(), name: user.toLowerCase(), team_id: "T111" },
      api_app_id: "A111",
      token: "verification_token",
      trigger_id: "555.666.trigger",
      view: {
        id: "V0REJECT",
        team_id: "T111",
        type: "modal",
        blocks: view.blocks,
        private_metadata: view.private_metadata,
        callback_id: view.callback_id,
        state: {
          values: {
            [input.block_id]: { [input.element.action_id]: { type: "plain_text_input", value: reason } },
          },
        },
        hash: "1596530361.3wRYuk3R",
        title: { type: "plain_text", text: "Avslå remissvar" },
        previous_view_id: null,
        root_view_id: "V0REJECT",
        app_id: "A111",
        external_id: "",
        app_installed_team_id: "T111",
        bot_id: "B111",
      },
      response_urls: [],
    };
  }

  const submit = async (payload: unknown) => {
    const text = await send(bot.eventsUrl, payload);
    return text === "" ? {} : JSON.parse(text);
  };

  it("opens the reason form; an empty reason is an error on the field; a reason rejects, tells the submitter why and keeps the remiss open", async () => {
    const ids = await pendingResponse();
    const { view, call } = await openForm(ids);
    expect(call.body.trigger_id).toBe(`333.444.${clicks}`);
    expect(view.callback_id).toBe(REJECT_REASON_VIEW);
    expect(JSON.parse(view.private_metadata)).toEqual({ responseId: ids.responseId });
    const reasonBlock = view.blocks.find((block) => block.type === "input")?.block_id as string;

    for (const empty of [null, "   "]) {
      const answer = await submit(submission(view, empty));
      expect(answer.response_action).toBe("errors");
      expect(Object.keys(answer.errors)).toEqual([reasonBlock]);
    }
    expect((await stored(ids)).response?.approvalState).toBe("pending");

    expect(await submit(submission(view, "Yttrandet saknar beslutsförslag."))).toEqual({});
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
    const again = await submit(submission(view, "Annat skäl.", SECOND_APPROVER));
    expect(again.response_action).toBe("errors");
    expect(again.errors[reasonBlock]).toBe(`Redan avgjort: avslagen av ${APPROVER.toLowerCase()} 10:00.`);
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
