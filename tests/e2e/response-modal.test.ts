import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import {
  approvalMessages,
  auditEvents,
  deadlines,
  referralResponses,
  referrals,
} from "../../src/db/schema.js";
import { APPROVE_RESPONSE_ACTION } from "../../src/slack/blocks/approval-ids.js";
import { OPEN_RESPONSE_MODAL_ACTION, RESPONSE_BLOCKS } from "../../src/slack/blocks/response-modal.js";
import type { RecordedCall } from "../support/fake-slack.js";
import { botForThisFile } from "../support/running-bot.js";
import { seedRemissSetting } from "../support/scenarios.js";
import {
  blockActions,
  buttonIn,
  buttonsOf,
  type CapturedView,
  inputIn,
  interact,
  remissForm,
  remissvarForm,
} from "../support/slack-payloads.js";
import { sendArende } from "../support/slash-command.js";

const REGISTRATOR = "U0REG0001";
const OFFICER = "U0HANDL01";
const BROMMA_OFFICER = "U0BROMMA1";
const SSR_OFFICER = "U0SSR0001";
const APPROVER = "U0GODK001";
const OUTSIDER = "U0OUTSIDE";
const ADMIN = "U0ADMIN01";

let letter: number;
let motion: number;

// The bot's clock: Monday 3 April 2017.
const { bot, database } = botForThisFile({
  env: { ARENDE_ADMINS: ADMIN },
  given: async (seed) => {
    ({ letter, motion } = await seedRemissSetting(seed, {
      motionReferrals: [
        { body: "Bromma stadsdelsnämnd", sentOn: "2017-03-01", dueOn: "2017-04-28", state: "open" },
        { body: "Akademikerförbundet SSR", sentOn: "2017-03-01", dueOn: "2017-04-28", state: "open" },
      ],
    }));
    await seed.roles([
      { user: REGISTRATOR, role: "registrator", body: "Socialnämnden" },
      { user: OFFICER, role: "handlaggare", body: "Socialnämnden" },
      { user: APPROVER, role: "godkannare", body: "Socialnämnden" },
      { user: BROMMA_OFFICER, role: "handlaggare", body: "Bromma stadsdelsnämnd" },
      { user: SSR_OFFICER, role: "handlaggare", body: "Akademikerförbundet SSR" },
    ]);
  },
});

beforeAll(() => bot.slack.deliverDirectMessages());

type View = CapturedView;
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

const post = (payload: unknown) => interact(bot, payload);
const submission = remissvarForm;

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

describe("Registrera remissvar", () => {
  it("the card sent on remiss has the button; clicking it opens the form, submitting asks the godkännare", async () => {
    // Send the letter on remiss to Socialnämnden, as a registrator.
    const { opened } = await arende("remittera Dnr 108-1642/2017", REGISTRATOR);
    const remissView = await capturedView(opened);
    const posted = bot.slack.callsTo("chat.postMessage").length;
    const sent = await post(
      remissForm(remissView, REGISTRATOR, { bodies: ["Socialnämnden"], dueOn: "2017-04-28" }),
    );
    expect(sent).toEqual({ response_action: "clear" });
    const card = (await bot.slack.waitForCalls("chat.postMessage", posted + 1))
      .slice(posted)
      .find((call) => call.body.channel === "C0SOCIAL");
    const [button] = buttonsOf(card?.body.blocks);
    expect(button).toMatchObject({ type: "button", text: { text: "Registrera remissvar" } });

    // A handläggare of Socialnämnden clicks it.
    const openedBefore = bot.slack.callsTo("views.open").length;
    const click = blockActions(bot, {
      user: OFFICER,
      button: buttonIn(card?.body.blocks, OPEN_RESPONSE_MODAL_ACTION),
      channel: "C0SOCIAL",
      message: card?.body ?? {},
    });
    await post(click.payload);
    const open = (await bot.slack.waitForCalls("views.open", openedBefore + 1))[openedBefore] as RecordedCall;
    expect(open.body.trigger_id).toBe(click.triggerId);
    const view = open.body.view as View;
    expect(JSON.parse(view.private_metadata)).toEqual({ caseId: letter, channelId: "C0SOCIAL" });
    expect(inputIn(view, RESPONSE_BLOCKS.referral).options?.map((option) => option.text.text)).toEqual([
      "Socialnämnden (svar senast 28 april 2017)",
    ]);
    expect(inputIn(view, RESPONSE_BLOCKS.answeredOn).initial_date).toBe("2017-04-03");

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
    const decisions = buttonsOf(dm?.body.blocks);
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
    const updatesBefore = bot.slack.callsTo("chat.update").length;
    await post(
      blockActions(bot, {
        user: APPROVER,
        button: buttonIn(dm?.body.blocks, APPROVE_RESPONSE_ACTION),
        channel: "D0GODK001",
        messageTs: copy?.messageTs ?? "",
        message: dm?.body ?? {},
      }).payload,
    );

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
    const status = await sendArende(bot, "status Dnr 108-1642/2017", {
      user: OUTSIDER,
      channel: "C0REGISTRY",
    });
    expect(JSON.stringify(status.answer)).toContain("Socialnämnden: svar senast 28 april 2017, besvarad");
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
    for (const [user, value] of [
      [OUTSIDER, JSON.stringify({ caseId: letter })],
      [APPROVER, JSON.stringify({ caseId: letter })],
      [OFFICER, '{"caseId":"1 or 1=1"}'],
    ] as const) {
      const click = blockActions(bot, {
        user,
        button: { actionId: OPEN_RESPONSE_MODAL_ACTION, value, blockId: "response_open" },
        channel: "C0SOCIAL",
      });
      await post(click.payload);
      const [answer] = await bot.slack.waitForCalls(click.responsePath, 1);
      expect((answer?.body as Message | undefined)?.response_type).toBe("ephemeral");
      expect((answer?.body as Message | undefined)?.text).toMatch(/Bara handläggare|Knappen är trasig/);
    }
    expect(bot.slack.callsTo("views.open")).toHaveLength(opened);
  });

  it("invalid fields are answered with errors naming each field, and nothing is stored", async () => {
    const { opened } = await arende("remissvar Dnr 108-1700/2017", BROMMA_OFFICER);
    const view = await capturedView(opened);
    expect(inputIn(view, RESPONSE_BLOCKS.referral).options?.map((option) => option.text.text)).toEqual([
      "Bromma stadsdelsnämnd (svar senast 28 april 2017)",
    ]);
    const answer = await post(
      submission(view, BROMMA_OFFICER, { date: "2017-04-04", summary: "  ", link: "ftp://example.org/svar" }),
    );
    expect(answer.response_action).toBe("errors");
    expect(answer.errors).toEqual({
      [RESPONSE_BLOCKS.referral]: "Välj remissen du svarar på.",
      [RESPONSE_BLOCKS.answeredOn]:
        "4 april 2017 har inte varit än. Välj i dag (3 april 2017) eller ett tidigare datum.",
      [RESPONSE_BLOCKS.summary]: "Skriv en sammanfattning av svaret, eller kryssa i att organet avstår.",
      [RESPONSE_BLOCKS.link]: expect.stringContaining("Länken måste vara en webbadress"),
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
    expect(conflict?.errors?.[RESPONSE_BLOCKS.referral]).toContain(
      "har redan ett remissvar som väntar på godkännande",
    );
    const rows = (await responsesOf(motion)).filter(
      (row) => row.response.submittedBySlackUserId === BROMMA_OFFICER,
    );
    expect(rows).toHaveLength(1);

    // The submitter's DM and the channel's request are posted in either order.
    const channelRequest = () =>
      bot.slack
        .callsTo("chat.postMessage")
        .slice(posted)
        .find((call) => call.body.channel === "C0BROMMA");
    await expect.poll(channelRequest).toBeDefined();
    const request = channelRequest();
    expect(buttonsOf(request?.body.blocks).map((button) => button.action_id)).toEqual([
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
