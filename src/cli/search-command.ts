import { say } from "../messages/sv.js";
import { KIND_LABELS, STATUS_LABELS } from "../modules/cases/case-kinds.js";
import { parseSearchQuery } from "../modules/search/parse-search.js";
import { HITS_PER_PAGE, searchCases } from "../modules/search/search-cases.js";
import type { RequestContext } from "../modules/shared/context.js";

/**
 * `arendebot sök <ord …> [typ:…] [organ:…] [år:…] [öppna|avslutade] [--page N]`: the hits as text, one
 * a line; the terminal is trusted and searches everything. Exit 0 found, 1 nothing found, 2 bad search.
 */
export async function runSearchCommand({
  ctx,
  text,
  page = 1,
  out,
  err,
}: {
  ctx: RequestContext;
  text: string;
  page?: number;
  out: NodeJS.WritableStream;
  err: NodeJS.WritableStream;
}): Promise<number> {
  const parsed = parseSearchQuery(text);
  const result = parsed.ok ? await searchCases(ctx, { query: parsed.query, page }) : parsed;
  if (!result.ok) {
    err.write(`${say(result.error).replace(/`/g, "")}\n`);
    return 2;
  }
  if (result.hits.length === 0) {
    out.write(page === 1 ? `Inga ärenden matchar «${text.trim()}».\n` : "Inga fler träffar.\n");
    return 1;
  }
  const first = (page - 1) * HITS_PER_PAGE + 1;
  for (const [index, hit] of result.hits.entries()) {
    const facts = [KIND_LABELS[hit.kind], STATUS_LABELS[hit.status], ...(hit.date ? [hit.date] : [])];
    out.write(`${first + index}. ${hit.label}  ${hit.title}  (${facts.join(", ")})\n`);
  }
  if (result.hasMore) out.write(`Fler träffar: arendebot sök ${text.trim()} --page ${page + 1}\n`);
  return 0;
}
