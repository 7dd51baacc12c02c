import { asc, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { auditEvents, deadlines, referrals } from "../../src/db/schema.js";
import { REMISS_BLOCKS, REMISS_VIEW } from "../../src/slack/blocks/remiss-modal.js";
import type { RecordedCall } from "../support/fake-slack.js";
import { botForThisFile } from "../support/running-bot.js";
import { seedRemissSetting } from "../support/scenarios.js";
import { type CapturedView, inputIn, interact, remissForm } from "../support/slack-payloads.js";
import { sendArende } from "../support/slash-command.js";

const REGISTRATOR = "U0REG0001";
const BROMMA_REGISTRATOR = "U0REGBRO1";
const OUTSIDER = "U0OUTSIDE";
const ADMIN = "U0ADMIN01";

let letter: number;
let motion: number;
let socialnamnden: number;
let bromma: number;

// The bot's clock: Monday 3 April 2017.
const { bot, database } = botForThisFile({
  env: { ARENDE_ADMINS: ADMIN },
  given: async (seed) => {
    ({ socialnamnden, bromma, letter, motion } = await seedRemissSetting(seed));
    await seed.roles([
      { user: REGISTRATOR, role: "registrator", body: "Socialnämnden" },
      // A registrator, but of another body than the one responsible for the cases.
      { user: BROMMA_REGISTRATOR, role: "registrator", body: "Bromma stadsdelsnämnd" },
    ]);
  },
});

beforeAll(() => {
  // Bromma's channel has not invited the bot.
  bot.slack.respondWith((call) =>
    call.method === "chat.postMessage" && call.body.channel === "C0BROMMA"
      ? { body: { ok: false, error: "not_in_channel" } }
      : undefined,
  );
});

type View = CapturedView & { submit?: { text: string } };
type Message = { response_type?: string; text: string; blocks: unknown[] };

/** `/arende <text>` as `user`: the ack, and the private answers sent afterwards to response_url. */
async function arende(text: string, user: string) {
  const opened = bot.slack.callsTo("views.open").length;
  const { responsePath } = await sendArende(bot, text, { user, channel: "C0REGISTRY" });
  return { path: responsePath, opened };
}

/** The modal `/arende remittera` opened with views.open, as Slack received it. */
async function openModal(
  identifier: string,
  user = REGISTRATOR,
): Promise<{ view: View; call: RecordedCall }> {
  const { opened } = await arende(`remittera ${identifier}`, user);
  const calls = await bot.slack.waitForCalls("views.open", opened + 1);
  const call = calls[opened] as RecordedCall;
  const view = call.body.view as View;
  return { view, call };
}

/** The form filled in as given and submitted by `user` (a registrator unless said otherwise). */
const submission = (
  view: View,
  fill: { bodies: string[]; dueOn: string | null; message?: string },
  user = REGISTRATOR,
) => remissForm(view, user, fill);

const submit = (payload: unknown) => interact(bot, payload);

async function stored(caseId: number) {
  const rows = await database.db
    .select()
    .from(referrals)
    .where(eq(referrals.caseId, caseId))
    .orderBy(asc(referrals.id));
  const watches = await database.db.select().from(deadlines).where(eq(deadlines.caseId, caseId));
  const audit = (
    await database.db.select().from(auditEvents).where(eq(auditEvents.action, "referral.sent"))
  ).filter((event) => event.changes.case_id === caseId);
  return { rows, watches, audit };
}

const shown = (body: Record<string, unknown> | undefined) => `${body?.text}\n${JSON.stringify(body?.blocks)}`;

describe("/arende remittera", () => {
  it("by a registrator: the modal opens, a submit stores the remiss and tells the bodies' channels", async () => {
    const { view, call } = await openModal("Dnr 108-1642/2017");
    expect(call.body.trigger_id).toMatch(/trigger$/);
    expect(view.callback_id).toBe(REMISS_VIEW);
    expect(JSON.parse(view.private_metadata)).toEqual({ caseId: letter, channelId: "C0REGISTRY" });
    expect(inputIn(view, REMISS_BLOCKS.bodies).options?.map((option) => option.text.text)).toEqual([
      "Akademikerförbundet SSR",
      "Bromma stadsdelsnämnd",
      "Socialnämnden",
    ]);

    const posted = bot.slack.callsTo("chat.postMessage").length;
    const answer = await submit(
      submission(view, {
        bodies: ["Socialnämnden", "Bromma stadsdelsnämnd", "Akademikerförbundet SSR"],
        dueOn: "2017-04-28",
        message: "Yttrandet ska senast vara inlämnat 28 april 2017.",
      }),
    );
    expect(answer).toEqual({ response_action: "clear" });

    const { rows, watches, audit } = await stored(letter);
    expect(rows.map((row) => [row.bodyId, row.state, row.sentOn, row.dueOn])).toHaveLength(3);
    expect(rows.find((row) => row.bodyId === socialnamnden)).toMatchObject({
      state: "open",
      sentOn: "2017-04-03",
      dueOn: "2017-04-28",
      dueStatement: "Yttrandet ska senast vara inlämnat 28 april 2017.",
    });
    expect(watches.filter((watch) => watch.kind === "referral_due")).toHaveLength(3);
    expect(audit.map((event) => event.actorId)).toEqual([REGISTRATOR, REGISTRATOR, REGISTRATOR]);

    // Socialnämnden's channel gets the card; Bromma's refuses (not_in_channel); SSR has no channel.
    const messages = (await bot.slack.waitForCalls("chat.postMessage", posted + 2)).slice(posted);
    const social = messages.find((message) => message.body.channel === "C0SOCIAL");
    expect(shown(social?.body)).toContain("Socialnämnden har fått ärendet på remiss.");
    expect(shown(social?.body)).toContain("Svar senast *28 april 2017*");
    expect(shown(social?.body)).toContain("Skickat av <@U0REG0001>");
    expect(shown(social?.body)).toContain("Bristerna inom socialtjänsten");
    // The card carries "Registrera remissvar" (and no other button), naming only the case.
    const buttons = JSON.stringify(social?.body?.blocks).match(/"type":"button"/g) ?? [];
    expect(buttons).toHaveLength(1);
    expect(shown(social?.body)).toContain("Registrera remissvar");
    expect(shown(social?.body)).toContain(JSON.stringify(JSON.stringify({ caseId: letter })));
    const confirmation = (await bot.slack.waitForCalls("chat.postEphemeral", 1)).at(-1);
    expect(confirmation?.body).toMatchObject({ channel: "C0REGISTRY", user: REGISTRATOR });
    const confirmed = shown(confirmation?.body);
    expect(confirmed).toContain(
      "Dnr 108-1642/2017 är skickat på remiss till Akademikerförbundet SSR, Bromma stadsdelsnämnd och Socialnämnden, svar senast 28 april 2017.",
    );
    expect(confirmed).toContain("<#C0SOCIAL>");
    expect(confirmed).toContain("Kunde inte skriva i <#C0BROMMA>");
    expect(confirmed).toContain("not_in_channel");
    expect(confirmed).toContain("Ingen kanal är kopplad till Akademikerförbundet SSR");
  });

  it("submitting the same view twice creates no duplicates and answers with the conflict", async () => {
    const { view } = await openModal("Dnr 108-1700/2017");
    const payload = submission(view, { bodies: ["Socialnämnden"], dueOn: "2017-05-02" });
    const answers = await Promise.all([submit(payload), submit(payload)]);
    expect(answers.filter((answer) => answer.response_action === "clear")).toHaveLength(1);
    const conflict = answers.find((answer) => answer.response_action === "errors");
    const bodiesBlock = REMISS_BLOCKS.bodies;
    expect(conflict?.errors?.[bodiesBlock]).toContain("Socialnämnden har redan en öppen remiss");
    const again = await submit(payload);
    expect(again.errors?.[bodiesBlock]).toContain("redan en öppen remiss");
    const { rows, audit } = await stored(motion);
    expect(rows).toHaveLength(1);
    expect(audit).toHaveLength(1);
  });

  it("invalid fields are answered with response_action errors naming each field, and nothing is stored", async () => {
    const { view } = await openModal("Dnr 108-1700/2017");
    const before = await stored(motion);
    const answer = await submit(submission(view, { bodies: [], dueOn: "2017-03-31" }));
    expect(answer.response_action).toBe("errors");
    expect(answer.errors).toEqual({
      [REMISS_BLOCKS.bodies]: "Välj minst en remissinstans.",
      [REMISS_BLOCKS.dueOn]:
        "31 mars 2017 har redan varit. Välj i dag (3 april 2017) eller ett senare datum.",
    });
    const missingDate = await submit(submission(view, { bodies: ["Bromma stadsdelsnämnd"], dueOn: null }));
    expect(missingDate.errors).toEqual({ [REMISS_BLOCKS.dueOn]: "Välj ett svarsdatum." });
    const forged = submission(view, { bodies: ["Bromma stadsdelsnämnd"], dueOn: "2017-05-02" });
    forged.view.private_metadata = '{"caseId":"1 or 1=1"}';
    const broken = await submit(forged);
    expect(broken.response_action).toBe("errors");
    expect(Object.keys(broken.errors ?? {})).toEqual([REMISS_BLOCKS.bodies]);
    expect((await stored(motion)).rows).toHaveLength(before.rows.length);
  });

  it("a due date on a Saturday is shown as a warning in the form first, then kept as stated", async () => {
    const { view } = await openModal("Dnr 108-1700/2017");
    const first = await submit(
      submission(view, { bodies: ["Bromma stadsdelsnämnd"], dueOn: "2017-04-29", message: "Hej" }),
    );
    expect(first.response_action).toBe("update");
    const warned = first.view as View;
    expect(JSON.stringify(warned.blocks)).toContain("Svarsdatumet infaller på en lördag");
    expect(warned.submit?.text).toBe("Skicka ändå");
    expect(JSON.parse(warned.private_metadata)).toMatchObject({ confirmedDueOn: "2017-04-29" });
    expect((await stored(motion)).rows.filter((row) => row.bodyId === bromma)).toHaveLength(0);

    const second = await submit(
      submission(warned, { bodies: ["Bromma stadsdelsnämnd"], dueOn: "2017-04-29" }),
    );
    expect(second).toEqual({ response_action: "clear" });
    const brommaRow = (await stored(motion)).rows.find((row) => row.bodyId === bromma);
    expect(brommaRow?.dueOn).toBe("2017-04-29");
  });

  it("a non-registrator gets a private refusal saying who may, and no modal", async () => {
    const opened = bot.slack.callsTo("views.open").length;
    const { path } = await arende("remittera Dnr 108-1642/2017", OUTSIDER);
    const [answer] = await bot.slack.waitForCalls(path, 1);
    expect((answer?.body as Message | undefined)?.response_type).toBe("ephemeral");
    expect((answer?.body as Message | undefined)?.text).toContain(
      "Bara registratorer för ärendets ansvariga organ och administratörer kan skicka ärenden på remiss",
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(bot.slack.callsTo("views.open")).toHaveLength(opened);
  });

  it("an unknown case is answered privately, and opens nothing", async () => {
    const opened = bot.slack.callsTo("views.open").length;
    const { path } = await arende("remittera Dnr 999-1/2017", ADMIN);
    const [answer] = await bot.slack.waitForCalls(path, 1);
    expect((answer?.body as Message | undefined)?.text).toContain("Inget ärende med Dnr 999-1/2017");
    expect(bot.slack.callsTo("views.open")).toHaveLength(opened);
  });

  it("a registrator whose role was revoked before submitting is refused in the modal", async () => {
    const { view } = await openModal("Dnr 108-1700/2017", ADMIN);
    const answer = await submit(
      submission(view, { bodies: ["Akademikerförbundet SSR"], dueOn: "2017-05-02" }, OUTSIDER),
    );
    expect(answer.response_action).toBe("errors");
    expect(Object.values(answer.errors ?? {})[0]).toContain(
      "Bara registratorer för ärendets ansvariga organ och administratörer",
    );
  });

  it("a registrator of another body is refused, naming who may, in the command and in a forged submission; nothing is written", async () => {
    const opened = bot.slack.callsTo("views.open").length;
    const { path } = await arende("remittera Dnr 108-1700/2017", BROMMA_REGISTRATOR);
    const [answer] = await bot.slack.waitForCalls(path, 1);
    const refusal = (answer?.body as Message | undefined)?.text ?? "";
    expect((answer?.body as Message | undefined)?.response_type).toBe("ephemeral");
    expect(refusal).toContain(
      "Bara registratorer för Socialnämnden, som ansvarar för ärendet, och administratörer kan skicka ärendet på remiss.",
    );
    expect(refusal).toContain("/arende roll ge @namn registrator Socialnämnden");
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(bot.slack.callsTo("views.open")).toHaveLength(opened);

    // The form as an admin opened it, submitted by the other body's registrator.
    const { view } = await openModal("Dnr 108-1700/2017", ADMIN);
    const before = await stored(motion);
    const callsBefore = bot.slack.calls.length;
    const forged = await submit(
      submission(view, { bodies: ["Akademikerförbundet SSR"], dueOn: "2017-05-05" }, BROMMA_REGISTRATOR),
    );
    expect(forged.response_action).toBe("errors");
    expect(Object.values(forged.errors ?? {})).toEqual([
      expect.stringContaining("Bara registratorer för Socialnämnden, som ansvarar för ärendet"),
    ]);
    const after = await stored(motion);
    expect([after.rows.length, after.watches.length, after.audit.length]).toEqual([
      before.rows.length,
      before.watches.length,
      before.audit.length,
    ]);
    await new Promise((resolve) => setTimeout(resolve, 200));
    // Earlier tests' notices may still be arriving at Slack's pace; none may speak of the forged
    // remiss (due 5 May), neither a channel notice nor the sender's confirmation.
    const aboutTheForgery = bot.slack.calls
      .slice(callsBefore)
      .filter((call) => call.method.startsWith("chat.") && JSON.stringify(call.body).includes("5 maj 2017"));
    expect(aboutTheForgery).toEqual([]);
  });
});
