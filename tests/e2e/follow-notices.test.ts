import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixedClock } from "../../src/clock.js";
import { type DatabaseHandle, openPostgres } from "../../src/db/client.js";
import { cases, slackPosts } from "../../src/db/schema.js";
import { recordAudit } from "../../src/modules/audit/audit.repository.js";
import { APPROVE_RESPONSE_ACTION } from "../../src/slack/blocks/approval-ids.js";
import { FakeSlack, type RecordedCall } from "../support/fake-slack.js";
import { type BotUnderTest, startBotUnderTest, virtualPacing } from "../support/running-bot.js";
import { type PendingRemissvar, pendingRemissvar } from "../support/scenarios.js";
import { Seeder } from "../support/seed-rows.js";
import { blockActions, interact } from "../support/slack-payloads.js";
import { type SlackAnswer, sendArende } from "../support/slash-command.js";
import { createTestDatabase, type TestDatabase } from "../support/test-database.js";

/**
 * Followers told through the real bot: follows made and changes approved over signed HTTP, the
 * notices posted by the every-minute job's start-up run of two replicas on one database, against
 * one stand-in Slack. On PostgreSQL the replicas have a connection pool each; on PGlite they share
 * the embedded database, as two runs in one process do.
 */
const ADMIN = "U0ADMIN01";
const APPROVER = "U0GODK001";
const OFFICER = "U0HANDL01";
/** A registrator of Kommunstyrelsen, the body responsible for the restricted case: entitled to it. */
const REGISTRATOR = "U0REGKS01";
const OUTSIDER = "U0OUTSIDE";
const CHANNEL = "C0FOLLOWS";
const SECRET = "Hemlig utredning om placering av barn";
const LATER_SECRET = "Utredning som senare beläggs med sekretess";

let database: TestDatabase;
let seed: Seeder;
let open: PendingRemissvar;
let restricted: PendingRemissvar;
let becomesRestricted: number;

beforeAll(async () => {
  database = await createTestDatabase();
  seed = new Seeder(database.db);
  await seed.body("Socialnämnden", "board", "C0SOCIAL");
  await seed.body("Kommunstyrelsen", "board", "C0KS");
  await seed.roles([
    { user: APPROVER, role: "godkannare", body: "Socialnämnden" },
    { user: OFFICER, role: "handlaggare", body: "Socialnämnden" },
    { user: REGISTRATOR, role: "registrator", body: "Kommunstyrelsen" },
  ]);
  open = await pendingRemissvar(seed, {
    dnr: "108-4001/2017",
    title: "Bristerna inom socialtjänsten",
    submittedBy: OFFICER,
    copies: [{ channelId: "D0GODK001", messageTs: "1700000300.000001" }],
  });
  restricted = await pendingRemissvar(seed, {
    dnr: "108-4002/2017",
    title: SECRET,
    publicTitle: "Sekretess",
    restricted: true,
    submittedBy: OFFICER,
    copies: [{ channelId: "D0GODK001", messageTs: "1700000300.000002" }],
  });
  becomesRestricted = await seed.case({
    dnr: "108-4003/2017",
    kind: "skrivelse",
    title: LATER_SECRET,
    publicTitle: LATER_SECRET,
    responsibleBody: "Kommunstyrelsen",
    status: "in_progress",
  });
});
afterAll(() => database?.destroy());

const shown = (body: { text?: unknown; blocks?: unknown } | null | undefined) =>
  `${body?.text}\n${JSON.stringify(body?.blocks)}`;
const notices = (slack: FakeSlack): RecordedCall[] =>
  slack.callsTo("chat.postMessage").filter((call) => String(call.body.text).startsWith("Nytt i "));

async function waitFor(check: () => boolean, what: string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** The bot as main.ts starts it, on `handle`, against the shared stand-in Slack, at `at`. */
const startAt = (handle: DatabaseHandle, slack: FakeSlack, at: string): Promise<BotUnderTest> =>
  startBotUnderTest(handle, {
    clock: fixedClock(at),
    slack,
    pacer: virtualPacing().pacer,
    env: { ARENDE_ADMINS: ADMIN },
  });

/** An import closes the case at `at`, as a sync would: the change and its audit event in one transaction. */
async function closeByImport(caseId: number, at: string) {
  await database.db.transaction(async (tx) => {
    await tx.update(cases).set({ status: "closed" }).where(eq(cases.id, caseId));
    await recordAudit(tx, {
      actor: { type: "import", source: "rattelse.json" },
      at: new Date(at),
      entries: [
        {
          action: "case.updated",
          entityType: "case",
          entityId: caseId,
          changes: { status: { from: "in_progress", to: "closed" } },
        },
      ],
    });
  });
}

/**
 * On PostgreSQL the audit trail's horizon is the whole server's oldest transaction, so another test
 * file's open transaction can hold a change back past the start-up run: the next minute's run tells it.
 */
const NOTICE_TIMEOUT_MS = 75_000;

describe("following a case: notices", () => {
  it(
    "two replicas tell each follower once (a DM in full, a restricted case in full only to the entitled, a channel only public data); the next change waits for the hour and goes in the thread",
    async () => {
      const slack = new FakeSlack();
      slack.deliverDirectMessages();
      await slack.start();
      const second = database.url ? openPostgres(database.url, { max: 5 }) : database;
      const running: BotUnderTest[] = [];
      try {
        // Monday 3 April 2017, 10:00 in Stockholm: the follows, over signed HTTP.
        const first = await startAt(database, slack, "2017-04-03T08:00:00Z");
        running.push(first);
        const arende = async (text: string, user: string, channel = "C0WHERE1") =>
          shown((await sendArende(first, text, { user, channel })).answer as SlackAnswer);
        expect(await arende("bevaka Dnr 108-4001/2017", OUTSIDER)).toContain(
          "Du bevakar nu Dnr 108-4001/2017",
        );
        expect(await arende("bevaka Dnr 108-4002/2017", REGISTRATOR)).toContain(
          `Du bevakar nu Dnr 108-4002/2017 «${SECRET}»`,
        );
        const refused = await arende("bevaka Dnr 108-4002/2017", OUTSIDER);
        expect(refused).toContain("omfattas av sekretess och du är inte behörig");
        expect(refused).not.toContain(SECRET);
        expect(await arende("bevaka Dnr 108-4002/2017 kanal", REGISTRATOR, CHANNEL)).toContain(
          "så en kanal kan inte bevaka det",
        );
        expect(await arende("bevaka Dnr 108-4003/2017 kanal", REGISTRATOR, CHANNEL)).toContain(
          "Kanalen bevakar nu Dnr 108-4003/2017",
        );

        // The case moves: both remissvar approved with Godkänn, over signed HTTP …
        for (const pending of [open, restricted]) {
          const message = pending.messages[0] as PendingRemissvar["messages"][number];
          const click = blockActions(first, {
            user: APPROVER,
            button: {
              actionId: APPROVE_RESPONSE_ACTION,
              value: JSON.stringify({ responseId: pending.responseId }),
              text: "Godkänn",
            },
            channel: message.channelId,
            messageTs: message.messageTs,
            message: { text: "Remissvar att godkänna", blocks: [] },
          });
          await interact(first, click.payload);
        }
        // … and an import restricts the third case and closes it.
        await database.db.transaction(async (tx) => {
          await tx
            .update(cases)
            .set({ restricted: true, publicTitle: "Sekretess", status: "closed" })
            .where(eq(cases.id, becomesRestricted));
          await recordAudit(tx, {
            actor: { type: "import", source: "rattelse.json" },
            at: new Date("2017-04-03T08:01:00Z"),
            entries: [
              {
                action: "case.updated",
                entityType: "case",
                entityId: becomesRestricted,
                changes: {
                  restricted: { from: false, to: true },
                  public_title: { from: LATER_SECRET, to: "Sekretess" },
                  status: { from: "in_progress", to: "closed" },
                },
              },
            ],
          });
        });
        await first.stop();

        // Two replicas start at 10:05 on one database, and each runs the follow job at once.
        running.push(
          ...(await Promise.all([
            startAt(database, slack, "2017-04-03T08:05:00Z"),
            startAt(second, slack, "2017-04-03T08:05:00Z"),
          ])),
        );
        await waitFor(() => notices(slack).length >= 3, "three follow notices", NOTICE_TIMEOUT_MS);
        await Promise.all(running.map((bot) => bot.stop()));

        const told = notices(slack);
        expect(told.map((call) => call.body.channel).sort()).toEqual([CHANNEL, OUTSIDER, REGISTRATOR].sort());
        const to = (channel: string) => shown(told.find((call) => call.body.channel === channel)?.body);

        expect(to(OUTSIDER)).toContain("Dnr 108-4001/2017");
        expect(to(OUTSIDER)).toContain("Bristerna inom socialtjänsten");
        expect(to(OUTSIDER)).toContain(`Godkänt av <@${APPROVER}>`);

        expect(to(REGISTRATOR)).toContain(SECRET);
        expect(to(REGISTRATOR)).toContain("Socialnämnden");

        expect(to(CHANNEL)).toContain("Dnr 108-4003/2017");
        expect(to(CHANNEL)).not.toContain(LATER_SECRET);
        expect(to(CHANNEL)).toContain("endast offentliga uppgifter");
        expect(to(CHANNEL)).toContain("Sekretess");

        const posts = await database.db.select().from(slackPosts).where(eq(slackPosts.kind, "follow_notice"));
        expect(posts.filter((post) => post.state === "posted" && post.partsPosted === 1)).toHaveLength(3);

        // 10:20: the case is closed by an import. Told at 10:05, the follower waits for the hour …
        const firstTs = posts.find((post) => post.channelId === OUTSIDER)?.messageTs;
        expect(firstTs).toMatch(/^1800000000\./);
        await closeByImport(open.caseId, "2017-04-03T08:20:00Z");
        const waiting = await startAt(database, slack, "2017-04-03T08:30:00Z");
        running.push(waiting);
        await waiting.stop();
        expect(notices(slack)).toHaveLength(3);

        // … and at 11:06 it is told, in the thread of the first notice in its DM.
        const hourLater = await startAt(database, slack, "2017-04-03T09:06:00Z");
        running.push(hourLater);
        await waitFor(() => notices(slack).length >= 4, "the follow-up notice", NOTICE_TIMEOUT_MS);
        await hourLater.stop();
        const followUp = notices(slack)[3];
        expect(followUp?.body).toMatchObject({ channel: `D${OUTSIDER.slice(1)}`, thread_ts: firstTs });
        expect(shown(followUp?.body)).toContain("Status ändrad");
        expect(notices(slack)).toHaveLength(4);
      } finally {
        await Promise.all(running.map((bot) => bot.stop()));
        if (second !== database) await second.close();
        await slack.stop();
      }
    },
    2 * NOTICE_TIMEOUT_MS + 30_000,
  );
});
