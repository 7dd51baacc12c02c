import type { Clock } from "./clock.js";
import { today } from "./clock.js";
import type { Database } from "./db/client.js";
import type { CaseDetails } from "./modules/cases/case-details.js";
import { type CaseStatusResult, getCaseById, getCaseStatus } from "./modules/cases/get-case-status.js";
import { DEFAULT_DEADLINE_RULES, type DeadlineRules } from "./modules/deadlines/deadline-rules.js";
import type { DigestSettings } from "./modules/digests/digest-settings.js";
import { getDigestSettings } from "./modules/digests/get-digest-settings.js";
import type { DigestSettingsInput } from "./modules/digests/parse-digest-command.js";
import { type DigestPreview, previewDigest } from "./modules/digests/preview-digest.js";
import {
  type SlackUser,
  type SubscribeResult,
  subscribeChannel,
} from "./modules/digests/subscribe-channel.js";
import { type UnsubscribeResult, unsubscribeChannel } from "./modules/digests/unsubscribe-channel.js";
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
  digestSettings(channelId: string): Promise<DigestSettings | null>;
  subscribeChannel(request: {
    channelId: string;
    by: SlackUser;
    settings: DigestSettingsInput;
  }): Promise<SubscribeResult>;
  unsubscribeChannel(request: { channelId: string; by: SlackUser }): Promise<UnsubscribeResult>;
  previewDigest(channelId: string): Promise<DigestPreview>;
  /** The installation's deadline rules, so a rendered digest names the policy in force. */
  deadlineRules: DeadlineRules;
};

export function createServices({
  db,
  clock,
  admins = [],
  deadlineRules = DEFAULT_DEADLINE_RULES,
}: {
  db: Database;
  clock: Clock;
  /** Slack user ids allowed to configure digests (ARENDE_ADMINS); none when left out. */
  admins?: readonly string[];
  deadlineRules?: DeadlineRules;
}): Services {
  return {
    today: () => today(clock),
    now: () => clock.now(),
    caseStatus: (query) => getCaseStatus({ db, query }),
    caseById: (caseId) => getCaseById({ db, caseId }),
    claimSlackDelivery: (keys) => claimReceipts(db, keys, clock.now()),
    digestSettings: (channelId) => getDigestSettings({ db, channelId }),
    subscribeChannel: (request) => subscribeChannel({ db, clock, admins, ...request }),
    unsubscribeChannel: (request) => unsubscribeChannel({ db, clock, admins, ...request }),
    previewDigest: (channelId) => previewDigest({ db, channelId, today: today(clock) }),
    deadlineRules,
  };
}
