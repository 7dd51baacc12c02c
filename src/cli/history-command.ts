import { say } from "../messages/sv.js";
import { caseLabel } from "../modules/cases/present-case.js";
import { getCaseHistory, HISTORY_PAGE_SIZE } from "../modules/history/get-case-history.js";
import { presentHistory } from "../modules/history/present-history.js";
import { ACCEPTED_FORMS } from "../modules/identifiers/parse-identifier.js";
import type { RequestContext } from "../modules/shared/context.js";
import { renderHistoryText } from "./render-history-text.js";

/**
 * `arendebot historik <identifier>`: the case's history, newest first, a page at a time. The terminal
 * is trusted and sees everything, as with `status`. Exit 0 found, 1 not found, 2 not an identifier.
 */
export async function runHistoryCommand({
  ctx,
  query,
  page = 1,
  limit = HISTORY_PAGE_SIZE,
  out,
}: {
  ctx: RequestContext;
  query: string;
  page?: number;
  limit?: number;
  out: NodeJS.WritableStream;
}): Promise<number> {
  const result = await getCaseHistory(ctx, { query, page, pageSize: limit });
  switch (result.type) {
    case "invalid":
      out.write(`${say(result.error)}\nGodtagna former: ${ACCEPTED_FORMS.join(", ")}\n`);
      return 2;
    case "not_found": {
      const lines = [`Jag hittar inget ärende med ${result.identifier} i diariet.`];
      if (result.suggestions.length > 0) {
        lines.push("Menade du något av dessa?");
        for (const suggestion of result.suggestions)
          lines.push(`  ${suggestion.label} ${suggestion.publicTitle}`);
      }
      out.write(`${lines.join("\n")}\n`);
      return 1;
    }
    case "gone":
      out.write("Ärendet finns inte längre i diariet.\n");
      return 1;
    case "found": {
      const texts = result.histories.map((history) => {
        const shown = presentHistory(history, { audience: "full" });
        const beyond =
          page > history.pages ? `Sidan ${page} finns inte; historiken har ${history.pages} sidor.\n` : "";
        const registry = result.histories.length > 1 ? `${history.details.registry.name}\n` : "";
        const next = `arendebot historik ${caseLabel(history.details)} --page ${history.page + 1}${limit !== HISTORY_PAGE_SIZE ? ` --limit ${limit}` : ""}`;
        return `${beyond}${registry}${renderHistoryText(shown, { next })}`;
      });
      out.write(`${texts.join("\n\n")}\n`);
      return 0;
    }
  }
}
