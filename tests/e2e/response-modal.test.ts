import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  approvalMessages,
  auditEvents,
  deadlines,
  memberships,
  referralResponses,
  referrals,
} from "../../src/db/schema.js";
import type { RecordedCall } from "../support/fake-slack.js";
import { type BotUnderTest, startBotUnderTest } from "../support/running-bot.js";
import { Seeder } from "../support/seed-rows.js";
import { formBody, interactionBody, sendSigned } from "../support/signed-request.js";
import { sendArende } from "../support/slash-command.js";
import { createTestDatabase, type TestDatabase } from "../support/test-database.js";

const REGISTRATOR = "U0REG0001";
const OFFICER = "U0HANDL01";
const BROMMA_OFFICER = "U0BROMMA1";
const SSR_OFFICER = "U0SSR0001";
const APPROVER = "U0GODK001";
const OUTSIDER = "U0OUTSIDE";
const ADMIN = "U0ADMIN01";

let database: TestDatabase;
let bot: BotUnderTest;
let letter: number;
let motion: number;

beforeAll(async () => {
  database = await createTestDatabase();
  const seed = new Seeder(database.db);
  const socialnamnden = await seed.body("Socialnämnden", "board", "C0SOCIAL");
  const bromma = await seed.body("Bromma stadsdelsnämnd", "district_board", "C0BROMMA");
  const ssr = await seed.body("Akademikerförbundet SSR", "external_organisation");
  letter = await seed.case({
    dnr: "108-1642/2017",
    kind: "skrivelse",
    title: "Bristerna inom socialtjänsten",
    publicTitle: "Bristerna inom socialtjänsten",
    raisedOn: "2016-10-26",
    status: "in_progress",
    responsibleBody: "Socialnämnden",
  });
  motion = await seed.case({
    dnr: "108-1700/2017",
    kind: "motion",
    title: "Motion om en kompetensutvecklingspeng för socialsekreterare",
    publicTitle: "Motion om en kompetensutvecklingspeng för socialsekreterare",
    raisedOn: "2016-03-01",
    status: "in_progress",
    referrals: [
      { body: "Bromma stadsdelsnämnd", sentOn: "2017-03-01", dueOn: "2017-04-28", state: "open" },
      { body: "Akademikerförbundet SSR", sentOn: "2017-03-01", dueOn: "2017-04-28", state: "open" },
    ],
  });
  const grantedAt = new Date("2017-01-01T00:00:00Z");
  await database.db.insert(memberships).values([
    { slackUserId: REGISTRATOR, bodyId: socialnamnden, role: "registrator", grantedBy: ADMIN, grantedAt },
    { slackUserId: OFFICER, bodyId: socialnamnden, role: "handlaggare", grantedBy: ADMIN, grantedAt },
    { slackUserId: APPROVER, bodyId: socialnamnden, role: "godkannare", grantedBy: ADMIN, grantedAt },
    { slackUserId: BROMMA_OFFICER, bodyId: bromma, role: "handlaggare", grantedBy: ADMIN, grantedAt },
    { slackUserId: SSR_OFFICER, bodyId: ssr, role: "handlaggare", grantedBy: ADMIN, grantedAt },
  ]);
  // The bot's clock: Monday 3 April 2017.
  bot = await startBotUnderTest(database, { env: { ARENDE_ADMINS: ADMIN } });
  // As Slack does: a message posted to a user id lands in the DM channel, whose id is answered.
  let dms = 0;
  bot.slack.respondWith((call) => {
    if (call.method !== "chat.postMessage" || !String(call.body.channel).startsWith("U")) return undefined;
    dms += 1;
    return {
      body: {
        ok: true,
        channel: `D${String(call.body.channel).slice(1)}`,
        ts: `1800000000.${String(dms).padStart(6, "0")}`,
      },
    };
  });
});

afterAll(async () => {
  await bot?.stop();
  await database?.destroy();
});

type Element = {
  type: string;
  action_id: string;
  value?: string;
  style?: string;
  text?: { text: string };
  confirm?: unknown;
  options?: { text: { text: string }; value: string }[];
  initial_date?: string;
};
type Block = { type: string; block_id?: string; element?: Element; elements?: Element[] };
type View = {
  callback_id: string;
  private_metadata: string;
  blocks: Block[];
  title: unknown;
  submit?: unknown;
};
type Message = { response_type?: string; text: string; blocks: unknown[] };

/** `/arende <text>` as `user`, typed in `channel`. */
async function arende(text: string, user: string, channel = "C0REGISTRY") {
  const opened = bot.slack.callsTo("views.open").length;
  const { responsePath } = await sendArende(bot, text, { user, channel });
  return { path: responsePath, opened };
}

async function capturedView(opened: number): Promise<View> {
  const calls = await bot.slack.waitForCalls("views.open", opened + 1);
  return (calls[opened] as RecordedCall).body.view as View;
}

function input(view: View, type: string): { blockId: string; actionId: string; element: Element } {
  const block = view.blocks.find(
    (candidate) => candidate.type === "input" && candidate.element?.type === type,
  );
  if (!block?.block_id || !block.element) throw new Error(`no ${type} input in the modal`);
  return { blockId: block.block_id, actionId: block.element.action_id, element: block.element };
}

async function post(
  payload: unknown,
): Promise<{ response_action?: string; errors?: Record<string, string> }> {
  const response = await sendSigned(bot.eventsUrl, interactionBody(payload), {
    contentType: "application/x-www-form-urlencoded",
  });
  expect(response.status).toBe(200);
  const text = await response.text();
  return text === "" ? {} : JSON.parse(text);
}

let submissions = 0;
/** A view_submission (shape of slack-payloads/view_submission.json) of a captured `view`. */
function submission(
  view: View,
  user: string,
  fill: { remiss?: string; date: string | null; summary?: string; link?: string; declined?: boolean },
) {
  submissions += 1;
  const select = input(view, "static_select");
  const date = input(view, "datepicker");
  const summary = input(view, "plain_text_input");
  const link = input(view, "url_text_input");
  const declined = input(view, "checkboxes");
  const option = (select.element.options ?? []).find((candidate) =>
    candidate.text.text.startsWith(fill.remiss ?? "\u0000"),
  );
  const declineOption = declined.element.options?.[0];
  return {
    type: "view_submission",
    team: { id: "T111", domain: "workspace-domain" },
    user: { id: user, username: user.toLowerCase(), name: user.toLowerCase(), team_id: "T111" },
    api_app_id: "A111",
    token: "verification_token",
    trigger_id: `333.${submissions}.trigger`,
    view: {
      id: "V0SVAR",
      team_id: "T111",
      type: "modal",
      blocks: view.blocks,
      private_metadata: view.private_metadata,
      callback_id: view.callback_id,
      state: {
        values: {
          [select.blockId]: {
            [select.actionId]: { type: "static_select", selected_option: option ?? null },
          },
          [date.blockId]: { [date.actionId]: { type: "datepicker", selected_date: fill.date } },
          [summary.blockId]: {
            [summary.actionId]: { type: "plain_text_input", value: fill.summary ?? null },
          },
          [link.blockId]: { [link.actionId]: { type: "url_text_input", value: fill.link ?? null } },
          [declined.blockId]: {
            [declined.actionId]: {
              type: "checkboxes",
              selected_options: fill.declined && declineOption ? [declineOption] : [],
            },
          },
        },
      },
      hash: "1596530361.3wRYuk3R",
      title: view.title,
      clear_on_close: false,
      notify_on_close: false,
      close: { type: "plain_text", text: "Avbryt" },
      submit: view.submit,
      previous_view_id: null,
      root_view_id: "V0SVAR",
      app_id: "A111",
      external_id: "",
      app_installed_team_id: "T111",
      bot_id: "B111",
    },
    response_urls: [],
  };
}

async function responsesOf(caseId: number) {
  const rows = await database.db
    .select({ response: referralResponses, bodyId: referrals.bodyId })
    .from(referralResponses)
    .innerJoin(referrals, eq(referrals.id, referralResponses.referralId))
    .where(eq(referrals.caseId, caseId));
  return rows;
}

/** The first recorded call to `method` that `matches`, waiting for it. */
async function callWhere(method: string, matches: (call: RecordedCall) => boolean): Promise<RecordedCall> {
  await expect.poll(() => bot.slack.callsTo(method).some(matches), { timeout: 5_000 }).toBe(true);
  return bot.slack.callsTo(method).find(matches) as RecordedCall;
}

const shown = (body: Record<string, unknown> | undefined) => `${body?.text}\n${JSON.stringify(body?.blocks)}`;
const buttonsOf = (body: Record<string, unknown> | undefined): Element[] =>
  ((body?.blocks ?? []) as Block[]).flatMap((block) =>
    block.type === "actions" ? (block.elements ?? []) : [],
  );

describe("Registrera remissvar", () => {
  it("the card sent on remiss has the button; clicking it opens the form, submitting asks the godkännare", async () => {
    // Send the letter on remiss to Socialnämnden, as a registrator.
    const { opened } = await arende("remittera Dnr 108-1642/2017", REGISTRATOR);
    const remissView = await capturedView(opened);
    const bodies = input(remissView, "multi_static_select");
    const social = (bodies.element.options ?? []).find((option) => option.text.text === "Socialnämnden");
    const posted = bot.slack.callsTo("chat.postMessage").length;
    const sent = await post({
      type: "view_submission",
      user: { id: REGISTRATOR, username: "reg", name: "reg", team_id: "T111" },
      team: { id: "T111", domain: "workspace-domain" },
      api_app_id: "A111",
      token: "verification_token",
      trigger_id: "222.1.trigger",
      view: {
        id: "V0REMISS",
        type: "modal",
        callback_id: remissView.callback_id,
        private_metadata: remissView.private_metadata,
        blocks: remissView.blocks,
        state: {
          values: {
            [bodies.blockId]: {
              [bodies.actionId]: { type: "multi_static_select", selected_options: [social] },
            },
            [input(remissView, "datepicker").blockId]: {
              [input(remissView, "datepicker").actionId]: { type: "datepicker", selected_date: "2017-04-28" },
            },
          },
        },
      },
    });
    expect(sent).toEqual({ response_action: "clear" });
    const card = (await bot.slack.waitForCalls("chat.postMessage", posted + 1))
      .slice(posted)
      .find((call) => call.body.channel === "C0SOCIAL");
    const [button] = buttonsOf(card?.body);
    expect(button).toMatchObject({ type: "button", text: { text: "Registrera remissvar" } });
    const buttonBlock = ((card?.body.blocks ?? []) as Block[]).find((block) =>
      block.elements?.includes(button as Element),
    );

    // A handläggare of Socialnämnden clicks it (shape of slack-payloads/block_actions.json).
    const openedBefore = bot.slack.callsTo("views.open").length;
    await post({
      type: "block_actions",
      user: { id: OFFICER, username: "handl", name: "handl", team_id: "T111" },
      api_app_id: "A111",
      token: "verification_token",
      container: {
        type: "message",
        message_ts: "1700000000.000001",
        channel_id: "C0SOCIAL",
        is_ephemeral: false,
      },
      trigger_id: "444.1.trigger",
      team: { id: "T111", domain: "workspace-domain" },
      channel: { id: "C0SOCIAL", name: "socialnamnden" },
      response_url: bot.slack.responseUrl("click-1"),
      actions: [
        {
          action_id: button?.action_id,
          block_id: buttonBlock?.block_id,
          text: { type: "plain_text", text: button?.text?.text, emoji: true },
          value: button?.value,
          type: "button",
          action_ts: "1596530385.194939",
        },
      ],
    });
    const open = (await bot.slack.waitForCalls("views.open", openedBefore + 1))[openedBefore] as RecordedCall;
    expect(open.body.trigger_id).toBe("444.1.trigger");
    const view = open.body.view as View;
    expect(JSON.parse(view.private_metadata)).toEqual({ caseId: letter, channelId: "C0SOCIAL" });
    expect(input(view, "static_select").element.options?.map((option) => option.text.text)).toEqual([
      "Socialnämnden (svar senast 28 april 2017)",
    ]);
    expect(input(view, "datepicker").element.initial_date).toBe("2017-04-03");

    const before = bot.slack.callsTo("chat.postMessage").length;
    const answer = await post(
      submission(view, OFFICER, {
        remiss: "Socialnämnden",
        date: "2017-03-30",
        summary: "Nämnden tillstyrker <förslaget>.",
        link: "https://insyn.stockholm.se/tjansteutlatande.pdf",
      }),
    );
    expect(answer).toEqual({ response_action: "clear" });

    const [stored] = await responsesOf(letter);
    expect(stored?.response).toMatchObject({
      kind: "answer",
      summary: "Nämnden tillstyrker <förslaget>.",
      answeredOn: "2017-03-30",
      approvalState: "pending",
      submittedBySlackUserId: OFFICER,
    });
    const audit = await database.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.action, "referral_response.submitted"));
    expect(audit.filter((event) => event.entityId === String(stored?.response.id))).toHaveLength(1);

    const dm = (await bot.slack.waitForCalls("chat.postMessage", before + 1))
      .slice(before)
      .find((call) => call.body.channel === APPROVER);
    expect(shown(dm?.body)).toContain("Remissvar att godkänna");
    expect(shown(dm?.body)).toContain("Nämnden tillstyrker &lt;förslaget&gt;.");
    expect(shown(dm?.body)).toContain("<@U0HANDL01>");
    const decisions = buttonsOf(dm?.body);
    expect(decisions.map((decision) => [decision.action_id, decision.style, decision.text?.text])).toEqual([
      ["approval.approve", "primary", "Godkänn"],
      ["approval.reject", "danger", "Avslå"],
    ]);
    for (const decision of decisions) {
      expect(JSON.parse(decision.value ?? "")).toEqual({ responseId: stored?.response.id });
      expect(decision.confirm).toBeDefined();
    }
    const confirmation = await callWhere("chat.postEphemeral", (call) => call.body.user === OFFICER);
    expect(confirmation?.body).toMatchObject({ channel: "C0SOCIAL", user: OFFICER });
    expect(shown(confirmation?.body)).toContain("väntar på godkännande");
    expect(shown(confirmation?.body)).toContain(`<@${APPROVER}>`);

    await expect.poll(async () => (await database.db.select().from(approvalMessages)).length).toBe(1);
    const [copy] = await database.db.select().from(approvalMessages);
    // Stored with whose DM it is, so the decision can update it as that godkännare may read it.
    expect(copy).toMatchObject({
      responseId: stored?.response.id,
      channelId: "D0GODK001",
      recipientSlackUserId: APPROVER,
    });

    // The godkännare clicks Godkänn in that DM: a block_actions payload built from the posted button.
    const approve = decisions[0] as Element;
    const approveBlock = ((dm?.body.blocks ?? []) as Block[]).find((block) =>
      block.elements?.some((element) => element.action_id === approve.action_id),
    );
    const updatesBefore = bot.slack.callsTo("chat.update").length;
    await post({
      type: "block_actions",
      user: { id: APPROVER, username: "godk", name: "godk", team_id: "T111" },
      api_app_id: "A111",
      token: "verification_token",
      container: {
        type: "message",
        message_ts: copy?.messageTs,
        channel_id: "D0GODK001",
        is_ephemeral: false,
      },
      trigger_id: "555.1.trigger",
      team: { id: "T111", domain: "workspace-domain" },
      channel: { id: "D0GODK001", name: "directmessage" },
      message: { type: "message", ts: copy?.messageTs, text: dm?.body.text, blocks: dm?.body.blocks },
      response_url: bot.slack.responseUrl("approve-1"),
      actions: [
        {
          action_id: approve.action_id,
          block_id: approveBlock?.block_id,
          text: { type: "plain_text", text: approve.text?.text, emoji: true },
          value: approve.value,
          style: approve.style,
          type: "button",
          action_ts: "1596530399.000001",
        },
      ],
    });

    // The request is updated in place: no buttons, who approved it instead.
    const update = (await bot.slack.waitForCalls("chat.update", updatesBefore + 1))[updatesBefore];
    expect(update?.body).toMatchObject({ channel: "D0GODK001", ts: copy?.messageTs });
    expect(shown(update?.body)).toContain(`Godkänd av <@${APPROVER}>`);
    expect(JSON.stringify(update?.body.blocks)).not.toContain("approval.approve");
    // The submitter is told.
    const told = await callWhere(
      "chat.postMessage",
      (call) => call.body.channel === OFFICER && shown(call.body).includes("godkänt"),
    );
    expect(shown(told.body)).toContain("Dnr 108-1642/2017");
    // The registry: response approved, referral answered on the answer's date, its deadline met.
    const [decided] = await responsesOf(letter);
    expect(decided?.response).toMatchObject({ approvalState: "approved", decidedBySlackUserId: APPROVER });
    const [referral] = await database.db.select().from(referrals).where(eq(referrals.caseId, letter));
    expect(referral).toMatchObject({ state: "answered", answeredOn: "2017-03-30" });
    const [deadline] = await database.db
      .select()
      .from(deadlines)
      .where(eq(deadlines.referralId, referral?.id ?? 0));
    expect(deadline).toMatchObject({ kind: "referral_due", state: "met", metOn: "2017-03-30" });
    const approvals = await database.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.action, "referral_response.approved"));
    expect(approvals.map((event) => [event.entityId, event.actorType, event.actorId])).toEqual([
      [String(stored?.response.id), "slack_user", APPROVER],
    ]);
    // And /arende status shows the new state at once.
    const status = await sendSigned(
      bot.eventsUrl,
      formBody({
        command: "/arende",
        text: "status Dnr 108-1642/2017",
        user_id: OUTSIDER,
        channel_id: "C0REGISTRY",
        response_url: bot.slack.responseUrl("status-after"),
        trigger_id: "666.1.trigger",
      }),
      { contentType: "application/x-www-form-urlencoded" },
    );
    expect(JSON.stringify(await status.json())).toContain(
      "Socialnämnden: svar senast 28 april 2017, besvarad",
    );
  });

  it("by a user with no role: a private refusal and no modal", async () => {
    const { path, opened } = await arende("remissvar Dnr 108-1642/2017", OUTSIDER);
    const [answer] = await bot.slack.waitForCalls(path, 1);
    expect((answer?.body as Message | undefined)?.response_type).toBe("ephemeral");
    expect((answer?.body as Message | undefined)?.text).toContain(
      "Bara handläggare och registratorer för organet kan registrera remissvaret",
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(bot.slack.callsTo("views.open")).toHaveLength(opened);
  });

  it("the button clicked by someone without the role, or forged, answers privately and opens nothing", async () => {
    const opened = bot.slack.callsTo("views.open").length;
    for (const [user, value, responseId] of [
      [OUTSIDER, JSON.stringify({ caseId: letter }), "click-outsider"],
      [APPROVER, JSON.stringify({ caseId: letter }), "click-approver"],
      [OFFICER, '{"caseId":"1 or 1=1"}', "click-forged"],
    ] as const) {
      await post({
        type: "block_actions",
        user: { id: user, username: "u", name: "u", team_id: "T111" },
        api_app_id: "A111",
        token: "verification_token",
        container: { type: "message", message_ts: "1700000000.000001", channel_id: "C0SOCIAL" },
        trigger_id: `555.${responseId}`,
        team: { id: "T111", domain: "workspace-domain" },
        channel: { id: "C0SOCIAL", name: "socialnamnden" },
        response_url: bot.slack.responseUrl(responseId),
        actions: [
          {
            action_id: "response.open_modal",
            block_id: "response_open",
            value,
            type: "button",
            action_ts: "1.2",
          },
        ],
      });
      const [answer] = await bot.slack.waitForCalls(`/response/${responseId}`, 1);
      expect((answer?.body as Message | undefined)?.response_type).toBe("ephemeral");
      expect((answer?.body as Message | undefined)?.text).toMatch(/Bara handläggare|Knappen är trasig/);
    }
    expect(bot.slack.callsTo("views.open")).toHaveLength(opened);
  });

  it("invalid fields are answered with errors naming each field, and nothing is stored", async () => {
    const { opened } = await arende("remissvar Dnr 108-1700/2017", BROMMA_OFFICER);
    const view = await capturedView(opened);
    expect(input(view, "static_select").element.options?.map((option) => option.text.text)).toEqual([
      "Bromma stadsdelsnämnd (svar senast 28 april 2017)",
    ]);
    const answer = await post(
      submission(view, BROMMA_OFFICER, { date: "2017-04-04", summary: "  ", link: "ftp://example.org/svar" }),
    );
    expect(answer.response_action).toBe("errors");
    expect(answer.errors).toEqual({
      [input(view, "static_select").blockId]: "Välj remissen du svarar på.",
      [input(view, "datepicker").blockId]:
        "4 april 2017 har inte varit än. Välj i dag (3 april 2017) eller ett tidigare datum.",
      [input(view, "plain_text_input").blockId]:
        "Skriv en sammanfattning av svaret, eller kryssa i att organet avstår.",
      [input(view, "url_text_input").blockId]: expect.stringContaining("Länken måste vara en webbadress"),
    });
    expect(await responsesOf(motion)).toHaveLength(0);
  });

  it("the same submission twice stores one response; with no godkännare the body's channel is asked", async () => {
    const { opened } = await arende("remissvar Dnr 108-1700/2017", BROMMA_OFFICER, "C0BROMMA");
    const view = await capturedView(opened);
    const payload = submission(view, BROMMA_OFFICER, {
      remiss: "Bromma",
      date: "2017-04-03",
      summary: "Stadsdelsnämnden instämmer.",
    });
    const posted = bot.slack.callsTo("chat.postMessage").length;
    const answers = await Promise.all([post(payload), post(payload)]);
    expect(answers.filter((answer) => answer.response_action === "clear")).toHaveLength(1);
    const conflict = answers.find((answer) => answer.response_action === "errors");
    expect(conflict?.errors?.[input(view, "static_select").blockId]).toContain(
      "har redan ett remissvar som väntar på godkännande",
    );
    const rows = (await responsesOf(motion)).filter(
      (row) => row.response.submittedBySlackUserId === BROMMA_OFFICER,
    );
    expect(rows).toHaveLength(1);

    const request = (await bot.slack.waitForCalls("chat.postMessage", posted + 1))
      .slice(posted)
      .find((call) => call.body.channel === "C0BROMMA");
    expect(buttonsOf(request?.body).map((button) => button.action_id)).toEqual([
      "approval.approve",
      "approval.reject",
    ]);
    await expect
      .poll(async () =>
        (await database.db.select().from(approvalMessages)).filter((row) => row.channelId === "C0BROMMA"),
      )
      .toHaveLength(1);
  });

  it("'avstår' with neither godkännare nor channel: stored as declined, the submitter is told who can grant the role", async () => {
    const { opened } = await arende("remissvar Dnr 108-1700/2017", SSR_OFFICER);
    const view = await capturedView(opened);
    const answer = await post(
      submission(view, SSR_OFFICER, { remiss: "Akademikerförbundet", date: "2017-04-03", declined: true }),
    );
    expect(answer).toEqual({ response_action: "clear" });
    const [row] = (await responsesOf(motion)).filter(
      (candidate) => candidate.response.submittedBySlackUserId === SSR_OFFICER,
    );
    expect(row?.response).toMatchObject({ kind: "declined", approvalState: "pending" });
    const message = await callWhere("chat.postEphemeral", (call) => call.body.user === SSR_OFFICER);
    expect(shown(message?.body)).toContain("har ingen godkännare och ingen kanal");
    expect(shown(message?.body)).toContain("/arende roll ge @namn godkännare Akademikerförbundet SSR");
  });
});
