import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import type { Clock } from "../../src/clock.js";
import { fixedClock } from "../../src/clock.js";
import { approvalMessages, bodies } from "../../src/db/schema.js";
import { type AuditEntry, recordAudit } from "../../src/modules/audit/audit.repository.js";
import { findCaseStatus } from "../../src/modules/cases/get-case-status.js";
import { sendOnRemiss } from "../../src/modules/referrals/send-on-remiss.js";
import type { Actor } from "../../src/modules/shared/actor.js";
import { createContext, slackActor } from "../../src/modules/shared/context.js";
import { APPROVE_RESPONSE_ACTION } from "../../src/slack/blocks/approval-ids.js";
import { OLDER_HISTORY_ACTION } from "../../src/slack/blocks/history-ids.js";
import type { RecordedCall } from "../support/fake-slack.js";
import { botForThisFile } from "../support/running-bot.js";
import { seedDemoCases } from "../support/scenarios.js";
import type { Seeder } from "../support/seed-rows.js";
import {
  asButton,
  blockActions,
  buttonIn,
  type CapturedView,
  interact,
  remissvarForm,
  type ViewElement,
} from "../support/slack-payloads.js";
import { type SlackAnswer, sendArende } from "../support/slash-command.js";

const ADMIN = "U0ADMIN01";
const OFFICER = "U0HANDL01";
const APPROVER = "U0GODK001";
const OUTSIDER = "U0OUTSIDE";
const SECRET_TITLE = "Orosanmälan gällande barn på Drottninggatan 5";
const SECRET_SUMMARY = "Familjen har sedan tidigare kontakt med BUP.";

/** The bot's clock, moved on between steps so each step has its own time. */
let now = new Date("2017-04-03T09:30:00+02:00");
const clock: Clock = { now: () => new Date(now) };
let secretCaseId: number;
let busyCaseId: number;

const stockholm = (time: string) => new Date(`2017-04-03T${time}:00+02:00`);

async function audit(caseId: number, actor: Actor, at: Date, entries: Omit<AuditEntry, "entityId">[]) {
  await database.db.transaction((tx) =>
    recordAudit(tx, { actor, at, entries: entries.map((entry) => ({ ...entry, entityId: caseId })) }),
  );
}

const { bot, database } = botForThisFile({ clock, env: { ARENDE_ADMINS: ADMIN }, given: setUp });

async function setUp(seed: Seeder) {
  // The demo registry, imported at 09:00: the two real cases and their bodies.
  await seedDemoCases(database.db, fixedClock(stockholm("09:00")));
  await seed.roles([
    { user: OFFICER, role: "handlaggare", body: "socialnämnden" },
    { user: APPROVER, role: "godkannare", body: "socialnämnden" },
  ]);

  // A restricted case whose history holds its secrets: a title, a summary, a reason.
  secretCaseId = await seed.case({
    registry: "stockholm-sekretess",
    dnr: "108-2001/2017",
    kind: "other",
    title: SECRET_TITLE,
    publicTitle: "Sekretess",
    restricted: true,
    officerSlackUserId: OFFICER,
  });
  await audit(secretCaseId, { type: "import", source: "sekretess.json" }, stockholm("08:00"), [
    {
      action: "case.imported",
      entityType: "case",
      changes: { title: SECRET_TITLE, public_title: "Sekretess" },
    },
  ]);
  await audit(secretCaseId, { type: "slack_user", userId: OFFICER }, stockholm("08:10"), [
    {
      action: "case.updated",
      entityType: "case",
      changes: {
        title: { from: "Orosanmälan", to: SECRET_TITLE },
        summary: { from: null, to: SECRET_SUMMARY },
        received_on: { from: null, to: "2017-03-30" },
      },
    },
  ]);

  // A case with a long history: 45 changes, a minute apart.
  busyCaseId = await seed.case({
    registry: "stockholm-sekretess",
    dnr: "108-3000/2017",
    kind: "skrivelse",
    title: "Ett ärende med lång historia",
    publicTitle: "Ett ärende med lång historia",
  });
  for (let minute = 0; minute < 45; minute += 1) {
    await audit(
      busyCaseId,
      { type: "cli", user: "marten" },
      new Date(stockholm("07:00").getTime() + minute * 60_000),
      [
        {
          action: "case.updated",
          entityType: "case",
          changes: { officer_name: { from: `Handläggare ${minute}`, to: `Handläggare ${minute + 1}` } },
        },
      ],
    );
  }
}

type Element = ViewElement;
type Block = { type: string; text?: { text: string }; elements?: Element[] };
type View = CapturedView;

const shown = (message: { text?: unknown; blocks?: unknown } | null | undefined) =>
  `${message?.text}\n${JSON.stringify(message?.blocks)}`;
/** The history's lines, top to bottom, as the asker reads them. */
const sectionsOf = (message: { blocks?: unknown } | null | undefined) =>
  ((message?.blocks ?? []) as Block[])
    .flatMap((block) => (block.type === "section" ? [block.text?.text ?? ""] : []))
    .join("\n");
const buttonsOf = (message: { blocks?: unknown } | null | undefined) =>
  ((message?.blocks ?? []) as Block[]).flatMap((block) =>
    block.type === "actions" ? (block.elements ?? []) : [],
  );

async function post(payload: unknown): Promise<string> {
  return JSON.stringify(await interact(bot, payload));
}

type Answer = SlackAnswer & { replace_original?: boolean };

let clicks = 0;
/**
 * A click on a button of an ephemeral message (shape of slack-payloads/block_actions.json); the
 * answer is what arrives at the click's response_url.
 */
async function clickFor(button: Element | undefined, user: string): Promise<Answer> {
  clicks += 1;
  const click = blockActions(bot, {
    user,
    button: { ...asButton(button), blockId: "history" },
    channel: "C0REGISTRY",
    messageTs: `1700000500.${clicks}`,
    ephemeral: true,
  });
  await post(click.payload);
  const [answer] = await bot.slack.waitForCalls(click.responsePath, 1);
  return (answer as RecordedCall).body as unknown as Answer;
}

async function historik(query: string, user: string): Promise<SlackAnswer> {
  const { answer } = await sendArende(bot, `historik ${query}`, { user, channel: "C0REGISTRY" });
  if (!answer) throw new Error("no answer");
  return answer;
}

describe("/arende historik after a remissvar was recorded and approved in Slack", () => {
  it("shows every step, newest first, with Stockholm times and the people as mentions", async () => {
    // 09:30 a registrator (here an admin) sends the letter on remiss to socialnämnden.
    const ctx = createContext({
      db: database.db,
      clock,
      admins: [ADMIN],
      actor: slackActor({ userId: ADMIN }),
    });
    const remiss = await sendOnRemiss(ctx, {
      request: {
        caseId: await caseIdOf("Dnr 108-1642/2017"),
        bodyIds: [await bodyIdOf("socialnamnden")],
        dueOn: "2017-04-28",
        message: null,
      },
    });
    expect(remiss.ok).toBe(true);

    // 10:00 the handläggare records the answer through /arende remissvar and its form.
    now = stockholm("10:00");
    const opened = bot.slack.callsTo("views.open").length;
    await sendArende(bot, "remissvar Dnr 108-1642/2017", { user: OFFICER, channel: "C0SOCIAL" });
    const view = (await bot.slack.waitForCalls("views.open", opened + 1))[opened]?.body.view as View;
    const posted = bot.slack.callsTo("chat.postMessage").length;
    expect(
      await post(
        remissvarForm(view, OFFICER, {
          remiss: "socialnämnden",
          date: "2017-03-30",
          summary: "Nämnden tillstyrker <förslaget>.",
        }),
      ),
    ).toBe('{"response_action":"clear"}');

    const request = (await bot.slack.waitForCalls("chat.postMessage", posted + 1))
      .slice(posted)
      .find((call) => call.body.channel === APPROVER);
    // The request's place in Slack is recorded after it is posted, still at 10:00.
    await expect
      .poll(async () => (await database.db.select().from(approvalMessages)).length, { timeout: 5_000 })
      .toBe(1);

    // 14:05 the godkännare approves it with the button in the request sent to them.
    now = stockholm("14:05");
    const updates = bot.slack.callsTo("chat.update").length;
    await post(
      blockActions(bot, {
        user: APPROVER,
        button: buttonIn(request?.body.blocks, APPROVE_RESPONSE_ACTION),
        channel: APPROVER,
        messageTs: String(request?.body.ts ?? "1.1"),
        message: request?.body ?? {},
      }).payload,
    );
    await bot.slack.waitForCalls("chat.update", updates + 1);

    // Anyone may read an open case's history.
    const answer = await historik("Dnr 108-1642/2017", OUTSIDER);
    expect(answer.response_type).toBe("ephemeral");
    const lines = sectionsOf(answer).split("\n");
    const expected = [
      "*3 apr. 2017 14:05* · Tidsfristen för remissen till socialnämnden uppfylld 30 mars 2017 (av <@U0GODK001>)",
      "*3 apr. 2017 14:05* · Remissen till socialnämnden besvarad 30 mars 2017 (av <@U0GODK001>)",
      "*3 apr. 2017 14:05* · Godkänt av <@U0GODK001>: remissvaret från socialnämnden",
      "*3 apr. 2017 10:00* · Remissvaret från socialnämnden skickat för godkännande (av <@U0HANDL01>)",
      "*3 apr. 2017 10:00* · Remissvar registrerat av <@U0HANDL01> för socialnämnden, daterat 30 mars 2017",
      ">«Nämnden tillstyrker &lt;förslaget&gt;.»",
      "*3 apr. 2017 09:30* · Remiss skickad till socialnämnden av <@U0ADMIN01>, svar senast 28 april 2017",
    ];
    expect(lines.slice(0, expected.length)).toEqual(expected);
    expect(lines.at(-1)).toBe("*3 apr. 2017 09:00* · Ärendet importerat från demo.json");
    expect(shown(answer)).toContain("Händelse 1–17 av 17, nyast först");
    expect(buttonsOf(answer)).toEqual([]);
  });

  it("the case card shows who approved the remissvar and when, and its Historik button opens the history", async () => {
    const { answer: card } = await sendArende(bot, "status Dnr 108-1642/2017", { user: OUTSIDER });
    expect(sectionsOf(card)).toContain("↳ Godkänt av <@U0GODK001> 3 apr. 2017");
    const button = buttonsOf(card).find((candidate) => candidate.text?.text === "Historik");
    expect(button?.action_id).toBe("case_card.history");

    const history = await clickFor(button, OUTSIDER);
    expect(history.response_type).toBe("ephemeral");
    expect(history.replace_original).toBe(false);
    expect(shown(history)).toContain("Historik · Dnr 108-1642/2017");
    expect(sectionsOf(history)).toContain("Godkänt av <@U0GODK001>: remissvaret från socialnämnden");
  });
});

describe("paging", () => {
  it("Äldre händelser and Nyare replace the message with the next and the previous page", async () => {
    const first = await historik("Dnr 108-3000/2017", OUTSIDER);
    expect(shown(first)).toContain("Händelse 1–20 av 45, nyast först · sida 1 av 3");
    expect(sectionsOf(first).split("\n")[0]).toBe(
      "*3 apr. 2017 07:44* · Handläggare ändrad från Handläggare 44 till Handläggare 45 (av marten i terminalen)",
    );
    expect(buttonsOf(first).map((button) => button.text?.text)).toEqual(["Äldre händelser"]);

    const second = await clickFor(buttonsOf(first)[0], OUTSIDER);
    expect(second.replace_original).toBe(true);
    expect(shown(second)).toContain("Händelse 21–40 av 45, nyast först · sida 2 av 3");
    expect(sectionsOf(second).split("\n")[0]).toContain("*3 apr. 2017 07:24*");
    expect(buttonsOf(second).map((button) => button.text?.text)).toEqual(["Nyare", "Äldre händelser"]);

    const third = await clickFor(buttonsOf(second)[1], OUTSIDER);
    expect(shown(third)).toContain("Händelse 41–45 av 45, nyast först · sida 3 av 3");
    expect(sectionsOf(third).split("\n").at(-1)).toContain("*3 apr. 2017 07:00*");
    expect(buttonsOf(third).map((button) => button.text?.text)).toEqual(["Nyare"]);

    const back = await clickFor(buttonsOf(third)[0], OUTSIDER);
    expect(shown(back)).toContain("sida 2 av 3");
  });

  it("a forged page button is answered politely and names no other case's secrets", async () => {
    const forged = await clickFor(
      { type: "button", action_id: OLDER_HISTORY_ACTION, value: '{"caseId":"1 or 1=1","page":2}' },
      OUTSIDER,
    );
    expect(forged.text).toBe("Knappen är trasig; fråga med /arende historik.");
    const secret = await clickFor(
      {
        type: "button",
        action_id: OLDER_HISTORY_ACTION,
        value: JSON.stringify({ caseId: secretCaseId, page: 1 }),
      },
      OUTSIDER,
    );
    expect(shown(secret)).not.toContain(SECRET_TITLE);
    expect(shown(secret)).toContain("Sekretess");
  });
});

describe("a restricted case's history", () => {
  it("for someone outside the case: public data only, and why", async () => {
    const answer = await historik("Dnr 108-2001/2017", OUTSIDER);
    const all = shown(answer);
    expect(all).toContain("Historik · Dnr 108-2001/2017");
    expect(all).toContain("Sekretess");
    expect(all).toContain("Ärendet omfattas av sekretess. Här visas endast offentliga uppgifter");
    expect(sectionsOf(answer).split("\n")).toEqual([
      "*3 apr. 2017 08:10* · Ärendet ändrat (i Slack)",
      ">Datumet då ärendet kom in angivet: 30 mars 2017",
      ">Även uppgifter som inte är offentliga ändrades",
      "*3 apr. 2017 08:00* · Ärendet importerat",
    ]);
    for (const secret of [SECRET_TITLE, "Orosanmälan", SECRET_SUMMARY, OFFICER, "sekretess.json"]) {
      expect(all).not.toContain(secret);
    }
  });

  it("through the Historik button of the public card, by the clicker's own access", async () => {
    const { answer: card } = await sendArende(bot, "status Dnr 108-2001/2017", { user: OUTSIDER });
    expect(shown(card)).not.toContain(SECRET_TITLE);
    const button = buttonsOf(card).find((candidate) => candidate.action_id === "case_card.history");
    expect(shown(await clickFor(button, OUTSIDER))).not.toContain(SECRET_TITLE);
    // The same button, clicked by the case officer, shows everything to them.
    expect(shown(await clickFor(button, OFFICER))).toContain(SECRET_TITLE);
  });

  it("for the case officer: everything", async () => {
    const answer = await historik("Dnr 108-2001/2017", OFFICER);
    const all = shown(answer);
    expect(all).toContain(SECRET_TITLE);
    expect(all).toContain(SECRET_SUMMARY);
    expect(all).toContain("Ärendet importerat från sekretess.json");
    expect(all).toContain("Sekretess: visa inte historiken i en kanal.");
  });
});

describe("/arende historik without a known case", () => {
  it("answers an unknown number with close matches, and something that is no number with the accepted forms", async () => {
    expect(shown(await historik("Dnr 108-1643/2017", OUTSIDER))).toContain(
      "Jag hittar inget ärende med Dnr 108-1643/2017 i diariet.",
    );
    expect(shown(await historik("", OUTSIDER))).toContain("Godtagna former");
  });
});

// ---------------------------------------------------------------------------------------------

async function caseIdOf(query: string): Promise<number> {
  const found = await findCaseStatus({ db: database.db, query });
  if (found.type !== "found" || !found.cases[0]) throw new Error(`no case ${query}`);
  return found.cases[0].id;
}

/** A body of the imported demo registry, by its code. */
async function bodyIdOf(code: string): Promise<number> {
  const [body] = await database.db.select({ id: bodies.id }).from(bodies).where(eq(bodies.code, code));
  if (!body) throw new Error(`no body ${code}`);
  return body.id;
}
