import { PGlite } from "@electric-sql/pglite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inlineParameters, StatementCache } from "../../src/db/pglite-statements.js";

describe("PGlite prepared statements", () => {
  let pg: PGlite;
  let executed: string[];
  let cache: StatementCache;

  beforeAll(async () => {
    pg = await PGlite.create();
    await pg.exec(`
      CREATE TABLE t (id integer PRIMARY KEY, name text, on_day date, flag boolean);
      INSERT INTO t VALUES (1, 'O''Brien', '2024-01-02', true), (2, 'back\\slash', NULL, false);`);
    executed = [];
    cache = new StatementCache({
      query: (sql, params, options) => {
        executed.push(sql);
        return pg.query(sql, params, options);
      },
      exec: (sql) => {
        executed.push(sql);
        return pg.exec(sql);
      },
    });
  });
  afterAll(() => pg.close());

  it("inlines plain values as literals, and nothing else", () => {
    expect(inlineParameters(["it's", 3, 1.5, true, null])).toEqual([
      "'it''s'",
      "'3'",
      "'1.5'",
      "'true'",
      "NULL",
    ]);
    expect(inlineParameters([new Date()])).toBeUndefined();
    expect(inlineParameters([Number.NaN])).toBeUndefined();
    expect(inlineParameters(["a\0b"])).toBeUndefined();
  });

  it("prepares a SELECT on its second run and answers exactly as the unprepared query", async () => {
    const sql = "select id, name, on_day, flag from t where name = $1 or id = $2 order by id";
    const options = { rowMode: "array" as const, parsers: { 1082: (value: string) => value } };
    const expected = await pg.query(sql, ["back\\slash", 1], options);
    const answers = [];
    for (let run = 0; run < 3; run++) answers.push(await cache.query(sql, ["back\\slash", 1], options));
    for (const answer of answers) {
      expect(answer).toMatchObject({ rows: expected.rows, fields: expected.fields });
    }
    expect(executed.filter((text) => text.startsWith("PREPARE"))).toHaveLength(1);
    expect(executed.filter((text) => text.startsWith("EXECUTE"))).toHaveLength(2);
    const quoted = await cache.query(sql, ["O'Brien", 0], options);
    expect((quoted as { rows: unknown[][] }).rows).toEqual([[1, "O'Brien", "2024-01-02", true]]);
  });

  it("answers a SELECT PREPARE may refuse, and runs what is not a SELECT as it is", async () => {
    const untyped = "select $1 as value";
    for (let run = 0; run < 3; run++) {
      expect(((await cache.query(untyped, ["x"], {})) as { rows: unknown[] }).rows).toEqual([{ value: "x" }]);
    }
    const update = "update t set flag = $1 where id = $2";
    for (let run = 0; run < 3; run++) await cache.query(update, [true, 2], {});
    expect(executed.filter((text) => text.includes("update t"))).toEqual([update, update, update]);
    expect(((await pg.query("select flag from t where id = 2")) as { rows: unknown[] }).rows).toEqual([
      { flag: true },
    ]);
  });
});
