import type { Executor } from "../../db/client.js";
import type { BodyRef } from "../cases/case-details.js";
import { listBodies } from "./bodies.repository.js";

export type BodyLookup =
  | { ok: true; bodies: BodyRef[] }
  | { ok: false; problem: "unknown" | "ambiguous"; term: string; candidates: BodyRef[] };

const MAX_SUGGESTIONS = 3;

/** Finds bodies by code or name as typed: any case, with or without å, ä, ö, spaces or dashes. */
export async function findBodies({
  db,
  terms,
}: {
  db: Executor;
  terms: readonly string[];
}): Promise<BodyLookup> {
  if (terms.length === 0) return { ok: true, bodies: [] };
  return matchBodies(terms, await listBodies(db));
}

/**
 * For each term: an exact code, else an exact name (both ignoring case), else the same code or name
 * written without diacritics, spaces or dashes. A term that matches nothing is answered with the
 * closest names, one that matches several with those.
 */
export function matchBodies(terms: readonly string[], known: readonly BodyRef[]): BodyLookup {
  const found: BodyRef[] = [];
  for (const term of terms) {
    const lower = term.trim().toLocaleLowerCase("sv");
    const folded = foldName(term);
    const stages = [
      known.filter((body) => body.code.toLocaleLowerCase("sv") === lower),
      known.filter((body) => body.name.toLocaleLowerCase("sv") === lower),
      known.filter((body) => foldName(body.code) === folded || foldName(body.name) === folded),
    ];
    const matches = stages.find((stage) => stage.length > 0) ?? [];
    if (matches.length > 1) return { ok: false, problem: "ambiguous", term, candidates: matches };
    const [body] = matches;
    if (!body) return { ok: false, problem: "unknown", term, candidates: closeBodies(folded, known) };
    if (!found.some((other) => other.id === body.id)) found.push(body);
  }
  return { ok: true, bodies: found };
}

export function foldName(text: string): string {
  return text
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "");
}

function closeBodies(folded: string, known: readonly BodyRef[]): BodyRef[] {
  return known
    .map((body) => ({ body, score: Math.max(likeness(folded, body.name), likeness(folded, body.code)) }))
    .filter((entry) => entry.score >= 0.3)
    .sort((a, b) => b.score - a.score || a.body.name.localeCompare(b.body.name, "sv"))
    .slice(0, MAX_SUGGESTIONS)
    .map((entry) => entry.body);
}

/** 1 when one contains the other ("bromma" in "Bromma stadsdelsnämnd"), else trigram overlap (Dice). */
function likeness(folded: string, text: string): number {
  const other = foldName(text);
  if (folded === "" || other === "") return 0;
  if (other.includes(folded) || folded.includes(other)) return 1;
  const a = trigrams(folded);
  const b = trigrams(other);
  let shared = 0;
  for (const gram of a) if (b.has(gram)) shared += 1;
  return (2 * shared) / (a.size + b.size);
}

function trigrams(text: string): Set<string> {
  const padded = `  ${text} `;
  const grams = new Set<string>();
  for (let index = 0; index + 3 <= padded.length; index += 1) grams.add(padded.slice(index, index + 3));
  return grams;
}
