import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixedClock } from "../../src/clock.js";
import type { Database } from "../../src/db/client.js";
import { auditEvents } from "../../src/db/schema.js";
import { createToken, revokeToken } from "../../src/modules/api-tokens/tokens.js";
import { importRegistry } from "../../src/modules/import/import-registry.js";
import { jsonSource } from "../../src/modules/import/read-import-file.js";
import { createContext } from "../../src/modules/shared/context.js";
import { type BotUnderTest, botForThisFile, startBotUnderTest } from "../support/running-bot.js";
import { SECRET_SUMMARY, SECRET_TITLE, seedDemoCases } from "../support/scenarios.js";

const tokens = { write: "", read: "", revoked: "", small: "" };

async function makeToken(db: Database, name: string, right: "read" | "write"): Promise<string> {
  const ctx = createContext({
    db,
    clock: fixedClock("2017-04-03T06:00:00Z"),
    actor: { type: "cli", user: "drift" },
  });
  const made = await createToken(ctx, { name, right });
  if (!made.ok) throw new Error(`token ${name} not made`);
  return made.secret;
}

const RESTRICTED = {
  registry: "stockholm-ks",
  dnr: "108-2001/2017",
  kind: "other",
  title: SECRET_TITLE,
  public_title: "Sekretess",
  restricted: true,
  summary: SECRET_SUMMARY,
  raised_on: "2017-02-01",
  responsible_body: "socialnamnden",
  officer_name: "Kim Handläggare",
};

const { bot, database } = botForThisFile({
  given: async (_seed, db) => {
    await seedDemoCases(db.db);
    // A restricted case, as a sync from the registry would bring it.
    await importRegistry(
      {
        db: db.db,
        clock: fixedClock("2017-04-03T07:30:00Z"),
        actor: { type: "import", source: "sekretess.json" },
      },
      { source: jsonSource(JSON.stringify({ cases: [RESTRICTED] }), "sekretess.json") },
    );
    tokens.write = await makeToken(db.db, "e-arkiv", "write");
    tokens.read = await makeToken(db.db, "webbdiarium", "read");
    tokens.small = await makeToken(db.db, "liten", "write");
    tokens.revoked = await makeToken(db.db, "gammal", "read");
    const ctx = createContext({
      db: db.db,
      clock: fixedClock("2017-04-03T06:30:00Z"),
      actor: { type: "cli", user: "drift" },
    });
    await revokeToken(ctx, { name: "gammal" });
  },
});

type Problems = { field: string; message: string }[];
type FeedChange = {
  id: number;
  action: string;
  actor: { type: string; id?: string; name?: string | null };
  entity: { type: string; id: string };
  case: { dnr: string | null } | null;
  audience: string;
};
/** What the API answered, read loosely: each test asserts the shape it relies on. */
type ApiJson = {
  title: string;
  errors: Problems;
  cases: ({ identifiers: string[]; problems: Problems } & Record<string, unknown>)[];
  changes: FeedChange[];
  next: string;
  openapi: string;
  paths: Record<string, Record<string, { responses: Record<string, { content: Record<string, unknown> }> }>>;
  components: { schemas: Record<string, unknown> };
};

type Call = {
  method?: string;
  token?: string | null;
  body?: string | Uint8Array;
  headers?: Record<string, string>;
};

async function call(path: string, { method = "GET", token = tokens.read, body, headers = {} }: Call = {}) {
  const response = await fetch(`${bot.baseUrl}${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body !== undefined ? { "content-type": "application/json" } : {}),
      ...headers,
    },
    ...(body !== undefined ? { body } : {}),
  });
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json: json as ApiJson };
}

const put = (body: unknown, token = tokens.write) =>
  call("/api/v1/cases", {
    method: "PUT",
    token,
    body: typeof body === "string" ? body : JSON.stringify(body),
  });

function expectProblem(answer: Awaited<ReturnType<typeof call>>, status: number, code: string) {
  expect(answer.status).toBe(status);
  expect(answer.headers.get("content-type")).toMatch(/^application\/problem\+json/);
  expect(answer.json).toMatchObject({ status, code, type: `urn:arendebot:problem:${code}` });
  expect(answer.json.title).toEqual(expect.any(String));
}

async function readAllChanges(token = tokens.read, limit = 1000) {
  const seen: FeedChange[] = [];
  let after: string | undefined;
  for (let pages = 0; pages < 100; pages += 1) {
    const answer = await call(`/api/v1/changes?limit=${limit}${after ? `&after=${after}` : ""}`, { token });
    expect(answer.status).toBe(200);
    seen.push(...answer.json.changes);
    if (answer.json.changes.length === 0) return { changes: seen, next: answer.json.next };
    after = answer.json.next;
  }
  throw new Error("the feed did not end");
}

describe("tokens", () => {
  it("refuses a call without a token, with a token it does not know and with a revoked one: 401", async () => {
    for (const token of [null, "arendebot_nothing-like-it", tokens.revoked, "Basic xyz"]) {
      const answer = await call("/api/v1/cases/108-1642%2F2017", { token });
      expectProblem(answer, 401, "api.unauthorized");
      expect(answer.headers.get("www-authenticate")).toMatch(/^Bearer/);
      expect(answer.text).not.toContain("Bristerna");
    }
  });

  it("refuses a read-only token that writes, 403, and writes nothing", async () => {
    const answer = await put({ cases: [{ ...RESTRICTED, dnr: "108-9999/2017" }] }, tokens.read);
    expectProblem(answer, 403, "api.forbidden");
    expectProblem(await call("/api/v1/cases/108-9999%2F2017"), 404, "api.not_found");
  });

  it("audits every call with the token as the actor, its answer's status too", async () => {
    await call("/api/v1/cases/108-1642%2F2017");
    await put({ cases: [] }, tokens.read);
    const events = await database.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.action, "api_token.called"));
    const byReader = events.filter(
      (event) => event.actorType === "api_token" && event.actorName === "webbdiarium",
    );
    expect(byReader.map((event) => event.changes)).toEqual(
      expect.arrayContaining([
        { method: "GET", path: "/api/v1/cases/108-1642%2F2017", status: 200 },
        { method: "PUT", path: "/api/v1/cases", status: 403 },
      ]),
    );
  });
});

describe("GET /api/v1/cases/{identifier}", () => {
  it("answers a case in the import format, found by dnr or document number however it is written", async () => {
    for (const identifier of ["108-1642%2F2017", "108-1642/2017", "Dnr%20108%E2%80%931642%2F2017"]) {
      const answer = await call(`/api/v1/cases/${identifier}`);
      expect(answer.status).toBe(200);
      expect(answer.headers.get("content-type")).toMatch(/^application\/json/);
      const [found] = answer.json.cases;
      expect(found).toMatchObject({
        registry: "stockholm-ks",
        dnr: "108-1642/2017",
        kind: "skrivelse",
        title: "Bristerna inom socialtjänsten",
        audience: "full",
        restricted: false,
      });
      expect(found?.referrals).toEqual(
        expect.arrayContaining([expect.objectContaining({ body: "stadsledningskontoret" })]),
      );
    }
    const motion = await call(`/api/v1/cases/${encodeURIComponent("Motion 2016:114")}`);
    expect(motion.json.cases[0]?.identifiers).toContain("Motion 2016:114");
  });

  it("shows a restricted case to a token as the public sees it: dnr, public title and dates", async () => {
    const answer = await call("/api/v1/cases/108-2001%2F2017", { token: tokens.write });
    expect(answer.status).toBe(200);
    expect(answer.json.cases).toEqual([
      {
        id: expect.any(Number),
        registry: "stockholm-ks",
        dnr: "108-2001/2017",
        identifiers: [],
        restricted: true,
        audience: "public",
        public_title: "Sekretess",
        raised_on: "2017-02-01",
        received_on: null,
        closed_on: null,
      },
    ]);
    expect(answer.text).not.toContain(SECRET_TITLE);
    expect(answer.text).not.toContain("Kim");
  });

  it("answers 404 for an unknown case and 422 for what is no identifier", async () => {
    expectProblem(await call("/api/v1/cases/108-1%2F1999"), 404, "api.not_found");
    const bad = await call("/api/v1/cases/%21%21%21");
    expectProblem(bad, 422, "api.invalid");
    expect(bad.json.errors).toEqual([
      { field: "identifier", message: expect.stringContaining("diarienummer") },
    ]);
  });
});

describe("PUT /api/v1/cases", () => {
  it("creates, updates and leaves alone, one result per item, audited with the token", async () => {
    const answer = await put({
      cases: [
        {
          registry: "stockholm-ks",
          dnr: "108-3000/2017",
          kind: "skrivelse",
          title: "Om parkering vid Stadshuset",
          raised_on: "2017-03-01",
          responsible_body: "kommunstyrelsen",
        },
        { ...RESTRICTED, raised_on: "2017-02-02" },
        RESTRICTED,
      ].slice(0, 2),
    });
    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({
      registries: [],
      bodies: [],
      cases: [
        { index: 0, status: "created" },
        { index: 1, status: "updated" },
      ],
    });
    const again = await put({
      cases: [
        {
          registry: "stockholm-ks",
          dnr: "108-3000/2017",
          kind: "skrivelse",
          title: "Om parkering vid Stadshuset",
          raised_on: "2017-03-01",
          responsible_body: "kommunstyrelsen",
        },
      ],
    });
    expect(again.json.cases).toEqual([{ index: 0, status: "unchanged" }]);

    const created = await call("/api/v1/cases/108-3000%2F2017");
    expect(created.json.cases[0]).toMatchObject({
      title: "Om parkering vid Stadshuset",
      raised_on: "2017-03-01",
    });

    // On a PostgreSQL server shared with other databases, a transaction still open there holds the
    // feed's horizon back for a moment (README); the change shows once it has passed.
    let imported: FeedChange | undefined;
    for (let tries = 0; !imported && tries < 100; tries += 1) {
      if (tries > 0) await new Promise((resolve) => setTimeout(resolve, 100));
      const { changes } = await readAllChanges();
      imported = changes.find(
        (change) => change.action === "case.imported" && change.case?.dnr === "108-3000/2017",
      );
    }
    expect(imported).toMatchObject({
      actor: { type: "api_token", name: "e-arkiv" },
      entity: { type: "case" },
      audience: "full",
    });
  });

  it("rejects an item the registry cannot take (an unknown body, the same case twice) and writes the rest", async () => {
    const answer = await put({
      cases: [
        {
          registry: "stockholm-ks",
          dnr: "108-3001/2017",
          kind: "motion",
          title: "Om bänkar",
          responsible_body: "finns-inte",
        },
        { registry: "stockholm-ks", dnr: "108-3002/2017", kind: "motion", title: "Om träd" },
        { registry: "stockholm-ks", dnr: "108-3002/2017", kind: "motion", title: "Om träd, igen" },
      ],
    });
    expect(answer.status).toBe(200);
    const [unknownBody, written, twice] = answer.json.cases;
    expect(unknownBody).toMatchObject({ index: 0, status: "rejected" });
    expect(unknownBody?.problems[0]?.field).toMatch(/^cases\[0\]/);
    expect(unknownBody?.problems[0]?.message).toContain("finns-inte");
    expect(written).toEqual({ index: 1, status: "created" });
    expect(twice).toMatchObject({ index: 2, status: "rejected", problems: [{ field: "cases[2]" }] });
    expect(twice?.problems[0]?.message).toContain("cases[1]");
    expectProblem(await call("/api/v1/cases/108-3001%2F2017"), 404, "api.not_found");
  });

  it("refuses a body with invalid fields whole, 422, naming each field, and writes nothing", async () => {
    const answer = await put({
      cases: [
        { registry: "stockholm-ks", dnr: "108-3100/2017", kind: "skrivelse", title: "Giltigt" },
        { registry: "stockholm-ks", dnr: "108-3101/2017", kind: "brev", title: "" },
        {
          registry: "stockholm-ks",
          dnr: "108-3102/2017",
          kind: "motion",
          title: "X",
          raised_on: "2017-02-30",
          färg: "blå",
        },
      ],
    });
    expectProblem(answer, 422, "api.invalid");
    const fields = answer.json.errors.map((error) => error.field);
    expect(fields).toEqual(expect.arrayContaining(["cases[1].kind", "cases[1].title", "cases[2].raised_on"]));
    expect(fields.some((field) => field.startsWith("cases[2]"))).toBe(true);
    for (const error of answer.json.errors) expect(error.message).toEqual(expect.any(String));
    expectProblem(await call("/api/v1/cases/108-3100%2F2017"), 404, "api.not_found");
  });

  it("answers a body that is not the format with 400, 415 or 422, never a crash", async () => {
    expectProblem(await put("{not json"), 400, "api.not_json");
    expectProblem(
      await call("/api/v1/cases", {
        method: "PUT",
        token: tokens.write,
        body: new Uint8Array([0x7b, 0xff, 0x7d]),
      }),
      400,
      "api.not_json",
    );
    expectProblem(
      await call("/api/v1/cases", {
        method: "PUT",
        token: tokens.write,
        body: "{}",
        headers: { "content-type": "text/plain" },
      }),
      415,
      "api.unsupported_media_type",
    );
    for (const body of [
      "null",
      "[]",
      '"text"',
      "{}",
      '{"cases": {}}',
      '{"cases": [], "extra": 1}',
      "[".repeat(100_000),
    ]) {
      const answer = await put(body);
      expect([400, 422]).toContain(answer.status);
      expect(answer.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    }
    expectProblem(await call("/api/v1/cases", { token: tokens.write }), 405, "api.method_not_allowed");
    expectProblem(await call("/api/v1/nothing"), 404, "api.unknown_route");
    expect((await fetch(`${bot.baseUrl}/healthz`)).status).toBe(200);
  });
});

describe("GET /api/v1/changes", () => {
  it("hands out every change once, oldest first, a page at a time, and nothing more when caught up", async () => {
    const all = await readAllChanges(tokens.read, 1000);
    const paged = await readAllChanges(tokens.read, 7);
    // The second read may go further (what committed meanwhile), never differently.
    expect(paged.changes.map((change) => change.id).slice(0, all.changes.length)).toEqual(
      all.changes.map((change) => change.id),
    );
    expect(new Set(all.changes.map((change) => change.id)).size).toBe(all.changes.length);
    // The demo import: the cases, their referrals and deadlines, with the import as the actor.
    const demo = all.changes.filter((change) => change.actor.id === "demo.json");
    expect(demo.map((change) => change.action)).toEqual(
      expect.arrayContaining(["registry.imported", "case.imported"]),
    );
    for (const change of all.changes) {
      expect(change).toMatchObject({ cursor: expect.stringMatching(/^\d+\.\d+$/), at: expect.any(String) });
      expect(change.entity.type).not.toBe("api_token");
    }
    // Caught up, the cursor moves on past what committed since (this test's audited calls), never back.
    const idle = await call(`/api/v1/changes?after=${all.next}`);
    expect(idle.json.changes).toEqual([]);
    expect(BigInt(idle.json.next.split(".")[0] ?? "0")).toBeGreaterThanOrEqual(
      BigInt(all.next.split(".")[0] ?? "0"),
    );
  });

  it("shows a restricted case's changes without its title, summary or people", async () => {
    const { changes, next } = await readAllChanges();
    const restricted = changes.filter((change) => change.case?.dnr === "108-2001/2017");
    expect(restricted.length).toBeGreaterThan(0);
    for (const change of restricted) {
      expect(change.audience).toBe("public");
      expect(change.actor).toEqual({ type: expect.any(String) });
    }
    const text = JSON.stringify(restricted);
    expect(text).not.toContain(SECRET_TITLE);
    expect(text).not.toContain("Kim");
    expect(text).toContain("Sekretess");
    expect(next).toMatch(/^\d+\.\d+$/);
  });

  it("answers a bad cursor, limit or parameter with 422", async () => {
    for (const query of ["after=abc", "limit=0", "limit=1001", "limit=x", "since=1", "limit=1&limit=2"]) {
      const answer = await call(`/api/v1/changes?${query}`);
      expectProblem(answer, 422, "api.invalid");
      expect(answer.json.errors.length).toBeGreaterThan(0);
    }
  });
});

describe("GET /api/v1/openapi.json", () => {
  it("describes the API with the schemas that validate its requests, without a token", async () => {
    const answer = await call("/api/v1/openapi.json", { token: null });
    expect(answer.status).toBe(200);
    const document = answer.json;
    expect(document.openapi).toBe("3.1.0");
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining(["/api/v1/cases", "/api/v1/cases/{identifier}", "/api/v1/changes"]),
    );
    expect(document.components.schemas.PutCasesRequest).toMatchObject({
      type: "object",
      additionalProperties: false,
      properties: {
        cases: {
          type: "array",
          maxItems: 1000,
          items: {
            additionalProperties: false,
            required: expect.arrayContaining(["registry", "kind", "title"]),
            properties: {
              kind: { enum: expect.arrayContaining(["skrivelse", "motion", "medborgarforslag"]) },
              raised_on: { type: ["string", "null"] },
            },
          },
        },
      },
    });
    expect(document.paths["/api/v1/cases"]?.put?.responses["422"]?.content).toHaveProperty(
      "application/problem+json",
    );
  });
});

describe("limits", () => {
  let small: BotUnderTest;
  beforeAll(async () => {
    small = await startBotUnderTest(database, {
      env: { ARENDE_API_MAX_BODY_KB: "16", ARENDE_API_RATE_LIMIT: "6" },
    });
  });
  afterAll(() => small.stop());

  it("refuses a body over ARENDE_API_MAX_BODY_KB with 413 before reading it", async () => {
    const response = await fetch(`${small.baseUrl}/api/v1/cases`, {
      method: "PUT",
      headers: { authorization: `Bearer ${tokens.small}`, "content-type": "application/json" },
      body: JSON.stringify({
        cases: [{ registry: "stockholm-ks", kind: "other", title: "x".repeat(20_000) }],
      }),
    });
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ code: "api.body_too_large" });
  });

  it("refuses a token over ARENDE_API_RATE_LIMIT with 429 and Retry-After, other tokens unaffected", async () => {
    const get = (token: string) =>
      fetch(`${small.baseUrl}/api/v1/changes?limit=1`, { headers: { authorization: `Bearer ${token}` } });
    expect((await get(tokens.read)).status).toBe(200);
    const refused = await get(tokens.read);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(await refused.json()).toMatchObject({ code: "api.rate_limited" });
    expect((await get(tokens.write)).status).toBe(200);
  });
});
