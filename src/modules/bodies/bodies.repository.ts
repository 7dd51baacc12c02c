import { asc, inArray } from "drizzle-orm";
import type { Executor } from "../../db/client.js";
import { bodies } from "../../db/schema.js";
import type { BodyRef } from "../cases/case-details.js";

const ref = { id: bodies.id, code: bodies.code, name: bodies.name };

/**
 * Every body, by name. A municipality has at most a few hundred, and matching names the way people
 * type them (any case, with or without å, ä, ö) is done in find-bodies.ts: PostgreSQL's lower()
 * leaves Å and Ä alone under the C locale.
 */
export async function listBodies(db: Executor): Promise<BodyRef[]> {
  return db.select(ref).from(bodies).orderBy(asc(bodies.name));
}

export async function findBodiesByIds(db: Executor, ids: readonly number[]): Promise<BodyRef[]> {
  if (ids.length === 0) return [];
  return db
    .select(ref)
    .from(bodies)
    .where(inArray(bodies.id, [...ids]));
}
