import { readFile } from "node:fs/promises";
import { and, eq, isNotNull } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixedClock } from "../../src/clock.js";
import { bodies, cases, deadlines, referrals } from "../../src/db/schema.js";
import { buildDigest } from "../../src/modules/digests/build-digest.js";
import { ALL_CASES, type Digest, type DigestFilter } from "../../src/modules/digests/digest.js";
import { countOverdueOnDays, findOverdueDeadlines } from "../../src/modules/digests/digest.repository.js";
import { importRegistry } from "../../src/modules/import/import-registry.js";
import { jsonSource } from "../../src/modules/import/read-import-file.js";
import { Seeder } from "../support/seed-rows.js";
import { createTestDatabase, type TestDatabase } from "../support/test-database.js";

const DEMO = new URL("../../db/seed/demo.json", import.meta.url).pathname;
const TODAY = "2017-04-03";

const labels = (digest: Digest) => digest.groups.flatMap((group) => group.items.map((item) => item.label));
const groupNames = (digest: Digest) => digest.groups.map((group) => group.body?.name ?? null);

describe("the demo registry as of 3 April 2017", () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase();
    const report = await importRegistry(
      {
        db: database.db,
        actor: { type: "import", source: "demo.json" },
        clock: fixedClock("2017-04-03T08:00:00Z"),
      },
      {
        source: jsonSource(await readFile(DEMO, "utf8"), "demo.json"),
      },
    );
    expect(report.rejected).toEqual([]);
  });

  afterAll(async () => {
    await database?.destroy();
  });

  it("is empty: Dnr 108-1642/2017 was answered and the socialnämnd remiss has its answer recorded", async () => {
    const digest = await buildDigest({ db: database.db, today: TODAY, filter: ALL_CASES });
    expect(digest).toEqual({
      today: TODAY,
      total: 0,
      changeSinceLastWeek: 0,
      trend: [0, 0, 0, 0, 0, 0, 0, 0],
      groups: [],
    });
  });

  it("lists the socialnämnd remiss, three days late, once no answer is recorded", async () => {
    const [motion] = await database.db
      .select({ id: cases.id })
      .from(cases)
      .where(eq(cases.title, "Motion om en kompetensutvecklingspeng för socialsekreterare"));
    const [remiss] = await database.db
      .select({ id: referrals.id })
      .from(referrals)
      .innerJoin(bodies, eq(bodies.id, referrals.bodyId))
      .where(and(eq(referrals.caseId, motion?.id ?? 0), eq(bodies.code, "socialnamnden")));
    // Simulate a registry where the answer was never recorded: the remiss and its watch are open.
    await database.db
      .update(referrals)
      .set({ state: "open" })
      .where(eq(referrals.id, remiss?.id ?? 0));
    await database.db
      .update(deadlines)
      .set({ state: "open", metOn: null })
      .where(eq(deadlines.referralId, remiss?.id ?? 0));

    const digest = await buildDigest({ db: database.db, today: TODAY, filter: ALL_CASES });
    const [kommunstyrelsen] = await database.db
      .select({ id: bodies.id })
      .from(bodies)
      .where(eq(bodies.code, "kommunstyrelsen"));
    expect(digest).toEqual({
      today: TODAY,
      total: 1,
      changeSinceLastWeek: 1,
      trend: [0, 0, 0, 0, 0, 0, 0, 1],
      groups: [
        {
          body: { id: kommunstyrelsen?.id, name: "kommunstyrelsen" },
          items: [
            {
              caseId: motion?.id,
              label: "Motion 2016:114",
              publicTitle: "Motion om en kompetensutvecklingspeng för socialsekreterare",
              overdueKind: "referral_due",
              dueOn: "2017-03-31",
              overdueDays: 3,
              missing: ["socialnämnden"],
              officerName: null,
              officerSlackUserId: null,
            },
          ],
        },
      ],
    });
    expect(labels(digest)).not.toContain("Dnr 108-1642/2017");

    // The due date itself is not late; the day after is.
    expect((await buildDigest({ db: database.db, today: "2017-03-31", filter: ALL_CASES })).total).toBe(0);
    const dayAfter = await buildDigest({ db: database.db, today: "2017-04-01", filter: ALL_CASES });
    expect(dayAfter.groups[0]?.items[0]?.overdueDays).toBe(1);
  });
});

describe("a registry with overdue skrivelser, motions and remisser", () => {
  let database: TestDatabase;
  let seed: Seeder;
  const ids: Record<string, number> = {};

  beforeAll(async () => {
    database = await createTestDatabase();
    seed = new Seeder(database.db);
    for (const name of ["kommunstyrelsen", "socialnämnden", "Bromma stadsdelsnämnd", "idrottsnämnden"])
      ids[name] = await seed.body(name);

    const skrivelse = await seed.case({
      dnr: "KS 2017/1",
      kind: "skrivelse",
      title: "Skrivelse om hemtjänsten",
      publicTitle: "Skrivelse om hemtjänsten",
      responsibleBody: "kommunstyrelsen",
      officerName: "Anna Andersson",
      officerSlackUserId: "U0ANNA",
      referrals: [
        { body: "socialnämnden", state: "open" },
        { body: "Bromma stadsdelsnämnd", state: "open" },
        { body: "stadsledningskontoret", state: "answered", answeredOn: "2017-02-01" },
      ],
    });
    await seed.deadline({ caseId: skrivelse, kind: "policy", dueOn: "2017-03-01" }); // 33 days

    const motion = await seed.case({
      dnr: "KS 2016/5",
      kind: "motion",
      title: "Motion om fler fritidsgårdar",
      publicTitle: "Motion om fler fritidsgårdar",
      responsibleBody: "kommunstyrelsen",
      officerName: "Bertil Berg",
      referrals: [{ body: "socialnämnden", state: "open", dueOn: "2017-03-20" }],
    });
    await seed.deadline({ caseId: motion, kind: "statutory", dueOn: "2017-01-10" }); // 83 days
    await seed.deadline({
      caseId: motion,
      referralBody: "socialnämnden",
      kind: "referral_due",
      dueOn: "2017-03-20", // 14 days
    });

    const proposal = await seed.case({
      dnr: "IDN 2015/9",
      kind: "medborgarforslag",
      title: "Medborgarförslag om en konstgräsplan",
      publicTitle: "Medborgarförslag om en konstgräsplan",
      responsibleBody: "idrottsnämnden",
    });
    await seed.deadline({ caseId: proposal, kind: "statutory", dueOn: "2016-12-01" }); // 123 days

    const orphan = await seed.case({
      dnr: "KS 2015/77",
      kind: "skrivelse",
      title: "Skrivelse utan ansvarigt organ",
      publicTitle: "Skrivelse utan ansvarigt organ",
    });
    await seed.deadline({ caseId: orphan, kind: "policy", dueOn: "2016-01-01" }); // 458 days

    const social = await seed.case({
      dnr: "SN 2017/3",
      kind: "skrivelse",
      title: "Skrivelse om försörjningsstöd",
      publicTitle: "Skrivelse om försörjningsstöd",
      responsibleBody: "socialnämnden",
    });
    await seed.deadline({ caseId: social, kind: "policy", dueOn: "2017-04-02" }); // 1 day
    const dueToday = await seed.case({
      dnr: "SN 2017/4",
      kind: "skrivelse",
      title: "Skrivelse som förfaller i dag",
      publicTitle: "Skrivelse som förfaller i dag",
      responsibleBody: "socialnämnden",
    });
    await seed.deadline({ caseId: dueToday, kind: "policy", dueOn: TODAY });

    const numbered = await seed.case({
      kind: "motion",
      title: "Motion om cykelbanor",
      publicTitle: "Motion om cykelbanor",
      responsibleBody: "kommunstyrelsen",
      identifiers: ["Motion 2016:200"],
    });
    await seed.deadline({ caseId: numbered, kind: "statutory", dueOn: "2017-03-01" }); // 33 days, as KS 2017/1

    // Not reported: deadlines that are met, cancelled, custom, or of a rule that does not fit the case.
    const interpellation = await seed.case({
      dnr: "KS 2017/9",
      kind: "interpellation",
      title: "Interpellation",
      publicTitle: "Interpellation",
      responsibleBody: "kommunstyrelsen",
    });
    await seed.deadline({ caseId: interpellation, kind: "policy", dueOn: "2017-01-01" });
    const settled = await seed.case({
      dnr: "KS 2016/8",
      kind: "motion",
      title: "Besvarad motion",
      publicTitle: "Besvarad motion",
      responsibleBody: "kommunstyrelsen",
    });
    await seed.deadline({ caseId: settled, kind: "statutory", dueOn: "2017-01-01", state: "met" });
    await seed.deadline({ caseId: settled, kind: "custom", dueOn: "2017-01-01" });
    const withdrawn = await seed.case({
      dnr: "KS 2016/10",
      kind: "skrivelse",
      title: "Återkallad skrivelse",
      publicTitle: "Återkallad skrivelse",
      responsibleBody: "kommunstyrelsen",
    });
    await seed.deadline({ caseId: withdrawn, kind: "policy", dueOn: "2017-01-01", state: "cancelled" });

    const secret = await seed.case({
      dnr: "SN 2017/12",
      kind: "skrivelse",
      title: "Skrivelse om Sven Svenssons ekonomiska bistånd",
      publicTitle: "Sekretess",
      restricted: true,
      responsibleBody: "socialnämnden",
      officerName: "Cecilia Carlsson",
      officerSlackUserId: "U0CECILIA",
      referrals: [{ body: "Bromma stadsdelsnämnd", state: "open", dueOn: "2017-03-30" }],
    });
    await seed.deadline({ caseId: secret, kind: "policy", dueOn: "2017-03-29" }); // 5 days
    await seed.deadline({
      caseId: secret,
      referralBody: "Bromma stadsdelsnämnd",
      kind: "referral_due",
      dueOn: "2017-03-30",
    });
  });

  afterAll(async () => {
    await database?.destroy();
  });

  it("groups by responsible body, most overdue group first, cases without a body last", async () => {
    const digest = await buildDigest({ db: database.db, today: TODAY, filter: ALL_CASES });
    expect(groupNames(digest)).toEqual(["idrottsnämnden", "kommunstyrelsen", "socialnämnden", null]);
    expect(digest.total).toBe(9);
    expect(
      digest.groups.map((group) =>
        group.items.map((item) => `${item.label} ${item.overdueKind} ${item.overdueDays}`),
      ),
    ).toEqual([
      ["Dnr IDN 2015/9 motion_statutory 123"],
      [
        "Dnr KS 2016/5 motion_statutory 83",
        "Dnr KS 2017/1 skrivelse_policy 33",
        "Motion 2016:200 motion_statutory 33",
        "Dnr KS 2016/5 referral_due 14",
      ],
      [
        "Dnr SN 2017/12 skrivelse_policy 5",
        "Dnr SN 2017/12 referral_due 4",
        "Dnr SN 2017/3 skrivelse_policy 1",
      ],
      ["Dnr KS 2015/77 skrivelse_policy 458"],
    ]);
    expect(digest.groups[1]?.body).toEqual({ id: ids.kommunstyrelsen, name: "kommunstyrelsen" });
  });

  it("says whose answers are missing and who handles the case", async () => {
    const digest = await buildDigest({ db: database.db, today: TODAY, filter: ALL_CASES });
    const items = digest.groups.flatMap((group) => group.items);
    const find = (label: string, kind: string) =>
      items.find((item) => item.label === label && item.overdueKind === kind);
    expect(find("Dnr KS 2017/1", "skrivelse_policy")).toMatchObject({
      missing: ["Bromma stadsdelsnämnd", "socialnämnden"],
      officerName: "Anna Andersson",
      officerSlackUserId: "U0ANNA",
      dueOn: "2017-03-01",
    });
    expect(find("Dnr KS 2016/5", "referral_due")).toMatchObject({
      missing: ["socialnämnden"],
      officerName: "Bertil Berg",
      officerSlackUserId: null,
    });
    // The motion's own deadline waits for its open remiss too.
    expect(find("Dnr KS 2016/5", "motion_statutory")?.missing).toEqual(["socialnämnden"]);
    expect(find("Dnr IDN 2015/9", "motion_statutory")?.missing).toEqual([]);
  });

  it("shows a restricted case by its public title only: no referral bodies, no officer", async () => {
    const digest = await buildDigest({ db: database.db, today: TODAY, filter: ALL_CASES });
    const secret = digest.groups
      .flatMap((group) => group.items)
      .filter((item) => item.label === "Dnr SN 2017/12");
    expect(secret).toHaveLength(2);
    for (const item of secret) {
      expect(item).toMatchObject({
        publicTitle: "Sekretess",
        missing: [],
        officerName: null,
        officerSlackUserId: null,
      });
    }
    const text = JSON.stringify(digest);
    expect(text).not.toContain("Sven Svensson");
    expect(text).not.toContain("Cecilia");
    expect(text).not.toContain("U0CECILIA");
  });

  it("filters by case kind and by responsible body; an empty list means all", async () => {
    const build = (filter: DigestFilter) => buildDigest({ db: database.db, today: TODAY, filter });
    const skrivelser = await build({ caseKinds: ["skrivelse"], bodyIds: null });
    // A skrivelse's remiss is in it too: the filter is on the case, not on the kind of deadline.
    expect(labels(skrivelser)).toEqual([
      "Dnr KS 2017/1",
      "Dnr SN 2017/12",
      "Dnr SN 2017/12",
      "Dnr SN 2017/3",
      "Dnr KS 2015/77",
    ]);

    const ks = await build({ caseKinds: null, bodyIds: [ids.kommunstyrelsen ?? 0] });
    expect(groupNames(ks)).toEqual(["kommunstyrelsen"]);
    expect(ks.total).toBe(4);

    const both = await build({
      caseKinds: ["motion", "medborgarforslag"],
      bodyIds: [ids.kommunstyrelsen ?? 0, ids.idrottsnämnden ?? 0],
    });
    expect(labels(both)).toEqual(["Dnr IDN 2015/9", "Dnr KS 2016/5", "Motion 2016:200", "Dnr KS 2016/5"]);

    // "remisser" (stored as external_referral) adds every late remiss answer, whatever the case's kind.
    const remisser = await build({ caseKinds: ["external_referral"], bodyIds: null });
    const all = await build({ caseKinds: null, bodyIds: null });
    const remissItems = (digest: typeof all) =>
      digest.groups.flatMap((group) => group.items).filter((item) => item.overdueKind === "referral_due");
    expect(remissItems(all).length).toBeGreaterThan(0);
    expect(remisser.groups.flatMap((group) => group.items)).toEqual(remissItems(all));

    const everything = await build({ caseKinds: [], bodyIds: [] });
    expect(everything.total).toBe(9);
    expect((await build({ caseKinds: ["interpellation"], bodyIds: null })).total).toBe(0);
  });

  it("counts the trend of the eight weeks over deadlines met on different days", async () => {
    const trendBody = "trendnämnden";
    const bodyId = await seed.body(trendBody);
    const deadline = async (
      name: string,
      dueOn: string,
      state: "open" | "met" | "cancelled",
      metOn: string | null = null,
    ) => {
      const caseId = await seed.case({
        dnr: `TR 2017/${name}`,
        kind: "skrivelse",
        title: name,
        publicTitle: name,
        responsibleBody: trendBody,
      });
      await seed.deadline({ caseId, kind: "policy", dueOn, state, metOn });
    };
    // Weeks: 13/2, 20/2, 27/2, 6/3, 13/3, 20/3, 27/3, 3/4.
    await deadline("1", "2017-01-01", "open"); //                        overdue every week
    await deadline("2", "2017-03-22", "open"); //                        27/3 and 3/4
    await deadline("3", "2017-02-15", "met", "2017-03-01"); //           20/2 and 27/2
    await deadline("4", "2017-01-15", "met", TODAY); //                  every week: met during today
    await deadline("5", "2017-01-01", "met", null); //                   never: met on an unknown day
    await deadline("6", "2017-01-01", "cancelled"); //                    never
    await deadline("7", "2017-03-20", "met", "2017-03-20"); //           never: met on its due date
    await deadline("8", "2017-03-01", "met", "2017-03-13"); //           6/3 and 13/3

    const filter = { caseKinds: null, bodyIds: [bodyId] };
    const digest = await buildDigest({ db: database.db, today: TODAY, filter });
    expect(digest.trend).toEqual([2, 3, 3, 3, 3, 2, 3, 3]);
    expect(digest.changeSinceLastWeek).toBe(0);
    // The list is what is open now; the trend counts as of the start of each day (4 was met today).
    expect(labels(digest)).toEqual(["Dnr TR 2017/1", "Dnr TR 2017/2"]);

    const later = await buildDigest({ db: database.db, today: "2017-04-10", filter });
    expect(later.trend).toEqual([3, 3, 3, 3, 2, 3, 3, 2]);
    expect(later.changeSinceLastWeek).toBe(-1);
  });

  it("counts as overdue today what is open and late now, plus what was met today", async () => {
    const rows = await findOverdueDeadlines(database.db, TODAY, ALL_CASES);
    expect(rows.every((row) => row.dueOn < TODAY)).toBe(true);
    expect(await countOverdueOnDays(database.db, [], ALL_CASES)).toEqual([]);
    const [count] = await countOverdueOnDays(database.db, [TODAY], ALL_CASES);
    const open = await database.db
      .select({ id: deadlines.id })
      .from(deadlines)
      .where(and(eq(deadlines.state, "met"), isNotNull(deadlines.metOn), eq(deadlines.metOn, TODAY)));
    // Open and overdue now, plus those met today: overdue at the start of the day.
    expect(count).toBe(rows.length + open.length);
  });
});
