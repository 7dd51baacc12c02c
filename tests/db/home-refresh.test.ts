import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixedClock } from "../../src/clock.js";
import { cases, homeTabs } from "../../src/db/schema.js";
import { refreshHomeTabs } from "../../src/jobs/home-job.js";
import { refreshHomes, showHome } from "../../src/modules/home/publish-home.js";
import type { PostingContext } from "../../src/modules/posting/post-copies.js";
import { type HomeView, PostError, type Poster } from "../../src/modules/posting/poster.js";
import { registryAdmission } from "../../src/modules/shared/availability.js";
import { createContext, systemActor } from "../../src/modules/shared/context.js";
import { slackRenderers } from "../../src/slack/blocks/outgoing.js";
import { Seeder } from "../support/seed-rows.js";
import { createTestDatabase, type TestDatabase } from "../support/test-database.js";

/**
 * The Home tabs kept up to date without a click: the scheduled refresh publishes a tab again only
 * when what it shows has changed (an import renamed a case, a due date passed at midnight), once
 * across replicas, and again after Slack refused it.
 */

const OFFICER = "U0HANDL01";
const OTHER = "U0HANDL02";
const admit = registryAdmission({ timeoutMs: 5_000, maxInFlight: 100, concurrency: 4 });

class RecordingSlack {
  readonly published: { userId: string; view: HomeView }[] = [];
  refuse = false;
  readonly poster: Poster = {
    post: async () => {
      throw new Error("the Home tab is published, never posted");
    },
    update: async () => {
      throw new Error("the Home tab is published, never updated");
    },
    publishHome: async (userId, view) => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      if (this.refuse) throw new PostError("Slack said ratelimited", "ratelimited", true);
      this.published.push({ userId, view });
    },
  };
  textFor(userId: string): string {
    return JSON.stringify(this.published.filter((home) => home.userId === userId).at(-1)?.view.blocks);
  }
}

let database: TestDatabase;
let caseId: number;

beforeAll(async () => {
  database = await createTestDatabase();
  const seed = new Seeder(database.db);
  await seed.body("Socialnämnden", "board", "C0SOCIAL");
  await seed.roles([
    { user: OFFICER, role: "handlaggare", body: "Socialnämnden" },
    { user: OTHER, role: "handlaggare", body: "Socialnämnden" },
  ]);
  caseId = await seed.case({
    dnr: "108-1700/2017",
    kind: "motion",
    title: "Motion om en kompetensutvecklingspeng för socialsekreterare",
    publicTitle: "Motion om en kompetensutvecklingspeng för socialsekreterare",
    raisedOn: "2016-03-01",
    status: "in_progress",
    responsibleBody: "Socialnämnden",
    referrals: [{ body: "Socialnämnden", sentOn: "2017-03-01", dueOn: "2017-04-03", state: "open" }],
  });
});
afterAll(() => database.destroy());

function job(slack: RecordingSlack, at: string, instanceId = "replica-a") {
  const ctx = createContext({ db: database.db, clock: fixedClock(at), actor: systemActor("home-tabs") });
  return () => refreshHomeTabs(ctx, { poster: slack.poster, instanceId });
}

function opening(slack: RecordingSlack, at: string): PostingContext {
  return {
    ...createContext({ db: database.db, clock: fixedClock(at), actor: systemActor("test") }),
    posting: { poster: slack.poster, instanceId: "replica-a", admit, render: slackRenderers },
  };
}

describe("the scheduled Home refresh", () => {
  it("publishes only the tabs of those who opened theirs, and only when what they show has changed", async () => {
    const slack = new RecordingSlack();
    await showHome(opening(slack, "2017-04-03T08:00:00Z"), { userId: OFFICER });
    expect(slack.published.map((home) => home.userId)).toEqual([OFFICER]);
    expect(slack.textFor(OFFICER)).toContain("Svar senast 3 april 2017");

    // Same day, nothing changed: nothing is published; OTHER never opened the tab.
    expect(await job(slack, "2017-04-03T12:00:00Z")()).toEqual({ published: 0 });

    // Midnight passes: the remiss is now overdue, so the tab changes.
    expect(await job(slack, "2017-04-04T06:00:00Z")()).toEqual({ published: 1 });
    expect(slack.textFor(OFFICER)).toContain("*Försenad*, skulle besvarats 3 april 2017");

    // An import renames the case.
    await database.db
      .update(cases)
      .set({ title: "Motion om kompetensutveckling", publicTitle: "Motion om kompetensutveckling" })
      .where(eq(cases.id, caseId));
    expect(await job(slack, "2017-04-04T06:05:00Z")()).toEqual({ published: 1 });
    expect(slack.textFor(OFFICER)).toContain("Motion om kompetensutveckling");
    expect(slack.published.map((home) => home.userId)).toEqual([OFFICER, OFFICER, OFFICER]);
  });

  it("publishes a changed tab once when two replicas refresh together", async () => {
    const slack = new RecordingSlack();
    await database.db
      .update(cases)
      .set({ title: "Motion om kompetenspeng", publicTitle: "Motion om kompetenspeng" })
      .where(eq(cases.id, caseId));
    const results = await Promise.all([
      job(slack, "2017-04-04T06:10:00Z", "replica-a")(),
      job(slack, "2017-04-04T06:10:00Z", "replica-b")(),
    ]);
    expect(results.map((result) => result.published).sort()).toEqual([0, 1]);
    expect(slack.published).toHaveLength(1);
  });

  it("publishes again on the next run a tab that Slack refused", async () => {
    const slack = new RecordingSlack();
    await database.db
      .update(cases)
      .set({ title: "Motion om lärande", publicTitle: "Motion om lärande" })
      .where(eq(cases.id, caseId));
    slack.refuse = true;
    expect(await refreshHomes(opening(slack, "2017-04-04T06:15:00Z"))).toEqual({ published: 0 });
    const [row] = await database.db.select().from(homeTabs).where(eq(homeTabs.slackUserId, OFFICER));
    expect(row?.publishedHash).toBeNull();
    slack.refuse = false;
    expect(await job(slack, "2017-04-04T06:20:00Z")()).toEqual({ published: 1 });
    expect(slack.textFor(OFFICER)).toContain("Motion om lärande");
  });
});
