import { z } from "zod";

/**
 * The ids that tie an approval request (posted when a remissvar is recorded) to the buttons that
 * decide it. Both sides import them from here, so the message and its handlers cannot drift apart.
 */
export const APPROVE_RESPONSE_ACTION = "approval.approve";
export const REJECT_RESPONSE_ACTION = "approval.reject";
export const REJECT_REASON_VIEW = "approval.reject_reason";

/** A button's value names only the response; who may decide is checked on the server, never trusted. */
export const approvalButtonValue = z.object({ responseId: z.number().int().positive() });
export type ApprovalButtonValue = z.infer<typeof approvalButtonValue>;
