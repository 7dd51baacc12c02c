import { sql } from "drizzle-orm";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { fixedClock } from "../../src/clock.js";
import { recordAudit } from "../../src/modules/audit/audit.repository.js";
import { audienceFor, INTEGRATION } from "../../src/modules/cases/audience.js";
import { changesPageJson, readChanges } from "../../src/modules/integration/change-feed.js";
import { Seeder } from "../support/seed-rows.js";
import { createTestDatabase, type TestDatabase } from "../support/test-database.js";

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.destroy());

const clock = fixedClock("2017-04-03T08:00:00Z");
const actor = { type: "system", job: "test" } as const;

/** The ids of a page's changes, as a reader of the API parses them. */
function idsOf(page: Awaited<ReturnType<typeof readChanges>>): number[] {
  const parsed = JSON.parse(changesPageJson(page).toString()) as { changes: { id: number }[] };
  return parsed.changes.map((change) => change.id);
}

/** Reads the feed from `after` until a page comes back empty; the ids, in order, and the cursor. */
async function drain(
  after: string | undefined,
  limit = 7,
): Promise<{ ids: number[]; next: string | undefined }> {
  const ids: number[] = [];
  let cursor = after;
  for (;;) {
    const page = await readChanges({ db: database.db }, { ...(cursor ? { after: cursor } : {}), limit });
    ids.push(...idsOf(page));
    cursor = page.next;
    if (page.count === 0) return { ids, next: cursor };
  }
}

async function writeEvents(count: number, pause: () => Promise<void> = async () => {}): Promise<number[]> {
  return database.db.transaction(async (tx) => {
    await recordAudit(tx, {
      actor,
      at: clock.now(),
      entries: Array.from({ length: count }, (_, index) => ({
        action: "case.updated",
        entityType: "case",
        entityId: 900_000 + index,
        changes: { title: { from: "a", to: "b" } },
      })),
    });
    await pause();
    // The ids this transaction wrote: its own rows, by its transaction id.
    const rows = await tx.execute<{ id: number }>(
      sql`select id from audit_events where txid = (pg_current_xact_id()::text)::bigint order by id`,
    );
    const list = Array.isArray(rows) ? rows : (rows as unknown as { rows: { id: number }[] }).rows;
    return list.map((row) => Number(row.id));
  });
}

describe("the change feed", () => {
  it("hands out every committed change once, in order, page after page, and resumes from a cursor", async () => {
    const start = await drain(undefined);
    const written = [...(await writeEvents(3)), ...(await writeEvents(5)), ...(await writeEvents(1))];
    const { ids, next } = await drain(start.next, 2);
    expect(ids).toEqual(written);
    const later = await writeEvents(2);
    expect((await drain(next)).ids).toEqual(later);
  });

  it("leaves out what is not the registry's data: roles, subscriptions, posts, tokens and their calls", async () => {
    const { next } = await drain(undefined);
    await database.db.transaction((tx) =>
      recordAudit(tx, {
        actor,
        at: clock.now(),
        entries: ["membership", "digest_subscription", "slack_post", "api_token"].map((entityType) => ({
          action: `${entityType}.changed`,
          entityType,
          entityId: 1,
          changes: {},
        })),
      }),
    );
    expect((await drain(next)).ids).toEqual([]);
  });
});

// PGlite has one session: its transactions cannot overlap, so only PostgreSQL can show a late commit.
describe.runIf(inject("testDatabase").kind === "postgres")(
  "the change feed with concurrent writers (PostgreSQL)",
  () => {
    let sessions: postgres.Sql[] = [];
    afterAll(async () => {
      await Promise.all(sessions.map((session) => session.end()));
    });
    const session = () => {
      const opened = postgres(database.url ?? "", { max: 1, onnotice: () => {} });
      sessions.push(opened);
      return opened;
    };
    const insert = (client: postgres.Sql | postgres.TransactionSql) =>
      client<{ id: number }[]>`
      insert into audit_events (occurred_at, actor_type, actor_id, action, entity_type, entity_id, changes)
      values (now(), 'system', 'test', 'case.updated', 'case', '1', '{}') returning id`;

    it("never passes a change whose transaction commits after a later id has committed", async () => {
      const { next: start } = await drain(undefined);
      const early = session();
      const late = session();
      await early`begin`;
      const [first] = await insert(early);
      // A second transaction takes a higher id and commits first: the naive `id > cursor` reader
      // would hand it out now, move its cursor past `first`, and never see `first`.
      const second = await late.begin(async (tx) => (await insert(tx))[0]);
      expect(second?.id).toBeGreaterThan(first?.id ?? Number.POSITIVE_INFINITY);

      const whileOpen = await drain(start);
      expect(whileOpen.ids).not.toContain(second?.id);
      expect(whileOpen.ids).not.toContain(first?.id);

      await early`commit`;
      const after = await drain(whileOpen.next);
      expect(after.ids).toEqual([first?.id, second?.id]);
      sessions = sessions.filter((open) => open !== early && open !== late);
      await Promise.all([early.end(), late.end()]);
    });

    it("is not held back by a transaction running in another database on the same server", async () => {
      const setup = inject("testDatabase");
      if (setup.kind !== "postgres") throw new Error("PostgreSQL only");
      const { next: start } = await drain(undefined);
      const elsewhere = postgres(setup.adminUrl, { max: 1, onnotice: () => {} });
      sessions.push(elsewhere);
      await elsewhere`begin`;
      await elsewhere`select pg_current_xact_id()`;
      const written = await writeEvents(2);
      // Other test files' transactions on the server end at any moment; one that ended between a
      // read's snapshot and its look at pg_stat_activity holds that read back, as it should. The
      // reader polls, as a real one does: the open transaction elsewhere would hold it back for good.
      const seen: number[] = [];
      let cursor = start;
      const deadline = Date.now() + 5_000;
      while (seen.length < written.length && Date.now() < deadline) {
        const drained = await drain(cursor);
        seen.push(...drained.ids);
        cursor = drained.next;
        if (seen.length < written.length) await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(seen).toEqual(written);
      await elsewhere`rollback`;
    });

    it("a reader polling while writers commit out of order sees every change exactly once", async () => {
      const { next: start } = await drain(undefined);
      const writers = Array.from({ length: 4 }, () => session());
      const written: number[] = [];
      let writing = true;
      const pause = () => new Promise((resolve) => setTimeout(resolve, Math.random() * 8));
      const done = Promise.all(
        writers.map(async (writer) => {
          for (let round = 0; round < 25; round += 1) {
            const ids = await writer.begin(async (tx) => {
              const rows = [];
              for (let count = 1 + Math.floor(Math.random() * 3); count > 0; count -= 1) {
                rows.push(...(await insert(tx)));
                await pause();
              }
              return rows.map((row) => Number(row.id));
            });
            written.push(...ids);
          }
        }),
      ).finally(() => {
        writing = false;
      });

      const seen: number[] = [];
      let cursor = start;
      while (writing) {
        const page = await readChanges({ db: database.db }, { after: cursor, limit: 5 });
        seen.push(...idsOf(page));
        cursor = page.next;
      }
      await done;
      // A transaction that ended just after a read's snapshot holds that read's horizon back, so the
      // reader keeps polling, as a real one does, until it has every change (or gives up after 15 s).
      const deadline = Date.now() + 15_000;
      for (;;) {
        const drained = await drain(cursor);
        seen.push(...drained.ids);
        cursor = drained.next;
        if (seen.length >= written.length || Date.now() > deadline) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }

      expect(written.length).toBeGreaterThan(100);
      expect(seen.length).toBe(new Set(seen).size);
      expect([...seen].sort((a, b) => a - b)).toEqual([...written].sort((a, b) => a - b));
    });
  },
);

describe("what the change feed shows of each change", () => {
  it("decides each change's audience as audienceFor(INTEGRATION) does, and cuts a public one to public fields and dates", async () => {
    const { next } = await drain(undefined);
    const seed = new Seeder(database.db);
    const open = await seed.case({
      dnr: "108-4001/2017",
      kind: "skrivelse",
      title: "Öppet",
      publicTitle: "Öppet",
    });
    const secret = await seed.case({
      dnr: "108-4002/2017",
      kind: "other",
      title: "Hemligt",
      publicTitle: "Sekretess",
      restricted: true,
    });
    const changes = {
      title: { from: "a", to: "Hemligt" },
      public_title: { to: "Sekretess" },
      raised_on: { to: "2017-04-03" },
    };
    await database.db.transaction((tx) =>
      recordAudit(tx, {
        actor: { type: "slack_user", userId: "UREG", name: 'Registratorn "Kim"\n\\' },
        at: clock.now(),
        entries: [
          { action: "case.updated", entityType: "case", entityId: open, changes },
          { action: "case.updated", entityType: "case", entityId: secret, changes },
          { action: "case.updated", entityType: "case", entityId: 999_999, changes },
          { action: "registry.created", entityType: "registry", entityId: 1, changes },
        ],
      }),
    );
    const page = await readChanges({ db: database.db }, { after: next, limit: 10 });
    const read = (JSON.parse(changesPageJson(page).toString()) as { changes: ChangeRead[] }).changes;
    const subjects = [{ restricted: false }, { restricted: true }, null, undefined];
    expect(read).toHaveLength(4);
    read.forEach((change, index) => {
      const subject = subjects[index];
      // A case that is gone is shown as a restricted one; registry events are the registry's own.
      const expected =
        subject === undefined ? "full" : audienceFor(INTEGRATION, subject ?? { restricted: true });
      expect(change.audience).toBe(expected);
      if (expected === "full") {
        expect(change.actor).toEqual({ type: "slack_user", id: "UREG", name: 'Registratorn "Kim"\n\\' });
        expect(change.changes).toEqual(changes);
      } else {
        expect(change.actor).toEqual({ type: "slack_user" });
        expect(change.changes).toEqual({
          public_title: { to: "Sekretess" },
          raised_on: { to: "2017-04-03" },
        });
      }
    });
    expect(read[0]?.at).toBe(clock.now().toISOString());
    expect(read[1]?.case).toEqual({
      id: secret,
      registry: expect.any(String),
      dnr: "108-4002/2017",
      restricted: true,
    });
  });
});

describe("an event recorded before the feed kept its own JSON (feed_json)", () => {
  it("reads exactly as one recorded with it", async () => {
    const { next } = await drain(undefined);
    const seed = new Seeder(database.db);
    await seed.registry("forr", "Förr");
    const open = await seed.case({
      registry: "forr",
      dnr: "108-4003/2017",
      kind: "motion",
      title: "Förr",
      publicTitle: "Förr",
    });
    const changes = { title: { from: 'Förr å ä ö \u2028 "citat"', to: "Nu" }, closed_on: { to: null } };
    const actorOf = { type: "slack_user", userId: "UOLD", name: "Kim" } as const;
    await database.db.transaction((tx) =>
      recordAudit(tx, {
        actor: actorOf,
        at: clock.now(),
        entries: [{ action: "case.updated", entityType: "case", entityId: open, changes }],
      }),
    );
    // As migration 0018 found the events already there: every column but feed_json.
    await database.db.execute(sql`
      insert into audit_events (occurred_at, actor_type, actor_id, actor_name, action, entity_type, entity_id, changes)
      values (${clock.now().toISOString()}::timestamptz, 'slack_user', 'UOLD', 'Kim', 'case.updated', 'case',
              ${String(open)}, ${JSON.stringify(changes)}::jsonb)`);
    const page = await readChanges({ db: database.db }, { after: next, limit: 10 });
    const read = (
      JSON.parse(changesPageJson(page).toString()) as {
        changes: (ChangeRead & { cursor: string; id: number })[];
      }
    ).changes;
    expect(read).toHaveLength(2);
    const [recorded, older] = read.map(({ cursor: _cursor, id: _id, ...rest }) => rest);
    expect(recorded).toEqual(older);
    expect(recorded?.changes).toEqual(changes);
    expect(recorded?.audience).toBe("full");
  });
});

type ChangeRead = {
  audience: string;
  at: string;
  actor: Record<string, unknown>;
  changes: Record<string, unknown>;
  case: Record<string, unknown> | null;
};
