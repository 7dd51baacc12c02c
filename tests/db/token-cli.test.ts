import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCreateToken, runListTokens, runRevokeToken } from "../../src/cli/token-command.js";
import { fixedClock } from "../../src/clock.js";
import { apiTokens, auditEvents } from "../../src/db/schema.js";
import { authenticateToken } from "../../src/modules/api-tokens/tokens.js";
import { createContext } from "../../src/modules/shared/context.js";
import { createTestDatabase, type TestDatabase } from "../support/test-database.js";

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
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

const ctx = () =>
  createContext({
    db: database.db,
    clock: fixedClock("2017-04-03T08:00:00Z"),
    actor: { type: "cli", user: "drift" },
  });

async function token(
  verb: "skapa" | "lista" | "återkalla",
  options: { name?: string; right?: "read" | "write" } = {},
) {
  const out = capture();
  const err = capture();
  const streams = { out: out.stream, err: err.stream };
  const code =
    verb === "skapa"
      ? await runCreateToken(ctx(), { name: options.name ?? "", right: options.right ?? "read", ...streams })
      : verb === "lista"
        ? await runListTokens(ctx(), streams)
        : await runRevokeToken(ctx(), { name: options.name ?? "", ...streams });
  return { code, out: out.text(), err: err.text() };
}

describe("arendebot token", () => {
  it("skapa prints the token once, alone on standard output, and keeps only its hash", async () => {
    const made = await token("skapa", { name: "e-arkiv", right: "write" });
    expect(made.code).toBe(0);
    const secret = made.out.trim();
    expect(secret).toMatch(/^arendebot_[A-Za-z0-9_-]{43}$/);
    expect(made.err).toContain("«e-arkiv»");
    expect(made.err).toContain("visas inte igen");

    const stored = await database.db.select().from(apiTokens);
    expect(JSON.stringify(stored)).not.toContain(secret);
    expect(JSON.stringify(await database.db.select().from(auditEvents))).not.toContain(secret);
    expect(await authenticateToken({ db: database.db }, { secret })).toMatchObject({
      actor: { type: "api_token", name: "e-arkiv" },
      right: "write",
    });
  });

  it("refuses a name taken by a live token, or one that cannot be a name", async () => {
    const taken = await token("skapa", { name: "e-arkiv", right: "read" });
    expect(taken.code).toBe(2);
    expect(taken.out).toBe("");
    expect(taken.err).toContain("Det finns redan en giltig API-nyckel som heter «e-arkiv»");
    const bad = await token("skapa", { name: "två ord", right: "read" });
    expect(bad.code).toBe(2);
    expect(bad.err).toContain("«två ord» kan inte vara namnet");
  });

  it("återkalla ends a token at once; lista shows it revoked, by whom and when, and never a secret", async () => {
    const secret = (await token("skapa", { name: "webbdiarium", right: "read" })).out.trim();
    const revoked = await token("återkalla", { name: "webbdiarium" });
    expect(revoked).toMatchObject({ code: 0, out: "API-nyckeln «webbdiarium» är återkallad.\n" });
    expect(await authenticateToken({ db: database.db }, { secret })).toBeNull();
    expect((await token("återkalla", { name: "webbdiarium" })).code).toBe(1);

    const listed = await token("lista");
    expect(listed.code).toBe(0);
    expect(listed.out).toContain("e-arkiv\tskriva\tskapad 3 apr. 2017 10:00 av drift\tgiltig\n");
    expect(listed.out).toContain(
      "webbdiarium\tläsa\tskapad 3 apr. 2017 10:00 av drift\tåterkallad 3 apr. 2017 10:00 av drift\n",
    );
    expect(listed.out).not.toContain("arendebot_");

    // The name is free again once its token is revoked.
    expect((await token("skapa", { name: "webbdiarium", right: "read" })).code).toBe(0);
  });
});
