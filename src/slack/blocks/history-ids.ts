import { z } from "zod";

/**
 * The ids of the history's buttons: "Historik" on the case card, and the page buttons under a
 * history. Builders and handlers import them from here, so they cannot drift apart.
 */
export const OPEN_HISTORY_ACTION = "case_card.history";
export const OLDER_HISTORY_ACTION = "case_history.older";
export const NEWER_HISTORY_ACTION = "case_history.newer";

/**
 * A button names only the case and the page; what the clicker may see is decided on the server by
 * who clicked, never by the button.
 */
export const historyButtonValue = z.object({
  caseId: z.number().int().positive(),
  page: z.number().int().positive().max(100_000).default(1),
});
export type HistoryButtonValue = z.infer<typeof historyButtonValue>;
