import { asc, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditEvents, digestSubscriptions } from "../../src/db/schema.js";
import { botForThisFile } from "../support/running-bot.js";
import type { Seeder } from "../support/seed-rows.js";
import { sendArende } from "../support/slash-command.js";

const ADMIN = "U0ADMIN01";
const MEMBER = "U0MEMBER1";

const { bot, database } = botForThisFile({
  env: { ARENDE_ADMINS: `${ADMIN}, U0ADMIN02` },
  given: overdueCases,
});

async function overdueCases(seed: Seeder) {
  await seed.body("Socialnämnden");
  await seed.body("Bromma stadsdelsnämnd", "district_board");
  // As of 3 April 2017 (the bot's clock): a motion past its statutory target, a skrivelse past the
  // local policy, and a remiss answer due 31 March that has not come.
  const motion = await seed.case({
    dnr: null,
    kind: "motion",
    title: "Motion om en kompetensutvecklingspeng för socialsekreterare",
    publicTitle: "Motion om en kompetensutvecklingspeng för socialsekreterare",
    raisedOn: "2016-03-01",
    status: "in_progress",
    responsibleBody: "Socialnämnden",
    identifiers: ["Motion 2016:114"],
    referrals: [{ body: "Bromma stadsdelsnämnd", dueOn: "2017-03-31", dueStatement: "senast 31 mars 2017" }],
  });
  const letter = await seed.case({
    dnr: "108-1642/2017",
    kind: "skrivelse",
    title: "Bristerna inom socialtjänsten",
    publicTitle: "Bristerna inom socialtjänsten",
    raisedOn: "2016-10-26",
    status: "in_progress",
    responsibleBody: "Socialnämnden",
  });
  const proposal = await seed.case({
    dnr: "KS 2016/77",
    kind: "medborgarforslag",
    title: "Medborgarförslag om fler parkbänkar",
    publicTitle: "Medborgarförslag om fler parkbänkar",
    raisedOn: "2016-02-10",
    status: "in_progress",
    responsibleBody: "Socialnämnden",
  });
  await seed.deadline({
    caseId: motion,
    kind: "statutory",
    dueOn: "2017-03-01",
    basis: "Kommunallagen 5 kap. 35 §",
  });
  await seed.deadline({
    caseId: motion,
    referralBody: "Bromma stadsdelsnämnd",
    kind: "referral_due",
    dueOn: "2017-03-31",
    basis: "Remissen",
  });
  await seed.deadline({
    caseId: letter,
    kind: "policy",
    dueOn: "2017-01-26",
    basis: "Lokal policy: 3 månader",
  });
  await seed.deadline({
    caseId: proposal,
    kind: "statutory",
    dueOn: "2017-02-10",
    basis: "Kommunallagen 5 kap. 35 §",
  });
}

type Message = { response_type?: string; replace_original?: boolean; text: string; blocks: unknown[] };

/**
 * Sends `/arende <text>` signed like Slack, in `channel` as `userId`. Returns the private answer
 * (from the ack, or from response_url when the ack only said it was working) and the response_url.
 */
async function arende(text: string, { userId = ADMIN, channel = "C0DIGEST" } = {}) {
  const { answer, responsePath } = await sendArende(bot, text, {
    user: userId,
    userName: userId === ADMIN ? "registrator" : "medlem",
    channel,
  });
  return { answer: answer as Message, path: responsePath };
}

const shown = (message: Message | undefined) => `${message?.text}\n${JSON.stringify(message?.blocks)}`;

/** What went to response_url: visible notices (in_channel) and further private messages. */
const responses = (path: string) => bot.slack.callsTo(path).map((call) => call.body as Message);

/** Lets a handler finish what it sends after the ack before asserting that nothing more came. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 300));

async function subscriptionOf(channel: string) {
  const [row] = await database.db
    .select()
    .from(digestSubscriptions)
    .where(eq(digestSubscriptions.channelId, channel));
  return row;
}

describe("/arende digest prenumerera", () => {
  it("by an admin: stored, confirmed privately, and announced in the channel in one line", async () => {
    const { answer, path } = await arende("digest prenumerera tisdag 09:30 motioner");
    expect(answer.response_type).toBe("ephemeral");
    const texts = shown(answer);
    expect(texts).toContain("Klart: kanalen får nu veckans förseningar.");
    expect(texts).toContain(
      "Varje tisdag kl. 09:30 i den här kanalen; motioner; alla organ; en kort rad de veckor inget är försenat",
    );
    expect(texts).toContain("/invite @arendebot");

    const [notice] = await bot.slack.waitForCalls(path, 1);
    expect(notice?.body).toMatchObject({
      response_type: "in_channel",
      replace_original: false,
      text: `<@${ADMIN}> prenumererar nu kanalen på veckans förseningar, varje tisdag kl. 09:30 (motioner).`,
    });

    expect(await subscriptionOf("C0DIGEST")).toMatchObject({
      weekday: 2,
      time: "09:30",
      caseKinds: ["motion"],
      bodyIds: null,
      postWhenEmpty: true,
      active: true,
      createdBySlackUserId: ADMIN,
    });
    const audit = await database.db.select().from(auditEvents).orderBy(asc(auditEvents.id));
    expect(audit.at(-1)).toMatchObject({
      action: "digest_subscription.created",
      actorType: "slack_user",
      actorId: ADMIN,
      actorName: "registrator",
    });
    // Confirmations go through Slack's answer to the command, never as bot posts.
    expect(bot.slack.callsTo("chat.postMessage")).toEqual([]);
  });

  it("by a member who may not configure: the refusal says who may, and nothing is stored", async () => {
    const auditBefore = (await database.db.select().from(auditEvents)).length;
    const { answer, path } = await arende("digest prenumerera tisdag 09:30 motioner", {
      userId: MEMBER,
      channel: "C0OTHER",
    });
    expect(answer.response_type).toBe("ephemeral");
    expect(shown(answer)).toContain(
      "Bara registratorer och administratörer kan ändra bevakningsutskicket. Be en administratör ge dig rollen med /arende roll ge @namn registrator [organ]",
    );
    await settle();
    expect(responses(path)).toEqual([]);
    expect(await subscriptionOf("C0OTHER")).toBeUndefined();
    expect((await database.db.select().from(auditEvents)).length).toBe(auditBefore);
  });

  it("a member cannot change or end an existing subscription either", async () => {
    for (const text of ["digest prenumerera fredag", "digest avsluta"]) {
      const { answer } = await arende(text, { userId: MEMBER });
      expect(shown(answer)).toContain("Bara registratorer och administratörer");
    }
    expect(await subscriptionOf("C0DIGEST")).toMatchObject({ weekday: 2, active: true });
  });

  it("a bad weekday is answered in Swedish with what to type instead; nothing changes", async () => {
    const { answer, path } = await arende("digest prenumerera fredg 09:30");
    expect(answer.response_type).toBe("ephemeral");
    const texts = shown(answer);
    expect(texts).toContain("«fredg» är ingen veckodag jag känner igen. Menade du fredag?");
    expect(texts).toContain("/arende digest prenumerera tisdag 09:30 motioner");
    await settle();
    expect(responses(path)).toEqual([]);
    expect((await subscriptionOf("C0DIGEST"))?.weekday).toBe(2);
  });

  it("a bad time is answered in Swedish with the accepted forms", async () => {
    const { answer } = await arende("digest prenumerera tisdag 25:00");
    const texts = shown(answer);
    expect(texts).toContain("«25:00» är ingen tid jag kan läsa.");
    expect(texts).toContain("TT:MM mellan 00:00 och 23:59");
  });

  it("an unknown body is answered with the closest names, written so they can be typed", async () => {
    const { answer } = await arende("digest prenumerera organ:bromma", { channel: "C0OTHER" });
    const texts = shown(answer);
    expect(texts).toContain("Jag hittar inget organ som heter «bromma».");
    expect(texts).toContain("`organ:bromma-stadsdelsnämnd` (Bromma stadsdelsnämnd)");
    expect(await subscriptionOf("C0OTHER")).toBeUndefined();
  });
});

describe("/arende digest inställningar", () => {
  it("shows the channel's settings as a readable card, to the asker only; anyone may ask", async () => {
    const { answer } = await arende("digest inställningar", { userId: MEMBER });
    expect(answer.response_type).toBe("ephemeral");
    const texts = shown(answer);
    expect(texts).toContain("Veckans förseningar");
    expect(texts).toContain(
      "Varje tisdag kl. 09:30 i den här kanalen; motioner; alla organ; en kort rad de veckor inget är försenat",
    );
  });

  it("says so when the channel has no subscription, and how to start one", async () => {
    const { answer } = await arende("digest installningar", { channel: "C0OTHER" });
    expect(shown(answer)).toContain("Den här kanalen får inget utskick av veckans förseningar.");
    expect(shown(answer)).toContain("/arende digest prenumerera");
  });
});

describe("changing a subscription", () => {
  it("replaces the settings, with bodies by name, and tells the channel", async () => {
    const { answer, path } = await arende(
      'digest prenumerera fre 8.00 motioner skrivelser organ:socialnamnden organ:"Bromma stadsdelsnämnd" utan-tomma',
    );
    expect(shown(answer)).toContain("Ändrat. Nu gäller:");
    expect(shown(answer)).toContain(
      "Varje fredag kl. 08:00 i den här kanalen; motioner och skrivelser; bara Socialnämnden och Bromma stadsdelsnämnd; tomma utskick skickas inte",
    );
    const [notice] = await bot.slack.waitForCalls(path, 1);
    expect(notice?.body).toMatchObject({
      response_type: "in_channel",
      text: `<@${ADMIN}> ändrade kanalens utskick av veckans förseningar: nu varje fredag kl. 08:00 (motioner och skrivelser; bara Socialnämnden och Bromma stadsdelsnämnd).`,
    });
  });

  it("the same settings again change nothing and say so, without a notice", async () => {
    const { answer, path } = await arende(
      'digest prenumerera fredag 08:00 skrivelser motioner organ:"Bromma stadsdelsnämnd" organ:Socialnämnden tyst',
    );
    expect(shown(answer)).toContain("Kanalen har redan de inställningarna; inget ändrades.");
    await settle();
    expect(responses(path)).toEqual([]);
  });
});

describe("/arende digest visa", () => {
  it("shows the digest now with the channel's filter, only to the asker", async () => {
    const { answer, path } = await arende("digest visa", { userId: MEMBER });
    expect(answer.response_type).toBe("ephemeral");
    const texts = shown(answer);
    expect(texts).toContain("Förhandsvisning, bara för dig.");
    expect(texts).toContain("3 försenade ärenden");
    expect(texts).toContain("Motion 2016:114");
    expect(texts).toContain("Bristerna inom socialtjänsten");
    expect(texts).toContain("Bromma stadsdelsnämnd");
    // The channel's filter is skrivelser and motioner: the medborgarförslag is left out.
    expect(texts).not.toContain("parkbänkar");
    await settle();
    for (const message of responses(path)) expect(message.response_type).toBe("ephemeral");
    expect(bot.slack.callsTo("chat.postMessage")).toEqual([]);
    expect(bot.slack.callsTo("chat.postEphemeral")).toEqual([]);
  });

  it("in a channel without a subscription covers every case", async () => {
    const { answer } = await arende("digest visa", { channel: "C0OTHER" });
    const texts = shown(answer);
    expect(texts).toContain("Kanalen prenumererar inte, så här visas alla ärenden");
    expect(texts).toContain("4 försenade ärenden");
    expect(texts).toContain("Motion 2016:114");
    expect(texts).toContain("108-1642/2017");
    expect(texts).toContain("parkbänkar");
  });
});

describe("/arende digest avsluta", () => {
  it("ends the subscription, confirms privately and tells the channel", async () => {
    const { answer, path } = await arende("digest avsluta");
    expect(answer.response_type).toBe("ephemeral");
    expect(shown(answer)).toContain("Avslutat: kanalen får inte längre veckans förseningar.");
    const [notice] = await bot.slack.waitForCalls(path, 1);
    expect(notice?.body).toMatchObject({
      response_type: "in_channel",
      text: `<@${ADMIN}> avslutade kanalens utskick av veckans förseningar.`,
    });
    expect(await subscriptionOf("C0DIGEST")).toMatchObject({ active: false });
    const [last] = await database.db
      .select()
      .from(auditEvents)
      .orderBy(asc(auditEvents.id))
      .then((rows) => rows.slice(-1));
    expect(last).toMatchObject({ action: "digest_subscription.ended", actorId: ADMIN });
  });

  it("a second `avsluta` says there is nothing to end", async () => {
    const { answer, path } = await arende("digest avsluta");
    expect(shown(answer)).toContain("Den här kanalen får inget utskick av veckans förseningar");
    await settle();
    expect(responses(path)).toEqual([]);
  });
});

describe("help", () => {
  it("`/arende digest` alone lists the digest commands with examples", async () => {
    const { answer } = await arende("digest");
    const texts = shown(answer);
    for (const example of [
      "/arende digest prenumerera tisdag 09:30 motioner skrivelser",
      "/arende digest inställningar",
      "/arende digest visa",
      "/arende digest avsluta",
      "utan-tomma",
    ])
      expect(texts).toContain(example);
  });

  it("`/arende hjälp` lists them too, after the status commands", async () => {
    const texts = shown((await arende("hjälp")).answer);
    expect(texts).toContain("/arende status Dnr 108-1642/2017");
    expect(texts).toContain("/arende digest prenumerera tisdag 09:30 motioner skrivelser");
    expect(texts).toContain('organ:\\"Bromma stadsdelsnämnd\\"');
  });

  it("an unknown digest subcommand says which exist", async () => {
    const texts = shown((await arende("digest starta")).answer);
    expect(texts).toContain("Jag känner inte igen «starta» efter `digest`.");
  });
});
