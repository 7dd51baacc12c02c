/**
 * Prepared statements for the embedded database. PGlite runs every query through the unnamed
 * statement, so PostgreSQL parses and plans it anew on each call; for the status lookup's relational
 * query that planning is most of its cost (about 70% of the lookup on PGlite). A SELECT seen a second
 * time is therefore prepared once with SQL PREPARE and from then on run as EXECUTE, as postgres.js
 * does with its own prepared statements; PostgreSQL then keeps its plan.
 *
 * EXECUTE takes no bind parameters, so the values are written into it as quoted literals, which
 * PostgreSQL converts to the statement's parameter types exactly as it would bound text values. Only
 * plain values (strings, numbers, booleans, null) are inlined; anything else runs unprepared.
 */

/** What the statement cache needs from a PGlite instance. */
export type StatementTarget = {
  query(sql: string, params?: unknown[], options?: object): Promise<unknown>;
  exec(sql: string): Promise<unknown>;
};

const PREPARE_ON_SIGHTING = 2;
const MAX_PREPARED = 100;
const MAX_SEEN = 1_000;

export class StatementCache {
  private readonly seen = new Map<string, number>();
  /** SQL text → statement name, or null when it could not be prepared. */
  private readonly prepared = new Map<string, string | null>();

  constructor(private readonly target: StatementTarget) {}

  /** Runs the query, prepared when it is a repeated SELECT; outside transactions only. */
  async query(sql: string, params: unknown[] | undefined, options: object): Promise<unknown> {
    const literals = params && params.length > 0 ? inlineParameters(params) : undefined;
    const name = literals ? await this.statementFor(sql) : undefined;
    if (!name || !literals) return this.target.query(sql, params, options);
    return this.target.query(executeStatement(name, literals), [], options);
  }

  private async statementFor(sql: string): Promise<string | undefined> {
    const known = this.prepared.get(sql);
    if (known !== undefined) return known ?? undefined;
    if (!/^\s*select\s/i.test(sql) || this.prepared.size >= MAX_PREPARED) return undefined;
    const sightings = (this.seen.get(sql) ?? 0) + 1;
    if (sightings < PREPARE_ON_SIGHTING) {
      if (this.seen.size >= MAX_SEEN) this.seen.clear();
      this.seen.set(sql, sightings);
      return undefined;
    }
    this.seen.delete(sql);
    const name = `arendebot_stmt_${this.prepared.size + 1}`;
    try {
      await this.target.exec(`PREPARE ${name} AS ${sql}`);
    } catch {
      // Whatever PREPARE refuses (a parameter whose type cannot be inferred) runs as it always did.
      this.prepared.set(sql, null);
      return undefined;
    }
    this.prepared.set(sql, name);
    return name;
  }
}

/** `EXECUTE name('a', '1')`; the literals come from inlineParameters. */
export function executeStatement(name: string, literals: readonly string[]): string {
  return `EXECUTE ${name}(${literals.join(", ")})`;
}

/**
 * The parameters as SQL literals (standard-conforming strings: a quote doubled, backslashes as they
 * are), or undefined when one of them is not a plain value.
 */
export function inlineParameters(params: readonly unknown[]): string[] | undefined {
  const literals: string[] = [];
  for (const value of params) {
    if (value === null || value === undefined) literals.push("NULL");
    else if (typeof value === "string") {
      if (value.includes("\0")) return undefined;
      literals.push(`'${value.replaceAll("'", "''")}'`);
    } else if (typeof value === "number") {
      if (!Number.isFinite(value)) return undefined;
      literals.push(`'${String(value)}'`);
    } else if (typeof value === "boolean") literals.push(`'${String(value)}'`);
    else return undefined;
  }
  return literals;
}
