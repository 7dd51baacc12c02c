import { z } from "zod";

/** The card's Bevaka button; builder and handler import the id from here, so they cannot drift apart. */
export const FOLLOW_CASE_ACTION = "case_card.follow";

/** The button names only the case: who follows, and whether they may, is decided by who clicked. */
export const followButtonValue = z.object({ caseId: z.number().int().positive() });
