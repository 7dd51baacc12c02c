import type { Database } from "../db/client.js";
import { getCaseStatus } from "../modules/cases/get-case-status.js";
import { renderStatusText } from "./render-case-text.js";

/** `arendebot status <identifier>`: the bot's answer, in the terminal. Exit 0 found, 1 not found, 2 bad input. */
export async function runStatusCommand({
  db,
  query,
  today,
  out,
}: {
  db: Database;
  query: string;
  today: string;
  out: NodeJS.WritableStream;
}): Promise<number> {
  const result = await getCaseStatus({ db, query });
  out.write(`${renderStatusText(result, today)}\n`);
  return result.type === "found" ? 0 : result.type === "not_found" ? 1 : 2;
}
