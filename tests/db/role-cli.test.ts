import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runRoleCommand } from "../../src/cli/role-command.js";
import { fixedClock } from "../../src/clock.js";
import { auditEvents, memberships } from "../../src/db/schema.js";
import { createContext } from "../../src/modules/shared/context.js";
import { Seeder } from "../support/seed-rows.js";
import { createTestDatabase, type TestDatabase } from "../support/test-database.js";

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
  await new Seeder(database.db).body("Socialnämnden");
});
afterAll(() => database.destroy());

function capture() {
  let text = "";
  const stream = new Writable({
    write(chunk, _encoding, done) {
      text += String(chunk);
      done();
    },
  });
  return { stream, text: () => text };
}

async function roll(verb: "ge" | "ta" | "lista", ...words: string[]) {
  const out = capture();
  const err = capture();
  const code = await runRoleCommand({
    ctx: createContext({
      db: database.db,
      clock: fixedClock("2017-04-03T08:00:00Z"),
      actor: { type: "cli", user: "drift" },
    }),
    verb,
    words,
    out: out.stream,
    err: err.stream,
  });
  return { code, out: out.text(), err: err.text() };
}

describe("arendebot roll", () => {
  it("grants without a role check (operators are trusted), audited as cli", async () => {
    expect(await roll("ge", "U0ANNA001", "godkännare", "Socialnämnden")).toEqual({
      code: 0,
      out: "Klart: U0ANNA001 är nu godkännare för Socialnämnden.\n",
      err: "",
    });
    const [event] = await database.db.select().from(auditEvents);
    expect(event).toMatchObject({ action: "role.granted", actorType: "cli", actorId: "drift" });
  });

  it("lists, then revokes", async () => {
    const listed = await roll("lista");
    expect(listed.code).toBe(0);
    expect(listed.out).toMatch(
      /^U0ANNA001\tgodkännare\tSocialnämnden\tcli:drift 2017-04-03T08:00:00.000Z\n$/,
    );
    expect((await roll("ta", "<@U0ANNA001|anna>", "godkannare", "socialnamnden")).out).toBe(
      "Klart: U0ANNA001 är inte längre godkännare för Socialnämnden.\n",
    );
    expect(await database.db.select().from(memberships)).toEqual([]);
  });

  it("bad input exits 2 with a Swedish message", async () => {
    expect(await roll("ge", "anna", "admin")).toMatchObject({ code: 2, out: "" });
    expect((await roll("ge", "U0ANNA001", "chef", "socialnamnden")).err).toContain("Ange rollen");
    expect((await roll("ge", "U0ANNA001", "handläggare")).err).toContain(
      "Rollen handläggare gäller ett organ.",
    );
  });
});
