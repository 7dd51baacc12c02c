import { getCaseStatus } from "../modules/cases/get-case-status.js";
import type { RequestContext } from "../modules/shared/context.js";
import { renderStatusText } from "./render-case-text.js";

/** `arendebot status <identifier>`: the bot's answer, in the terminal. Exit 0 found, 1 not found, 2 bad input. */
export async function runStatusCommand({
  ctx,
  query,
  today,
  out,
}: {
  ctx: RequestContext;
  query: string;
  today: string;
  out: NodeJS.WritableStream;
}): Promise<number> {
  const result = await getCaseStatus(ctx, { query });
  out.write(`${renderStatusText(result, today)}\n`);
  return result.type === "found" ? 0 : result.type === "not_found" ? 1 : 2;
}
