import type { RequestContext } from "../shared/context.js";
import { forgetReceiptsBefore } from "./receipts.repository.js";

/** Slack gives up retrying within hours; two days of receipts is ample to catch every duplicate. */
export const RECEIPT_RETENTION_MS = 2 * 24 * 60 * 60 * 1000;

export function forgetOldReceipts({ db, clock }: Pick<RequestContext, "db" | "clock">): Promise<number> {
  return forgetReceiptsBefore(db, new Date(clock.now().getTime() - RECEIPT_RETENTION_MS));
}
