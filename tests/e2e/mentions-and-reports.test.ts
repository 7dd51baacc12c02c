import { eq } from "drizzle-orm";
import { strFromU8, unzipSync } from "fflate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixedClock } from "../../src/clock.js";
import { openPostgres } from "../../src/db/client.js";
import { reportSchedules, slackPosts } from "../../src/db/schema.js";
import { runDueReports } from "../../src/jobs/report-job.js";
import { DEFAULT_DEADLINE_RULES } from "../../src/modules/deadlines/deadline-rules.js";
import { createContext, systemActor } from "../../src/modules/shared/context.js";
import { createPostingClient, createWebPoster } from "../../src/slack/web-poster.js";
import { FakeSlack, type RecordedCall } from "../support/fake-slack.js";
import { type BotUnderTest, startBotUnderTest, virtualPacing } from "../support/running-bot.js";
import { SECRET_SUMMARY, SECRET_TITLE, seedStatusCases } from "../support/scenarios.js";
import { Seeder } from "../support/seed-rows.js";
import { interactionBody, sendSigned } from "../support/signed-request.js";
import { sendArende } from "../support/slash-command.js";
import { createTestDatabase, type TestDatabase } from "../support/test-database.js";

/**
 * Issue 10 §4 and §5 over signed HTTP: "Visa ärendet" on a message, link previews of the e-diarium,
 * and the report to the council on motions past their year, uploaded now or on a schedule.
 * Monday 3 April 2017, 08:05 in Stockholm: the first Monday of April.
 */
const CLOCK = fixedClock("2017-04-03T08:05:00+02:00");
const SECRET_MOTION = "Motion om skyddat boende på Hemliga gatan";
const DIARIUM = "diarium.stockholm.example.se";

let database: TestDatabase;
let seed: Seeder;

beforeAll(async () => {
  database = await createTestDatabase();
  seed = new Seeder(database.db);
  await seedStatusCases(seed);
  // Not real cases: a restricted motion and an open one, both past their year on 3 April 2017.
  await seed.case({
    dnr: "KS 2015/77",
    kind: "motion",
    title: SECRET_MOTION,
    publicTitle: "Motion om boende",
    restricted: true,
    raisedBy: [{ name: "Hemlig Motionär", party: "X" }],
    raisedOn: "2015-09-01",
    responsibleBody: "socialnämnden",
    officerSlackUserId: "UOFFICER",
    status: "in_progress",
  });
  await seed.case({
    dnr: "KS 2016/12",
    kind: "medborgarforslag",
    title: "Medborgarförslag om fler parkbänkar",
    publicTitle: "Medborgarförslag om fler parkbänkar",
    raisedBy: [{ name: "Eva Exempel" }],
    raisedOn: "2016-01-15",
    responsibleBody: "kommunstyrelsen",
    status: "in_progress",
    referrals: [{ body: "Bromma stadsdelsnämnd", state: "answered" }, { body: "socialnämnden" }],
  });
});
afterAll(() => database?.destroy());

async function startBot(slack?: FakeSlack, handle = database): Promise<BotUnderTest> {
  return startBotUnderTest(handle, {
    clock: CLOCK,
    env: { ARENDE_UNFURL_DOMAINS: DIARIUM },
    pacer: virtualPacing().pacer,
    ...(slack ? { slack } : {}),
  });
}

type Answer = { response_type?: string; text: string; blocks: unknown[] };
const shown = (answer: { text?: unknown; blocks?: unknown }) =>
  `${answer.text}\n${JSON.stringify(answer.blocks)}`;

let sequence = 0;

/** A message_action payload, as Slack sends it when "Visa ärendet" is picked on a message. */
function messageShortcut(
  bot: BotUnderTest,
  { text, user, blocks }: { text: string; user: string; blocks?: unknown[] },
) {
  sequence += 1;
  const responseId = `shortcut-${sequence}`;
  const payload = {
    type: "message_action",
    token: "verification_token",
    action_ts: `1491206700.${sequence}`,
    team: { id: "T111", domain: "stockholm" },
    user: { id: user, username: user.toLowerCase(), name: user.toLowerCase(), team_id: "T111" },
    channel: { id: "C111", name: "kanal" },
    callback_id: "visa_arende",
    trigger_id: `111.${sequence}.trigger`,
    message_ts: `1491206000.${String(sequence).padStart(6, "0")}`,
    message: {
      type: "message",
      user: "U0POSTER",
      ts: `1491206000.${sequence}`,
      text,
      ...(blocks ? { blocks } : {}),
    },
    response_url: bot.slack.responseUrl(responseId),
  };
  return { payload, responsePath: `/response/${responseId}` };
}

async function useShortcut(
  bot: BotUnderTest,
  text: string,
  user = "W111",
  blocks?: unknown[],
): Promise<Answer[]> {
  const { payload, responsePath } = messageShortcut(bot, { text, user, ...(blocks ? { blocks } : {}) });
  const response = await sendSigned(bot.eventsUrl, interactionBody(payload), {
    contentType: "application/x-www-form-urlencoded",
  });
  expect(response.status).toBe(200);
  await bot.stop();
  return bot.slack.callsTo(responsePath).map((call) => call.body as unknown as Answer);
}

describe("Visa ärendet: the cases a message names, to the one who asked", () => {
  it("answers with a card for each case the message names, only to the asker", async () => {
    const bot = await startBot();
    const answers = await useShortcut(bot, "Hur går det med Dnr 108-1642/2017 och motion 2016:114?");
    expect(answers).toHaveLength(2);
    for (const answer of answers) expect(answer.response_type).toBe("ephemeral");
    expect(shown(answers[0] as Answer)).toContain("Bristerna inom socialtjänsten");
    expect(shown(answers[1] as Answer)).toContain(
      "Motion om en kompetensutvecklingspeng för socialsekreterare",
    );
    // Nothing is posted for the channel to see.
    expect(bot.slack.callsTo("chat.postMessage")).toEqual([]);
  });

  it("shows a restricted case in full to the case officer, and its public data to anyone else", async () => {
    const officer = await startBot();
    const [full] = await useShortcut(officer, "Se 108-2001/2017", "UOFFICER");
    expect(shown(full as Answer)).toContain(SECRET_TITLE);
    const outsider = await startBot();
    const [publicOnly] = await useShortcut(outsider, "Se 108-2001/2017", "W111");
    expect(shown(publicOnly as Answer)).toContain("Sekretess");
    expect(shown(publicOnly as Answer)).not.toContain(SECRET_TITLE);
    expect(shown(publicOnly as Answer)).not.toContain(SECRET_SUMMARY);
  });

  it("reads the numbers in a message's blocks too, as in another app's or the bot's own messages", async () => {
    const bot = await startBot();
    const blocks = [
      { type: "header", text: { type: "plain_text", text: "Försenat" } },
      {
        type: "section",
        text: { type: "mrkdwn", text: "• *Motion 2016:114* Motion om en kompetensutvecklingspeng" },
      },
    ];
    const answers = await useShortcut(bot, "Veckans sammanställning", "W111", blocks);
    expect(answers).toHaveLength(1);
    expect(shown(answers[0] as Answer)).toContain("Isabel Smedberg Palmqvist");
  });

  it("says so in Swedish when the message names no case", async () => {
    const bot = await startBot();
    const answers = await useShortcut(bot, "Mötet är 2017-04-05 kl. 09:00, välkomna!");
    expect(answers).toHaveLength(1);
    expect(answers[0]?.text).toMatch(/^Jag hittar inget diarienummer eller ärendenummer i meddelandet/);
  });
});

/** A link_shared event envelope (Events API), as Slack sends it for a link on an unfurl domain. */
function linkShared(urls: string[], eventId: string) {
  return {
    token: "XXYYZZ",
    team_id: "T111",
    api_app_id: "A111",
    type: "event_callback",
    event_id: eventId,
    event_time: 1491206700,
    event: {
      type: "link_shared",
      channel: "C111",
      is_bot_user_member: true,
      user: "W111",
      message_ts: "1491206700.000100",
      links: urls.map((url) => ({ domain: new URL(url).hostname, url })),
      event_ts: "1491206700.000100",
    },
  };
}

async function shareLinks(bot: BotUnderTest, urls: string[], eventId: string, times = 1): Promise<void> {
  for (let attempt = 0; attempt < times; attempt += 1) {
    const response = await sendSigned(bot.eventsUrl, JSON.stringify(linkShared(urls, eventId)), {
      contentType: "application/json",
      ...(attempt > 0
        ? { headers: { "x-slack-retry-num": String(attempt), "x-slack-retry-reason": "http_timeout" } }
        : {}),
    });
    expect(response.status).toBe(200);
  }
}

describe("link previews of the e-diarium", () => {
  const openLink = `https://${DIARIUM}/p360/case?dnr=108-1642%2F2017`;
  const secretLink = `https://${DIARIUM}/arende/108-2001%2F2017`;

  it("unfolds a link holding a dnr to the case's card, once however often Slack retries", async () => {
    const bot = await startBot();
    await shareLinks(bot, [openLink], "EvLINK0001", 2);
    await bot.stop();
    const unfurls = bot.slack.callsTo("chat.unfurl");
    expect(unfurls).toHaveLength(1);
    const body = unfurls[0]?.body as {
      channel: string;
      ts: string;
      unfurls: Record<string, { blocks: unknown[] }>;
    };
    expect(body.channel).toBe("C111");
    expect(body.ts).toBe("1491206700.000100");
    expect(JSON.stringify(body.unfurls[openLink])).toContain("Bristerna inom socialtjänsten");
  });

  it("unfolds a restricted case to its public data only, even when its own officer posted the link", async () => {
    const bot = await startBot();
    const envelope = linkShared([secretLink], "EvLINK0002");
    envelope.event.user = "UOFFICER";
    await sendSigned(bot.eventsUrl, JSON.stringify(envelope), { contentType: "application/json" });
    await bot.stop();
    const [call] = bot.slack.callsTo("chat.unfurl");
    const text = JSON.stringify(call?.body);
    expect(text).toContain("Sekretess");
    expect(text).not.toContain(SECRET_TITLE);
    expect(text).not.toContain(SECRET_SUMMARY);
    expect(text).not.toContain("Kim Handläggare");
  });

  it("leaves links to other hosts, and links without a known case, as they are", async () => {
    const bot = await startBot();
    await shareLinks(
      bot,
      [
        "https://example.com/arende/108-1642%2F2017",
        `https://${DIARIUM}/arende/999-1%2F2017`,
        `https://${DIARIUM}/start`,
      ],
      "EvLINK0003",
    );
    await bot.stop();
    expect(bot.slack.callsTo("chat.unfurl")).toEqual([]);
  });
});

/** What files.uploadV2 put in Slack: the completion call and the bytes of each file. */
function uploads(slack: FakeSlack) {
  return slack.callsTo("files.completeUploadExternal").map((call: RecordedCall) => {
    const files = call.body.files as { id: string; title: string }[];
    return {
      channel: call.body.channel_id,
      comment: String(call.body.initial_comment),
      threadTs: call.body.thread_ts,
      titles: files.map((file) => file.title),
      bytes: files.map((file) => slack.uploadedFiles.get(file.id) as Buffer),
    };
  });
}

const docxText = (bytes: Buffer) =>
  strFromU8(unzipSync(new Uint8Array(bytes))["word/document.xml"] as Uint8Array)
    .replace(/<[^>]+>/g, " ")
    .replace(/\s+/g, " ");

describe("/arende rapport motioner", () => {
  it("uploads the report to the channel as Word and CSV, a restricted motion by its public data", async () => {
    const bot = await startBot();
    const { answer, responsePath } = await sendArende(bot, "rapport motioner per 2017-04-03", {
      channel: "C111",
    });
    expect(answer?.text).toBe("Ett ögonblick, jag tar fram rapporten om motioner…");
    const [done] = await bot.slack.waitForCalls(responsePath, 1);
    await bot.stop();
    expect(String((done?.body as Answer | undefined)?.text)).toBe(
      "Rapporten per 3 april 2017 ligger i kanalen som Word och CSV: 2 motioner och medborgarförslag över ettårsgränsen, och 1 utan känt datum för väckande.",
    );
    const [upload] = uploads(bot.slack);
    expect(upload?.channel).toBe("C111");
    expect(upload?.comment).toContain(
      "kommunallagen 5 kap. 35 §, per 3 april 2017: 2 motioner och medborgarförslag",
    );
    expect(upload?.titles).toEqual([
      "Motioner och medborgarförslag som inte beslutats inom ett år, per 3 april 2017",
      "Motioner och medborgarförslag som inte beslutats inom ett år, per 3 april 2017 (CSV)",
    ]);
    const [docx, csv] = upload?.bytes ?? [];
    const word = docxText(docx as Buffer);
    expect(word).toContain("Dnr KS 2015/77");
    expect(word).toContain("Motion om boende");
    expect(word).toContain("Medborgarförslag om fler parkbänkar");
    expect(word).toContain("Motion 2016:114");
    expect(word).not.toContain("Hemlig");
    const csvText = (csv as Buffer).toString("utf8");
    expect(csvText.startsWith("\uFEFFNummer;Slag;")).toBe(true);
    expect(csvText).toContain(
      "Dnr KS 2015/77;Motion;Motion om boende;Sekretess;Sekretess;2015-09-01;Sekretess;Sekretess;Sekretess;Sekretess;",
    );
    expect(csvText).not.toContain("Hemlig");
  });

  it("tells the asker to invite the bot when Slack refuses the upload", async () => {
    const slack = new FakeSlack();
    await slack.start();
    slack.respondWith((call) =>
      call.method === "files.completeUploadExternal"
        ? { body: { ok: false, error: "not_in_channel" } }
        : undefined,
    );
    try {
      const bot = await startBot(slack);
      const { responsePath } = await sendArende(bot, "rapport motioner", { channel: "CNOTIN" });
      const [done] = await slack.waitForCalls(responsePath, 1);
      await bot.stop();
      expect(String((done?.body as Answer | undefined)?.text)).toMatch(
        /bjud in mig till kanalen med `\/invite @arendebot`/,
      );
    } finally {
      await slack.stop();
    }
  });

  it("says what was wrong with a day that is not one", async () => {
    const bot = await startBot();
    const { answer } = await sendArende(bot, "rapport motioner per 3/4");
    await bot.stop();
    expect(answer?.text).toMatch(/«3\/4» är inget datum. Skriv dagen som ÅÅÅÅ-MM-DD/);
    expect(uploads(bot.slack)).toEqual([]);
  });
});

describe("a channel's scheduled report, posted exactly once", () => {
  const PERIOD = "2017-04-03";

  async function schedule(channelId: string): Promise<number> {
    const [row] = await database.db
      .insert(reportSchedules)
      .values({
        channelId,
        ordinal: 1,
        weekday: 1,
        months: [4, 10],
        time: "08:00",
        createdBySlackUserId: "UADMIN",
        createdAt: new Date("2017-03-01T12:00:00Z"),
        updatedAt: new Date("2017-03-01T12:00:00Z"),
      })
      .returning({ id: reportSchedules.id });
    if (!row) throw new Error("schedule not inserted");
    return row.id;
  }

  async function post(key: string) {
    const [row] = await database.db.select().from(slackPosts).where(eq(slackPosts.key, key));
    return row ?? null;
  }

  it("is set by a registrator in Swedish, and refused to someone without the role", async () => {
    await seed.roles([{ user: "UREG", role: "registrator", body: "kommunstyrelsen" }]);
    const bot = await startBot();
    const refused = await sendArende(bot, "rapport motioner schema första måndagen i april och oktober", {
      user: "W111",
      channel: "CSCHEMA",
    });
    expect(refused.answer?.text).toMatch(/^:grey_question: Bara administratörer och registratorer/);
    const set = await sendArende(
      bot,
      "rapport motioner schema första måndagen i april och oktober kl. 9.30",
      {
        user: "UREG",
        channel: "CSCHEMA",
      },
    );
    expect(set.answer?.text).toBe(
      "Kanalen får rapporten om motioner: första måndagen i april och oktober kl. 09:30 (Stockholmstid), som Word och CSV. Avsluta med `/arende rapport motioner schema avsluta`.",
    );
    const shownSchedule = await sendArende(bot, "rapport motioner schema", { channel: "CSCHEMA" });
    expect(shownSchedule.answer?.text).toBe(
      "Kanalen får rapporten om motioner första måndagen i april och oktober kl. 09:30 (Stockholmstid).",
    );
    const bad = await sendArende(bot, "rapport motioner schema femte måndagen i april", { user: "UREG" });
    expect(bad.answer?.text).toMatch(/Förstår inte schemat «femte måndagen i april»/);
    const ended = await sendArende(bot, "rapport motioner schema avsluta", {
      user: "UREG",
      channel: "CSCHEMA",
    });
    await bot.stop();
    expect(ended.answer?.text).toBe(
      "Kanalens rapport om motioner är avslutad (första måndagen i april och oktober kl. 09:30).",
    );
    // The channel saw who set it and who ended it.
    const notices = bot.slack.calls
      .filter((call) => call.body.response_type === "in_channel")
      .map((call) => call.body.text);
    expect(notices).toEqual([
      "<@UREG> schemalade rapporten om motioner som inte beslutats inom ett år: första måndagen i april och oktober kl. 09:30.",
      "<@UREG> avslutade kanalens rapport om motioner (första måndagen i april och oktober kl. 09:30).",
    ]);
  });

  it("three job runs at once upload the first Monday's report once", async () => {
    const scheduleId = await schedule("CTWORUNS");
    const slack = new FakeSlack();
    await slack.start();
    try {
      const poster = createWebPoster({
        client: createPostingClient({ botToken: "xoxb-test", apiUrl: slack.apiUrl, logLevel: "error" }),
        pacer: virtualPacing().pacer,
      });
      const run = (instanceId: string) =>
        runDueReports(
          createContext({ db: database.db, clock: CLOCK, actor: systemActor("motion-reports") }),
          {
            instanceId,
            poster,
            uploader: poster,
            deadlineRules: DEFAULT_DEADLINE_RULES,
          },
        );
      const reports = await Promise.all([run("a"), run("b"), run("c")]);
      expect(reports.map((report) => report.posted ?? 0).reduce((sum, count) => sum + count)).toBe(1);
      expect(uploads(slack).filter((upload) => upload.channel === "CTWORUNS")).toHaveLength(1);
      expect((await post(`motion_report:${scheduleId}:${PERIOD}`))?.state).toBe("posted");
      // The next minute's run finds it posted and uploads nothing.
      expect(await run("d")).toEqual({ already_posted: 1 });
      expect(uploads(slack)).toHaveLength(1);
    } finally {
      await database.db.update(reportSchedules).set({ active: false });
      await slack.stop();
    }
  });

  it.runIf(Boolean(process.env.TEST_DATABASE_URL))(
    "two bots on one PostgreSQL database upload it once between them",
    async () => {
      const scheduleId = await schedule("CTWOBOTS");
      const secondHandle = openPostgres(database.url as string, { max: 5 });
      const slack = new FakeSlack();
      await slack.start();
      try {
        const bots = await Promise.all([startBot(slack), startBot(slack, secondHandle as TestDatabase)]);
        const deadline = Date.now() + 10_000;
        while ((await post(`motion_report:${scheduleId}:${PERIOD}`))?.state !== "posted") {
          if (Date.now() > deadline) throw new Error("the scheduled report was not posted");
          await new Promise((resolve) => setTimeout(resolve, 25));
        }
        await Promise.all(bots.map((bot) => bot.stop()));
        const posted = uploads(slack).filter((upload) => upload.channel === "CTWOBOTS");
        expect(posted).toHaveLength(1);
        expect(posted[0]?.comment).toMatch(
          /^Redovisning till fullmäktige enligt kommunallagen 5 kap. 35 §, per 3 april 2017/,
        );
      } finally {
        await database.db.update(reportSchedules).set({ active: false });
        await secondHandle.close();
        await slack.stop();
      }
    },
  );
});
