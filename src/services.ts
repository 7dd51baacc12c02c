import type { Clock } from "./clock.js";
import { today } from "./clock.js";
import type { Database } from "./db/client.js";
import type { CaseDetails } from "./modules/cases/case-details.js";
import { type CaseStatusResult, getCaseById, getCaseStatus } from "./modules/cases/get-case-status.js";
import { claimReceipts } from "./modules/slack-receipts/receipts.repository.js";

/**
 * What the Slack layer may do, bound to a database and a clock. Slack listeners receive this and
 * nothing else, so they cannot reach the database directly.
 */
export type Services = {
  today(): string;
  now(): Date;
  caseStatus(query: string): Promise<CaseStatusResult>;
  caseById(caseId: number): Promise<CaseDetails | null>;
  claimSlackDelivery(keys: string[]): Promise<boolean>;
};

export function createServices({ db, clock }: { db: Database; clock: Clock }): Services {
  return {
    today: () => today(clock),
    now: () => clock.now(),
    caseStatus: (query) => getCaseStatus({ db, query }),
    caseById: (caseId) => getCaseById({ db, caseId }),
    claimSlackDelivery: (keys) => claimReceipts(db, keys, clock.now()),
  };
}
