import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { fixedClock } from "../../src/clock.js";
import { approvalMessages } from "../../src/db/schema.js";
import { runDueDigests } from "../../src/jobs/digest-job.js";
import { runDueReminders } from "../../src/jobs/reminder-job.js";
import type { Poster } from "../../src/modules/posting/poster.js";
import { createContext, systemActor } from "../../src/modules/shared/context.js";
import { APPROVE_RESPONSE_ACTION, REJECT_RESPONSE_ACTION } from "../../src/slack/blocks/approval-ids.js";
import { SHARE_CASE_ACTION } from "../../src/slack/blocks/case-card.js";
import { createPostingClient, createWebPoster } from "../../src/slack/web-poster.js";
import type { RecordedCall } from "../support/fake-slack.js";
import { botForThisFile } from "../support/running-bot.js";
import { sendSigned } from "../support/signed-request.js";
import {
  type Button,
  blockActions,
  buttonIn,
  type CapturedView,
  rejectForm as filledRejectForm,
  remissForm,
  remissvarForm,
  interact as send,
} from "../support/slack-payloads.js";
import { sendArende } from "../support/slash-command.js";

/**
 * Nothing leaked, no one beyond their role: every kind of outgoing message, for an open and a
 * restricted (sekretess) case, read by a person entitled to the case, by one who is not, and in a
 * channel, through the real bot over signed HTTP. Each row is one kind of message; each cell gets a
 * world of its own (bodies, people, channels, case), so cells neither share state nor wait for
 * Slack's per-channel pacing. A new kind of message is one more row.
 *
 * What is asserted is what Slack received (text and blocks). A full audience sees what the row says
 * the message shows in full; a public audience sees the row's public strings and none of the case's
 * secrets (full title, summary, officer, the remissvar's summary and link, the sender's message).
 */

const ADMIN = "U0ADMIN01";
// Monday 3 April 2017, 10:00 in Stockholm: the bot's clock (running-bot.ts) and the jobs'.
const clock = fixedClock("2017-04-03T10:00:00+02:00");
const jobContext = (job: string) => createContext({ db: database.db, clock, actor: systemActor(job) });

const DIARIUM = "diarium.matrix.example.se";
const { bot, database, seed } = botForThisFile({
  clock,
  env: { ARENDE_ADMINS: ADMIN, ARENDE_UNFURL_DOMAINS: DIARIUM },
});
let poster: Poster;

beforeAll(() => {
  poster = createWebPoster({
    client: createPostingClient({ botToken: "xoxb-test", apiUrl: bot.slack.apiUrl, logLevel: "error" }),
    log: () => {},
  });
  bot.slack.deliverDirectMessages();
  // The quiet bodies' godkännare cannot be messaged, so their requests go to the body's channel.
  bot.slack.respondWith((call) =>
    call.method === "chat.postMessage" && String(call.body.channel).startsWith("U0QG")
      ? { body: { ok: false, error: "messages_tab_disabled" } }
      : undefined,
  );
});

const dm = (user: string) => `D${user.slice(1)}`;

type World = Awaited<ReturnType<typeof world>>;

let worlds = 0;
/**
 * A case of its own responsible body, sent on remiss to an answering body (with an entitled and a
 * non-entitled godkännare and handläggare) and to a quiet body (whose godkännare cannot be reached),
 * with an overdue policy deadline, and the people around it.
 */
async function world(restricted: boolean) {
  worlds += 1;
  const n = worlds;
  const tag = String(n).padStart(3, "0");
  const user = (role: string) => `U0${role}${tag}`;
  const channel = (name: string) => `C0${name}${tag}`;
  const people = {
    responsibleRegistrator: user("RR"),
    answeringRegistrator: user("AR"),
    officer: user("AH"),
    entitledOfficer: user("EH"),
    approver: user("AG"),
    entitledApprover: user("EG"),
    quietApprover: user("QG"),
    caseOfficer: user("CO"),
    outsider: user("OU"),
  };
  const channels = {
    responsible: channel("RESP"),
    answering: channel("SVAR"),
    quiet: channel("TYST"),
    target: channel("MOTT"),
    place: channel("PLATS"),
    digest: channel("DIG"),
  };
  const bodies = {
    responsible: `Ansvarig nämnd ${n}`,
    answering: `Svarande nämnd ${n}`,
    quiet: `Tyst nämnd ${n}`,
    target: `Mottagande nämnd ${n}`,
  };
  const ids = {
    responsible: await seed.body(bodies.responsible, "board", channels.responsible),
    answering: await seed.body(bodies.answering, "board", channels.answering),
    quiet: await seed.body(bodies.quiet, "board", channels.quiet),
    target: await seed.body(bodies.target, "board", channels.target),
  };
  await seed.roles([
    { user: people.responsibleRegistrator, role: "registrator", body: ids.responsible },
    { user: people.answeringRegistrator, role: "registrator", body: ids.answering },
    { user: people.officer, role: "handlaggare", body: ids.answering },
    { user: people.officer, role: "handlaggare", body: ids.quiet },
    { user: people.entitledOfficer, role: "handlaggare", body: ids.answering },
    { user: people.entitledOfficer, role: "handlaggare", body: ids.responsible },
    { user: people.approver, role: "godkannare", body: ids.answering },
    { user: people.entitledApprover, role: "godkannare", body: ids.answering },
    { user: people.entitledApprover, role: "handlaggare", body: ids.responsible },
    { user: people.quietApprover, role: "godkannare", body: ids.quiet },
  ]);

  // Distinct class and serial per world, so a mistyped year suggests this case first.
  const dnr = `${200 + n}-${3000 + n}/2017`;
  const texts = {
    title: restricted ? `Hemlig titel ${n} om placering av barn` : `Fullständig titel ${n} om skolskjuts`,
    publicTitle: restricted ? "Sekretess" : `Offentlig titel ${n} om skolskjuts`,
    caseSummary: `Ärendesammanfattning ${n} med känsliga uppgifter`,
    officerName: `Nilsson ${n} Handläggarsson`,
    answer: `Remissvarets sammanfattning ${n} med känsliga uppgifter`,
    link: `https://diariet.example.se/svar-${n}.pdf`,
    remissMessage: `Meddelande till remissinstansen ${n} om barnet`,
  };
  const caseId = await seed.case({
    dnr,
    kind: "skrivelse",
    title: texts.title,
    publicTitle: texts.publicTitle,
    restricted,
    summary: texts.caseSummary,
    officerName: texts.officerName,
    officerSlackUserId: people.caseOfficer,
    responsibleBody: bodies.responsible,
    raisedOn: "2016-12-01",
    receivedOn: "2016-12-02",
    status: "in_progress",
    referrals: [
      { body: bodies.answering, sentOn: "2017-03-01", dueOn: "2017-04-07", state: "open" },
      { body: bodies.quiet, sentOn: "2017-03-01", dueOn: "2017-05-31", state: "open" },
    ],
  });
  await seed.deadline({
    caseId,
    kind: "policy",
    dueOn: "2017-03-01",
    basis: "Lokal policy: skrivelser besvaras inom 3 månader.",
    state: "open",
  });
  return {
    n,
    restricted,
    caseId,
    dnr,
    label: `Dnr ${dnr}`,
    texts,
    people,
    channels,
    bodies,
    ids,
    /** What only a full audience may read. */
    secrets: [
      ...(restricted ? [texts.title] : []),
      texts.caseSummary,
      texts.officerName,
      `<@${people.caseOfficer}>`,
      texts.answer,
      texts.link,
      texts.remissMessage,
    ],
  };
}

// ---------------------------------------------------------------------------------------------
// Talking to the bot as Slack does

type Reader = "entitled" | "not entitled" | "channel";
type View = CapturedView;

const shown = (body: Record<string, unknown> | null | undefined) =>
  body ? `${body.text ?? ""}\n${JSON.stringify(body.blocks ?? [])}` : "";
const shownView = (view: View) => JSON.stringify(view);

async function until<T>(find: () => T | undefined | Promise<T | undefined>, what: string): Promise<T> {
  const deadline = Date.now() + 8_000;
  for (;;) {
    const found = await find();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const callTo = (method: string, matches: (call: RecordedCall) => boolean, what: string) =>
  until(() => bot.slack.callsTo(method).find(matches), what);

const postTo = (channel: string, containing: string) =>
  callTo(
    "chat.postMessage",
    (call) => call.body.channel === channel && shown(call.body).includes(containing),
    `a message to ${channel} with «${containing}»`,
  );

const interact = (payload: unknown) => send(bot, payload);

let sequence = 0;
const next = () => {
  sequence += 1;
  return sequence;
};

/** `/arende <text>`: the answer in the ack, or where the command answers later (its response_url). */
async function arende(text: string, user: string, channel: string) {
  const triggerId = `111.${next()}.matrix`;
  const sent = await sendArende(bot, text, { user, channel, triggerId });
  return { ...sent, triggerId };
}

/** The modal a command or button opened with its trigger_id. */
async function openedView(triggerId: string): Promise<View> {
  const call = await callTo("views.open", (candidate) => candidate.body.trigger_id === triggerId, "a modal");
  return call.body.view as View;
}

/** A remissvar recorded through `/arende remissvar` and its form, by `submitter`, for `body`'s remiss. */
async function recordAnswer(w: World, submitter: string, body: "answering" | "quiet"): Promise<void> {
  const { triggerId } = await arende(`remissvar ${w.label}`, submitter, w.channels.place);
  const view = await openedView(triggerId);
  const answer = await interact(
    remissvarForm(view, submitter, {
      remiss: w.bodies[body],
      date: "2017-04-03",
      summary: w.texts.answer,
      link: w.texts.link,
    }),
  );
  expect(answer).toEqual({ response_action: "clear" });
}

/** A copy of the approval request as recorded (channel and ts), once the bot has stored it. */
async function requestCopy(channel: string) {
  const row = await until(async () => {
    const [stored] = await database.db
      .select()
      .from(approvalMessages)
      .where(eq(approvalMessages.channelId, channel));
    return stored;
  }, `the approval request in ${channel}`);
  const posted = await postTo(
    channel.startsWith("D") ? `U${channel.slice(1)}` : channel,
    "Remissvar att godkänna",
  );
  return {
    where: { channel: row.channelId, messageTs: row.messageTs },
    approve: buttonIn(posted.body.blocks, APPROVE_RESPONSE_ACTION),
    reject: buttonIn(posted.body.blocks, REJECT_RESPONSE_ACTION),
  };
}

/**
 * A remissvar awaiting approval and the copy of its request that `reader` reads: the DM of the
 * (non-)entitled godkännare of the answering body, or the quiet body's channel; with who clicks there.
 */
async function pendingRequest(w: World, reader: Reader, submitter = w.people.officer) {
  if (reader === "channel") {
    await recordAnswer(w, submitter, "quiet");
    return { copy: await requestCopy(w.channels.quiet), clicker: w.people.quietApprover };
  }
  await recordAnswer(w, submitter, "answering");
  const clicker = reader === "entitled" ? w.people.entitledApprover : w.people.approver;
  return { copy: await requestCopy(dm(clicker)), clicker };
}

type Copy = Awaited<ReturnType<typeof requestCopy>>;

/** `clicker` clicks `button` on the copy of the approval request. */
const clickOn = (clicker: string, copy: Copy, button: Button) =>
  blockActions(bot, {
    user: clicker,
    button,
    channel: copy.where.channel,
    messageTs: copy.where.messageTs,
  });

async function approve(clicker: string, copy: Copy) {
  await interact(clickOn(clicker, copy, copy.approve).payload);
}

/** Avslå: the reason form the clicker sees, and its submission. */
async function rejectForm(clicker: string, copy: Copy) {
  const click = clickOn(clicker, copy, copy.reject);
  await interact(click.payload);
  const view = await openedView(click.triggerId);
  const submit = async () => {
    const answer = await interact(filledRejectForm(view, clicker, "Yttrandet saknar beslut."));
    expect(answer).toEqual({});
  };
  return { view, submit };
}

const updateOf = (channel: string) =>
  callTo("chat.update", (call) => call.body.channel === channel, `the update of the request in ${channel}`);

/** A channel digest covering only the world's responsible body. */
async function subscribeDigest(w: World) {
  await seed.digestSubscription({
    channelId: w.channels.digest,
    bodyIds: [w.ids.responsible],
    createdBySlackUserId: ADMIN,
    madeAt: new Date("2017-03-27T12:00:00Z"),
  });
}

async function mention(w: World, asker: string) {
  const id = next();
  const ts = `1515449522.${String(id).padStart(6, "0")}`;
  const response = await sendSigned(
    bot.eventsUrl,
    JSON.stringify({
      token: "XXYYZZ",
      team_id: "T111",
      api_app_id: "A111",
      event: {
        type: "app_mention",
        user: asker,
        text: `<@UBOT> status ${w.label}`,
        ts,
        channel: w.channels.place,
        event_ts: ts,
      },
      type: "event_callback",
      event_id: `Ev0MATRIX${randomBytes(4).toString("hex").toUpperCase()}`,
      event_time: 1515449522,
    }),
    { contentType: "application/json" },
  );
  expect(response.status).toBe(200);
  const inChannel = await callTo(
    "chat.postMessage",
    (call) => call.body.channel === w.channels.place && call.body.thread_ts === ts,
    "the answer in the thread",
  );
  // The full card, if any, follows at once for the asker's eyes only.
  await new Promise((resolve) => setTimeout(resolve, 300));
  const privately = bot.slack
    .callsTo("chat.postEphemeral")
    .find((call) => call.body.channel === w.channels.place && call.body.thread_ts === ts);
  return { inChannel: shown(inChannel.body), privately: privately ? shown(privately.body) : "" };
}

/** "Visa ärendet" on a message naming the world's case; what arrived at the shortcut's response_url. */
async function shortcutOn(w: World, asker: string) {
  const id = next();
  const responseId = `matrix-shortcut-${id}`;
  await interact({
    type: "message_action",
    token: "verification_token",
    action_ts: `1491206700.${id}`,
    team: { id: "T111", domain: "stockholm" },
    user: { id: asker, username: asker.toLowerCase(), team_id: "T111" },
    channel: { id: w.channels.place, name: "plats" },
    callback_id: "visa_arende",
    trigger_id: `111.${id}.shortcut`,
    message_ts: `1491206000.${id}`,
    message: {
      type: "message",
      user: "U0POSTER",
      ts: `1491206000.${id}`,
      text: `Hur går det med ${w.label}?`,
    },
    response_url: bot.slack.responseUrl(responseId),
  });
  const [answer] = await bot.slack.waitForCalls(`/response/${responseId}`, 1);
  return shown(answer?.body);
}

/** A link to the case on the e-diarium, posted by someone entitled to it; the preview Slack was given. */
async function linkPreview(w: World) {
  const url = `https://${DIARIUM}/arende?dnr=${encodeURIComponent(w.dnr)}`;
  const response = await sendSigned(
    bot.eventsUrl,
    JSON.stringify({
      token: "XXYYZZ",
      team_id: "T111",
      api_app_id: "A111",
      type: "event_callback",
      event_id: `Ev0MATRIX${randomBytes(4).toString("hex").toUpperCase()}`,
      event_time: 1515449522,
      event: {
        type: "link_shared",
        channel: w.channels.place,
        is_bot_user_member: true,
        user: w.people.caseOfficer,
        message_ts: `1515449522.${String(next()).padStart(6, "0")}`,
        links: [{ domain: DIARIUM, url }],
        event_ts: "1515449522.000001",
      },
    }),
    { contentType: "application/json" },
  );
  expect(response.status).toBe(200);
  const call = await callTo(
    "chat.unfurl",
    (candidate) => candidate.body.channel === w.channels.place,
    "a preview",
  );
  const unfurls = call.body.unfurls as Record<string, { blocks: unknown[] }>;
  return shown({ text: "", blocks: unfurls[url]?.blocks });
}

// ---------------------------------------------------------------------------------------------
// The matrix

type Row = {
  kind: string;
  readers: Reader[];
  /** A list that carries only public data whoever reads it. */
  publicOnly?: boolean;
  /** Readers refused whatever the case (their role does not allow it): the refusal is public. */
  refused?: Reader[];
  /** Makes the message for `reader` in a fresh world; returns what Slack received. */
  produce(w: World, reader: Reader): Promise<string>;
  /** What a full audience must see. */
  full(w: World): string[];
  /** What a public audience must see (besides seeing none of the secrets). */
  public(w: World): string[];
};

const PRIVATE: Reader[] = ["entitled", "not entitled"];
const ALL: Reader[] = ["entitled", "not entitled", "channel"];
const RESTRICTED_CARD = "omfattas av sekretess";
const WITHHELD = "svarets sammanfattning visas inte här";

const rows: Row[] = [
  {
    kind: "/arende status (ephemeral card)",
    readers: PRIVATE,
    async produce(w, reader) {
      const asker = reader === "entitled" ? w.people.caseOfficer : w.people.outsider;
      return shown((await arende(`status ${w.label}`, asker, w.channels.place)).answer);
    },
    full: (w) => [w.label, w.texts.title, w.texts.caseSummary, w.texts.officerName],
    public: (w) => [w.label, w.texts.publicTitle, RESTRICTED_CARD],
  },
  {
    kind: "@arendebot status in a channel (thread answer, and the asker's private card)",
    readers: ALL,
    async produce(w, reader) {
      // In the channel's cell the asker is entitled: the channel still gets the public card.
      const asker = reader === "not entitled" ? w.people.outsider : w.people.responsibleRegistrator;
      const { inChannel, privately } = await mention(w, asker);
      return reader === "channel" ? inChannel : `${inChannel}\n${privately}`;
    },
    full: (w) => [w.label, w.texts.title, w.texts.caseSummary],
    public: (w) => [w.label, w.texts.publicTitle, RESTRICTED_CARD],
  },
  {
    kind: "Visa ärendet on a message (ephemeral cards)",
    readers: PRIVATE,
    async produce(w, reader) {
      return shortcutOn(w, reader === "entitled" ? w.people.caseOfficer : w.people.outsider);
    },
    full: (w) => [w.label, w.texts.title, w.texts.caseSummary, w.texts.officerName],
    public: (w) => [w.label, w.texts.publicTitle, RESTRICTED_CARD],
  },
  {
    kind: "link preview of the e-diarium (posted by someone entitled)",
    readers: ["channel"],
    produce: linkPreview,
    full: (w) => [w.label, w.texts.title, w.texts.caseSummary],
    public: (w) => [w.label, w.texts.publicTitle, RESTRICTED_CARD],
  },
  {
    kind: "Dela i kanalen (card shared by an entitled person)",
    readers: ["channel"],
    async produce(w) {
      const sharer = w.people.responsibleRegistrator;
      const { answer } = await arende(`status ${w.label}`, sharer, w.channels.place);
      const click = blockActions(bot, {
        user: sharer,
        button: buttonIn(answer?.blocks, SHARE_CASE_ACTION),
        channel: w.channels.place,
        messageTs: `900.${next()}`,
        ephemeral: true,
      });
      await interact(click.payload);
      const [posted] = await bot.slack.waitForCalls(click.responsePath, 1);
      expect(posted?.body.response_type).toBe("in_channel");
      return shown(posted?.body);
    },
    full: (w) => [w.label, w.texts.title, w.texts.caseSummary],
    public: (w) => [w.label, w.texts.publicTitle, RESTRICTED_CARD],
  },
  {
    kind: "'Menade du …?' for an unknown number",
    readers: PRIVATE,
    publicOnly: true,
    async produce(w, reader) {
      const asker = reader === "entitled" ? w.people.caseOfficer : w.people.outsider;
      const typo = w.label.replace(/2017$/, "2016");
      return shown((await arende(`status ${typo}`, asker, w.channels.place)).answer);
    },
    full: (w) => ["Menade du", w.label, w.texts.publicTitle],
    public: (w) => ["Menade du", w.label, w.texts.publicTitle],
  },
  {
    kind: "/arende remittera form (or its refusal)",
    readers: PRIVATE,
    refused: ["not entitled"],
    async produce(w, reader) {
      if (reader === "entitled") {
        const { triggerId } = await arende(
          `remittera ${w.label}`,
          w.people.responsibleRegistrator,
          w.channels.place,
        );
        return shownView(await openedView(triggerId));
      }
      // A registrator, but of the answering body: refused, and told who may.
      const { responsePath } = await arende(
        `remittera ${w.label}`,
        w.people.answeringRegistrator,
        w.channels.place,
      );
      const [refusal] = await bot.slack.waitForCalls(responsePath, 1);
      return shown(refusal?.body);
    },
    full: (w) => [w.label, w.texts.title],
    public: (w) => [`Bara registratorer för ${w.bodies.responsible}`],
  },
  {
    kind: "remiss notice with the case card in the answering body's channel",
    readers: ["channel"],
    async produce(w) {
      const sender = w.people.responsibleRegistrator;
      const { triggerId } = await arende(`remittera ${w.label}`, sender, w.channels.place);
      const view = await openedView(triggerId);
      const answer = await interact(
        remissForm(view, sender, {
          bodies: [w.bodies.target],
          dueOn: "2017-04-28",
          message: w.texts.remissMessage,
        }),
      );
      expect(answer).toEqual({ response_action: "clear" });
      return shown((await postTo(w.channels.target, "har fått ärendet på remiss")).body);
    },
    full: (w) => [w.label, w.texts.title, w.texts.caseSummary, w.texts.remissMessage],
    public: (w) => [w.label, w.texts.publicTitle, RESTRICTED_CARD, `${w.bodies.target} har fått ärendet`],
  },
  {
    kind: "/arende historik (the case's history, to the asker only)",
    readers: PRIVATE,
    async produce(w, reader) {
      // A recorded remissvar puts its summary and link, and its submitter, in the history.
      await recordAnswer(w, w.people.officer, "answering");
      const asker = reader === "entitled" ? w.people.caseOfficer : w.people.outsider;
      return shown((await arende(`historik ${w.label}`, asker, w.channels.place)).answer);
    },
    full: (w) => [w.label, w.texts.title, w.texts.answer, `<@${w.people.officer}>`],
    public: (w) => [w.label, w.texts.publicTitle, "Remissvar"],
  },
  {
    kind: "/arende remissvar form",
    readers: PRIVATE,
    async produce(w, reader) {
      const person = reader === "entitled" ? w.people.entitledOfficer : w.people.officer;
      const { triggerId } = await arende(`remissvar ${w.label}`, person, w.channels.place);
      return shownView(await openedView(triggerId));
    },
    full: (w) => [w.label, w.texts.title],
    public: (w) => [w.label, w.texts.publicTitle],
  },
  {
    kind: "approval request (a godkännare's DM, or the body's channel)",
    readers: ALL,
    async produce(w, reader) {
      const { copy } = await pendingRequest(w, reader);
      const target = copy.where.channel.startsWith("D")
        ? `U${copy.where.channel.slice(1)}`
        : copy.where.channel;
      return shown((await postTo(target, "Remissvar att godkänna")).body);
    },
    full: (w) => [w.label, w.texts.title, w.texts.answer, w.texts.link],
    public: (w) => [w.label, w.texts.publicTitle, WITHHELD],
  },
  {
    kind: "approval request updated after Godkänn",
    readers: ALL,
    async produce(w, reader) {
      const { copy, clicker } = await pendingRequest(w, reader);
      await approve(clicker, copy);
      return shown((await updateOf(copy.where.channel)).body);
    },
    full: (w) => [w.label, w.texts.title, w.texts.answer, "Godkänd av"],
    public: (w) => [w.label, w.texts.publicTitle, WITHHELD, "Godkänd av"],
  },
  {
    kind: "approval request updated after Avslå",
    readers: ALL,
    async produce(w, reader) {
      const { copy, clicker } = await pendingRequest(w, reader);
      await (await rejectForm(clicker, copy)).submit();
      return shown((await updateOf(copy.where.channel)).body);
    },
    full: (w) => [w.label, w.texts.title, w.texts.answer, "Avslagen av"],
    public: (w) => [w.label, w.texts.publicTitle, WITHHELD, "Avslagen av"],
  },
  {
    kind: "Avslå's reason form",
    readers: PRIVATE,
    async produce(w, reader) {
      const { copy, clicker } = await pendingRequest(w, reader);
      return shownView((await rejectForm(clicker, copy)).view);
    },
    full: (w) => [w.label, w.texts.title, w.texts.answer],
    public: (w) => [w.label, w.texts.publicTitle, WITHHELD],
  },
  {
    kind: "notice to the submitter after Godkänn",
    readers: PRIVATE,
    async produce(w, reader) {
      const submitter = reader === "entitled" ? w.people.entitledOfficer : w.people.officer;
      const { copy, clicker } = await pendingRequest(w, "not entitled", submitter);
      await approve(clicker, copy);
      return shown((await postTo(submitter, "har godkänts")).body);
    },
    full: (w) => [w.label, w.texts.title],
    public: (w) => [w.label, w.texts.publicTitle],
  },
  {
    kind: "notice to the submitter after Avslå",
    readers: PRIVATE,
    async produce(w, reader) {
      const submitter = reader === "entitled" ? w.people.entitledOfficer : w.people.officer;
      const { copy, clicker } = await pendingRequest(w, "not entitled", submitter);
      await (await rejectForm(clicker, copy)).submit();
      return shown((await postTo(submitter, "har avslagits")).body);
    },
    full: (w) => [w.label, w.texts.title, "Yttrandet saknar beslut."],
    public: (w) => [w.label, w.texts.publicTitle, "Yttrandet saknar beslut."],
  },
  {
    kind: "approval line in the responsible body's channel",
    readers: ["channel"],
    async produce(w) {
      const { copy, clicker } = await pendingRequest(w, "entitled");
      await approve(clicker, copy);
      return shown((await postTo(w.channels.responsible, "är godkänt")).body);
    },
    full: (w) => [w.label, w.texts.title],
    public: (w) => [w.label, w.texts.publicTitle],
  },
  {
    kind: "reminder in the answering body's channel",
    readers: ["channel"],
    publicOnly: true,
    async produce(w) {
      await runDueReminders(jobContext("reminders"), { poster, instanceId: "matrix", reminderDays: [7, 1] });
      return shown((await postTo(w.channels.answering, "Påminnelse")).body);
    },
    full: (w) => [w.label, w.texts.publicTitle],
    public: (w) => [w.label, w.texts.publicTitle],
  },
  {
    kind: "weekly digest in a channel",
    readers: ["channel"],
    publicOnly: true,
    async produce(w) {
      await subscribeDigest(w);
      await runDueDigests(jobContext("digests"), { poster, instanceId: "matrix" });
      return shown((await postTo(w.channels.digest, w.label)).body);
    },
    full: (w) => [w.label, w.texts.publicTitle, `<@${w.people.caseOfficer}>`, w.bodies.answering],
    public: (w) => [w.label, w.texts.publicTitle],
  },
  {
    kind: "/arende digest visa (preview, to the asker only)",
    readers: PRIVATE,
    publicOnly: true,
    async produce(w, reader) {
      await subscribeDigest(w);
      const asker = reader === "entitled" ? w.people.caseOfficer : w.people.outsider;
      return shown((await arende("digest visa", asker, w.channels.digest)).answer);
    },
    full: (w) => [w.label, w.texts.publicTitle, `<@${w.people.caseOfficer}>`, w.bodies.answering],
    public: (w) => [w.label, w.texts.publicTitle],
  },
];

describe("what each reader is shown, per kind of outgoing message", () => {
  for (const row of rows) {
    describe(row.kind, () => {
      for (const restricted of [false, true]) {
        for (const reader of row.readers) {
          const refused = row.refused?.includes(reader) ?? false;
          const full = !refused && (!restricted || (reader === "entitled" && !row.publicOnly));
          const outcome = refused ? "refused" : full ? "full" : "public";
          it(`${restricted ? "restricted" : "open"} case · ${reader} → ${outcome}`, async () => {
            const w = await world(restricted);
            const text = await row.produce(w, reader);
            if (full) {
              for (const expected of row.full(w)) expect(text).toContain(expected);
              return;
            }
            for (const secret of w.secrets) expect(text).not.toContain(secret);
            for (const expected of row.public(w)) expect(text).toContain(expected);
          });
        }
      }
    });
  }
});
