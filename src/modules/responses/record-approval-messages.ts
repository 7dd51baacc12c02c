import { recordAudit } from "../audit/audit.repository.js";
import type { RequestContext } from "../shared/context.js";
import { insertApprovalMessages, responseExists } from "./responses.repository.js";

export type PostedApprovalMessage = {
  channelId: string;
  messageTs: string;
  /** The godkännare a direct message went to; null for a copy in a channel. */
  recipientSlackUserId: string | null;
};

/**
 * Stores where the approval request of a response was posted (a DM to each godkännare, with whose it
 * is, or the body's channel), so a decision can update every copy as its reader may read it. One
 * transaction with the audit event `referral_response.approval_requested`; a copy stored before (a
 * retry) is not stored twice.
 */
export async function recordApprovalMessages(
  { db, clock, actor }: Pick<RequestContext, "db" | "clock" | "actor">,
  { responseId, messages }: { responseId: number; messages: readonly PostedApprovalMessage[] },
): Promise<{ stored: number }> {
  if (messages.length === 0 || !(await responseExists(db, responseId))) return { stored: 0 };
  const at = clock.now();
  return db.transaction(async (tx) => {
    const inserted = await insertApprovalMessages(
      tx,
      messages.map((message) => ({
        responseId,
        channelId: message.channelId,
        messageTs: message.messageTs,
        recipientSlackUserId: message.recipientSlackUserId,
      })),
    );
    await recordAudit(tx, {
      actor,
      at,
      entries:
        inserted.length === 0
          ? []
          : [
              {
                action: "referral_response.approval_requested",
                entityType: "referral_response",
                entityId: responseId,
                changes: {
                  messages: inserted.map((row) => ({
                    channel_id: row.channelId,
                    message_ts: row.messageTs,
                    ...(row.recipientSlackUserId ? { recipient: row.recipientSlackUserId } : {}),
                  })),
                },
              },
            ],
    });
    return { stored: inserted.length };
  });
}
