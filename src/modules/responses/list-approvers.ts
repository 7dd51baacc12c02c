import type { Executor } from "../../db/client.js";
import { listMemberships } from "../access/access.repository.js";

/** The Slack user ids of the body's godkännare: those who decide its remissvar. */
export async function listApprovers({ db, bodyId }: { db: Executor; bodyId: number }): Promise<string[]> {
  const rows = await listMemberships(db, { bodyId });
  return [...new Set(rows.filter((row) => row.role === "godkannare").map((row) => row.slackUserId))];
}
