import { asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixedClock } from "../../src/clock.js";
import { auditEvents, deadlines, digestSubscriptions, memberships } from "../../src/db/schema.js";
import { say } from "../../src/messages/sv.js";
import { getDigestSettings } from "../../src/modules/digests/get-digest-settings.js";
import {
  DEFAULT_DIGEST_SETTINGS,
  type DigestSettingsInput,
} from "../../src/modules/digests/parse-digest-command.js";
import { previewDigest } from "../../src/modules/digests/preview-digest.js";
import { subscribeChannel } from "../../src/modules/digests/subscribe-channel.js";
import { unsubscribeChannel } from "../../src/modules/digests/unsubscribe-channel.js";
import { createContext, slackActor } from "../../src/modules/shared/context.js";
import { Seeder } from "../support/seed-rows.js";
import { createTestDatabase, type TestDatabase } from "../support/test-database.js";
import { refusal, worded } from "../support/worded.js";

const ADMIN = { userId: "U0ADMIN01", name: "registrator" };
const OTHER_ADMIN = { userId: "U0ADMIN02", name: "admin" };
const MEMBER = { userId: "U0MEMBER1", name: "medlem" };
const admins = [ADMIN.userId, OTHER_ADMIN.userId];
const clock = fixedClock("2017-04-03T08:00:00Z");

let database: TestDatabase;
let seed: Seeder;
let socialnamnden: number;
let bromma: number;

beforeAll(async () => {
  database = await createTestDatabase();
  seed = new Seeder(database.db);
  socialnamnden = await seed.body("Socialnämnden");
  bromma = await seed.body("Bromma stadsdelsnämnd", "district_board");
  await seed.body("Kommunstyrelsen");
});
afterAll(() => database.destroy());

const settings = (overrides: Partial<DigestSettingsInput> = {}): DigestSettingsInput => ({
  ...DEFAULT_DIGEST_SETTINGS,
  ...overrides,
});

const subscribe = (channelId: string, by: typeof ADMIN, input: DigestSettingsInput) =>
  subscribeChannel(createContext({ db: database.db, clock, admins, actor: slackActor(by) }), {
    channelId,
    settings: input,
  });
const unsubscribe = (channelId: string, by: typeof ADMIN) =>
  unsubscribeChannel(createContext({ db: database.db, clock, admins, actor: slackActor(by) }), { channelId });

async function rowOf(channelId: string) {
  const [row] = await database.db
    .select()
    .from(digestSubscriptions)
    .where(eq(digestSubscriptions.channelId, channelId));
  return row;
}

async function auditOf(subscriptionId: number | undefined) {
  return database.db
    .select()
    .from(auditEvents)
    .where(eq(auditEvents.entityId, String(subscriptionId)))
    .orderBy(asc(auditEvents.id))
    .then((rows) => rows.filter((row) => row.entityType === "digest_subscription"));
}

async function countRows() {
  const subscriptions = await database.db.select().from(digestSubscriptions);
  const audit = await database.db.select().from(auditEvents);
  return { subscriptions: subscriptions.length, audit: audit.length };
}

describe("subscribing a channel", () => {
  it("stores the settings with body ids and records who did it", async () => {
    const result = await subscribe(
      "C0SUB1",
      ADMIN,
      settings({
        weekday: 2,
        time: "09:30",
        caseKinds: ["motion", "skrivelse"],
        bodies: ["socialnamnden", "Bromma stadsdelsnämnd"],
        postWhenEmpty: false,
      }),
    );
    expect(result).toMatchObject({
      ok: true,
      outcome: "subscribed",
      settings: {
        channelId: "C0SUB1",
        weekday: 2,
        time: "09:30",
        caseKinds: ["motion", "skrivelse"],
        bodies: [
          { id: socialnamnden, name: "Socialnämnden" },
          { id: bromma, name: "Bromma stadsdelsnämnd" },
        ],
        postWhenEmpty: false,
      },
    });
    const row = await rowOf("C0SUB1");
    expect(row).toMatchObject({
      weekday: 2,
      time: "09:30",
      caseKinds: ["motion", "skrivelse"],
      bodyIds: [socialnamnden, bromma],
      postWhenEmpty: false,
      active: true,
      createdBySlackUserId: ADMIN.userId,
    });
    const audit = await auditOf(row?.id);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      action: "digest_subscription.created",
      actorType: "slack_user",
      actorId: ADMIN.userId,
      actorName: ADMIN.name,
      occurredAt: clock.now(),
      changes: {
        channel_id: "C0SUB1",
        weekday: 2,
        time: "09:30",
        case_kinds: ["motion", "skrivelse"],
        body_ids: [socialnamnden, bromma],
        post_when_empty: false,
      },
    });
  });

  it("subscribing again replaces the settings and audits only what changed", async () => {
    const result = await subscribe(
      "C0SUB1",
      OTHER_ADMIN,
      settings({ weekday: 2, time: "10:00", caseKinds: ["skrivelse", "motion"] }),
    );
    expect(result).toMatchObject({ ok: true, outcome: "changed", settings: { time: "10:00", bodies: null } });
    const row = await rowOf("C0SUB1");
    expect(row).toMatchObject({
      time: "10:00",
      bodyIds: null,
      postWhenEmpty: true,
      createdBySlackUserId: ADMIN.userId,
    });
    const audit = await auditOf(row?.id);
    expect(audit).toHaveLength(2);
    expect(audit[1]).toMatchObject({
      action: "digest_subscription.updated",
      actorId: OTHER_ADMIN.userId,
      // The kinds are the same set in another order: not a change.
      changes: {
        time: { from: "09:30", to: "10:00" },
        body_ids: { from: [socialnamnden, bromma], to: null },
        post_when_empty: { from: false, to: true },
      },
    });
    expect(Object.keys(audit[1]?.changes ?? {}).sort()).toEqual(["body_ids", "post_when_empty", "time"]);
  });

  it("the same settings again change nothing and write no audit event", async () => {
    const before = await countRows();
    const result = await subscribe(
      "C0SUB1",
      ADMIN,
      settings({ weekday: 2, time: "10:00", caseKinds: ["motion", "skrivelse"] }),
    );
    expect(result).toMatchObject({ ok: true, outcome: "unchanged", changes: {} });
    expect(await countRows()).toEqual(before);
  });

  it("refuses someone not allowed to configure, and writes nothing", async () => {
    const before = await countRows();
    const refused = await subscribe("C0SUB2", MEMBER, settings());
    expect(worded(refused)).toEqual({
      ok: false,
      error: {
        code: "digests.not_allowed",
        message: refusal("configure_digests"),
      },
    });
    const changing = await subscribe("C0SUB1", MEMBER, settings({ weekday: 5 }));
    expect(changing).toMatchObject({ ok: false, error: { code: "digests.not_allowed" } });
    expect(await countRows()).toEqual(before);
    expect(await rowOf("C0SUB2")).toBeUndefined();
    expect((await rowOf("C0SUB1"))?.weekday).toBe(2);
  });

  it("an unknown body is refused with the closest names, and nothing is written", async () => {
    const before = await countRows();
    const result = await subscribe("C0SUB3", ADMIN, settings({ bodies: ["socialnämnden", "bromma"] }));
    expect(result).toMatchObject({ ok: false, error: { code: "digests.unknown_body" } });
    const message = result.ok ? "" : say(result.error);
    expect(message).toContain("Jag hittar inget organ som heter «bromma».");
    expect(message).toContain("Bromma stadsdelsnämnd");
    expect(message).toContain("`organ:bromma-stadsdelsnämnd`");
    expect(await countRows()).toEqual(before);
  });

  it("two first subscriptions at once leave one row: one creates it, the other changes it", async () => {
    const [a, b] = await Promise.all([
      subscribe("C0RACE", ADMIN, settings({ weekday: 3 })),
      subscribe("C0RACE", OTHER_ADMIN, settings({ weekday: 4 })),
    ]);
    const outcomes = [a, b].map((result) => (result.ok ? result.outcome : result.error.code)).sort();
    expect(outcomes).toEqual(["changed", "subscribed"]);
    const rows = await database.db
      .select()
      .from(digestSubscriptions)
      .where(eq(digestSubscriptions.channelId, "C0RACE"));
    expect(rows).toHaveLength(1);
    const audit = await auditOf(rows[0]?.id);
    expect(audit.map((row) => row.action)).toEqual([
      "digest_subscription.created",
      "digest_subscription.updated",
    ]);
    expect(audit[1]?.changes).toHaveProperty("weekday");
  });
});

describe("reading a channel's settings", () => {
  it("names the bodies and returns null for a channel without a subscription", async () => {
    await subscribe("C0READ", ADMIN, settings({ bodies: ["Bromma stadsdelsnämnd"] }));
    expect(await getDigestSettings({ db: database.db, channelId: "C0READ" })).toMatchObject({
      weekday: 1,
      time: "08:00",
      caseKinds: null,
      bodies: [{ id: bromma, name: "Bromma stadsdelsnämnd" }],
      postWhenEmpty: true,
    });
    expect(await getDigestSettings({ db: database.db, channelId: "C0NONE" })).toBeNull();
  });
});

describe("ending a subscription", () => {
  it("deactivates it, keeps the row and audits who ended it", async () => {
    await subscribe("C0END", ADMIN, settings({ caseKinds: ["motion"] }));
    const result = await unsubscribe("C0END", OTHER_ADMIN);
    expect(result).toMatchObject({ ok: true, ended: { channelId: "C0END", caseKinds: ["motion"] } });
    const row = await rowOf("C0END");
    expect(row?.active).toBe(false);
    const audit = await auditOf(row?.id);
    expect(audit.at(-1)).toMatchObject({
      action: "digest_subscription.ended",
      actorType: "slack_user",
      actorId: OTHER_ADMIN.userId,
      changes: { active: { from: true, to: false }, channel_id: "C0END", case_kinds: ["motion"] },
    });
    expect(await getDigestSettings({ db: database.db, channelId: "C0END" })).toBeNull();
  });

  it("ending what is not subscribed is `digests.not_subscribed`, with what to type instead", async () => {
    const before = await countRows();
    for (const channel of ["C0END", "C0NEVER"]) {
      const result = await unsubscribe(channel, ADMIN);
      expect(result).toMatchObject({ ok: false, error: { code: "digests.not_subscribed" } });
      expect(result.ok ? "" : say(result.error)).toContain("/arende digest prenumerera");
    }
    expect(await countRows()).toEqual(before);
  });

  it("refuses someone not allowed, and the subscription stays", async () => {
    await subscribe("C0KEEP", ADMIN, settings());
    const before = await countRows();
    expect(await unsubscribe("C0KEEP", MEMBER)).toMatchObject({
      ok: false,
      error: { code: "digests.not_allowed" },
    });
    expect((await rowOf("C0KEEP"))?.active).toBe(true);
    expect(await countRows()).toEqual(before);
  });

  it("two `avsluta` at once: one ends it, the other gets digests.not_subscribed", async () => {
    await subscribe("C0TWICE", ADMIN, settings());
    const results = await Promise.all([unsubscribe("C0TWICE", ADMIN), unsubscribe("C0TWICE", OTHER_ADMIN)]);
    expect(results.filter((result) => result.ok)).toHaveLength(1);
    expect(results.filter((result) => !result.ok)).toMatchObject([
      { ok: false, error: { code: "digests.not_subscribed" } },
    ]);
    const audit = await auditOf((await rowOf("C0TWICE"))?.id);
    expect(audit.filter((row) => row.action === "digest_subscription.ended")).toHaveLength(1);
  });

  it("subscribing again reactivates the row for whoever started it", async () => {
    const result = await subscribe("C0END", OTHER_ADMIN, settings({ caseKinds: ["motion"] }));
    expect(result).toMatchObject({ ok: true, outcome: "subscribed" });
    const row = await rowOf("C0END");
    expect(row).toMatchObject({ active: true, createdBySlackUserId: OTHER_ADMIN.userId });
    expect((await auditOf(row?.id)).at(-1)).toMatchObject({
      action: "digest_subscription.updated",
      actorId: OTHER_ADMIN.userId,
      changes: { active: { from: false, to: true } },
    });
  });
});

describe("previewing the digest", () => {
  beforeAll(async () => {
    const motion = await seed.case({
      dnr: "KS 2016/114",
      kind: "motion",
      title: "Motion om kompetensutvecklingspeng",
      publicTitle: "Motion om kompetensutvecklingspeng",
      raisedOn: "2016-03-01",
      responsibleBody: "Socialnämnden",
    });
    const letter = await seed.case({
      dnr: "108-1642/2017",
      kind: "skrivelse",
      title: "Bristerna inom socialtjänsten",
      publicTitle: "Bristerna inom socialtjänsten",
      raisedOn: "2016-10-26",
      responsibleBody: "Kommunstyrelsen",
    });
    await database.db.insert(deadlines).values([
      { caseId: motion, kind: "statutory", dueOn: "2017-03-01", basis: "Kommunallagen 5 kap. 35 §" },
      { caseId: letter, kind: "policy", dueOn: "2017-01-26", basis: "Lokal policy" },
    ]);
  });

  it("uses the channel's filter as of today", async () => {
    await subscribe("C0PREVIEW", ADMIN, settings({ caseKinds: ["motion"] }));
    const preview = await previewDigest({ db: database.db, channelId: "C0PREVIEW", today: "2017-04-03" });
    expect(preview.settings).toMatchObject({ caseKinds: ["motion"] });
    expect(preview.digest.total).toBe(1);
    expect(preview.digest.groups.flatMap((group) => group.items.map((item) => item.label))).toEqual([
      "Dnr KS 2016/114",
    ]);
  });

  it("covers every case for a channel without a subscription, and writes nothing", async () => {
    const before = await countRows();
    const preview = await previewDigest({ db: database.db, channelId: "C0NOSUB", today: "2017-04-03" });
    expect(preview.settings).toBeNull();
    expect(preview.digest.total).toBe(2);
    expect(await countRows()).toEqual(before);
  });
});

describe("who may configure digests, by role", () => {
  const REGISTRATOR = { userId: "U0REGIST1", name: "registrator" };
  const HANDLAGGARE = { userId: "U0HANDL01", name: "handläggare" };

  beforeAll(async () => {
    const grantedAt = clock.now();
    await database.db.insert(memberships).values([
      {
        slackUserId: REGISTRATOR.userId,
        bodyId: bromma,
        role: "registrator",
        grantedBy: ADMIN.userId,
        grantedAt,
      },
      {
        slackUserId: HANDLAGGARE.userId,
        bodyId: socialnamnden,
        role: "handlaggare",
        grantedBy: ADMIN.userId,
        grantedAt,
      },
      {
        slackUserId: HANDLAGGARE.userId,
        bodyId: socialnamnden,
        role: "godkannare",
        grantedBy: ADMIN.userId,
        grantedAt,
      },
    ]);
  });

  it("a registrator of any body may subscribe and end, not being in ARENDE_ADMINS", async () => {
    const result = await subscribe("C0ROLE1", REGISTRATOR, settings({ bodies: ["socialnamnden"] }));
    expect(result).toMatchObject({ ok: true, outcome: "subscribed" });
    expect(await rowOf("C0ROLE1")).toMatchObject({ createdBySlackUserId: REGISTRATOR.userId, active: true });
    expect(await unsubscribe("C0ROLE1", REGISTRATOR)).toMatchObject({ ok: true });
  });

  it("a handläggare (or godkännare) may not, and nothing is written", async () => {
    const before = await countRows();
    expect(worded(await subscribe("C0ROLE2", HANDLAGGARE, settings()))).toEqual({
      ok: false,
      error: { code: "digests.not_allowed", message: refusal("configure_digests") },
    });
    await subscribe("C0ROLE3", ADMIN, settings());
    const afterAdmin = await countRows();
    expect(await unsubscribe("C0ROLE3", HANDLAGGARE)).toMatchObject({
      ok: false,
      error: { code: "digests.not_allowed" },
    });
    expect(await rowOf("C0ROLE2")).toBeUndefined();
    expect((await rowOf("C0ROLE3"))?.active).toBe(true);
    expect(await countRows()).toEqual(afterAdmin);
    expect(afterAdmin.subscriptions).toBe(before.subscriptions + 1);
  });
});
