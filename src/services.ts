import type { Clock } from "./clock.js";
import { today } from "./clock.js";
import type { Database } from "./db/client.js";
import { grantRole } from "./modules/access/grant-role.js";
import { type ListRolesResult, listRoles, type RoleListFilterInput } from "./modules/access/list-roles.js";
import { revokeRole } from "./modules/access/revoke-role.js";
import type { RoleChange, RoleChangeResult } from "./modules/access/role-change.js";
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
import { type CaseHistoryResult, getCaseHistory } from "./modules/history/get-case-history.js";
import type { Posting } from "./modules/posting/post-copies.js";
import {
  deliverRemissNotices,
  type RemissDelivery,
  type SentRemiss,
} from "./modules/referrals/deliver-remiss-notices.js";
import { prepareRemiss, type RemissForm } from "./modules/referrals/prepare-remiss.js";
import {
  type RemissRequest,
  type SendOnRemissResult,
  sendOnRemiss,
} from "./modules/referrals/send-on-remiss.js";
import { announceDecision, type MessageRef, showDecision } from "./modules/responses/announce-decision.js";
import {
  type ApproveResponseResult,
  approveResponse,
  type Decision,
  type DecisionSubject,
} from "./modules/responses/approve-response.js";
import { prepareResponse, type ResponseForm } from "./modules/responses/prepare-response.js";
import {
  type RecordedResponse,
  type RecordResponseResult,
  type ResponseRequest,
  recordResponse,
} from "./modules/responses/record-response.js";
import {
  prepareRejection,
  type RejectionForm,
  type RejectResponseResult,
  rejectResponse,
} from "./modules/responses/reject-response.js";
import { type ApprovalDelivery, requestApproval } from "./modules/responses/request-approval.js";
import { type RegistryLimits, registryAdmission, withinLimits } from "./modules/shared/availability.js";
import { createContext, slackActor } from "./modules/shared/context.js";
import { claimReceipts } from "./modules/slack-receipts/receipts.repository.js";

/**
 * What the Slack layer may do, bound to a database and a clock. Slack listeners receive this and
 * nothing else, so they cannot reach the database directly.
 */
export type Services = {
  today(): string;
  now(): Date;
  /** `viewer` is the asking Slack user: whether they may see a restricted case in full. */
  caseStatus(query: string, viewer: string): Promise<CaseStatusResult>;
  caseById(caseId: number): Promise<CaseDetails | null>;
  /** A page of the case's history (1 is the newest); `viewer` decides what of a restricted case shows. */
  caseHistory(
    request: { viewer: string; page?: number } & ({ query: string } | { caseId: number }),
  ): Promise<CaseHistoryResult>;
  claimSlackDelivery(keys: string[]): Promise<boolean>;
  digestSettings(channelId: string): Promise<DigestSettings | null>;
  subscribeChannel(request: {
    channelId: string;
    by: SlackUser;
    settings: DigestSettingsInput;
  }): Promise<SubscribeResult>;
  unsubscribeChannel(request: { channelId: string; by: SlackUser }): Promise<UnsubscribeResult>;
  previewDigest(channelId: string): Promise<DigestPreview>;
  /** `/arende roll ge|ta`: only admins may; `body` as typed, null for admin. */
  grantRole(request: RoleChangeRequest): Promise<RoleChangeResult>;
  revokeRole(request: RoleChangeRequest): Promise<RoleChangeResult>;
  listRoles(filter: RoleListFilterInput): Promise<ListRolesResult>;
  /** The form of `/arende remittera`: the sender's right, the case and the bodies to choose from. */
  prepareRemiss(request: { slackUserId: string; query: string }): Promise<RemissForm>;
  /** Sends a case on remiss (referrals, deadlines and audit in one transaction). */
  sendOnRemiss(request: { by: SlackUser; remiss: RemissRequest }): Promise<SendOnRemissResult>;
  /** After a sent remiss has been answered for: the notice to each body's channel, once, stored where it went. */
  deliverRemissNotices(request: {
    by: SlackUser;
    remiss: SentRemiss;
    message: string | null;
  }): Promise<RemissDelivery>;
  /** Godkänn on an approval request: decides once (a lost race answers who decided first). */
  approveResponse(request: { by: SlackUser; responseId: number }): Promise<ApproveResponseResult>;
  /** Avslå, before its form opens: the user's right and a request still pending. */
  prepareRejection(request: { slackUserId: string; responseId: number }): Promise<RejectionForm>;
  /** Avslå with a reason; the referral stays open. */
  rejectResponse(request: {
    by: SlackUser;
    responseId: number;
    reason: string;
  }): Promise<RejectResponseResult>;
  /** The remissvar form: the user's right, the case and its open referrals they may answer for. */
  prepareResponse(
    request: { slackUserId: string } & ({ query: string } | { caseId: number }),
  ): Promise<ResponseForm>;
  /** Records a remissvar as pending approval (response and audit in one transaction). */
  recordResponse(request: { by: SlackUser; response: ResponseRequest }): Promise<RecordResponseResult>;
  /** After a recorded response has been answered for: the approval request to each godkännare, once, stored. */
  requestApproval(request: { by: SlackUser; recorded: RecordedResponse }): Promise<ApprovalDelivery>;
  /** A decision's winner: every copy of the request updated, the submitter (and after an approval the channel) told. */
  announceDecision(request: DecisionAnnouncement): Promise<void>;
  /** Whoever lost the race: the copies (and the one clicked) brought up to date. */
  showDecision(request: DecisionAnnouncement): Promise<void>;
  /** The installation's deadline rules, so a rendered digest names the policy in force. */
  deadlineRules: DeadlineRules;
};

export type RoleChangeRequest = { by: SlackUser } & RoleChange;

export type DecisionAnnouncement = {
  subject: DecisionSubject;
  decision: Decision;
  clicked?: MessageRef | null;
};

/** Generous enough for a test or a CLI; the bot passes the limits from its configuration. */
export const DEFAULT_REGISTRY_LIMITS: RegistryLimits = { timeoutMs: 2_000, maxInFlight: 100, concurrency: 4 };

export function createServices({
  db,
  clock,
  admins = [],
  deadlineRules = DEFAULT_DEADLINE_RULES,
  limits = DEFAULT_REGISTRY_LIMITS,
  posting,
}: {
  db: Database;
  clock: Clock;
  /** ARENDE_ADMINS: Slack user ids that are admins without a stored role; none when left out. */
  admins?: readonly string[];
  deadlineRules?: DeadlineRules;
  /** Every call that reaches the database answers or fails within these, so Slack gets its answer in time. */
  limits?: RegistryLimits;
  /** The posting port and the builders of the messages the use cases send. */
  posting: Omit<Posting, "admit">;
}): Services {
  // One context per call: the roles it loads are the asking user's, kept for that call only.
  const as = (by: SlackUser) => createContext({ db, clock, admins, actor: slackActor(by) });
  const viewer = (slackUserId: string) => as({ userId: slackUserId });
  // One admission control for every database step: those Slack waits for, and the claims and
  // records of what is posted after Slack has had its answer.
  const admit = registryAdmission(limits);
  const posts = (by: SlackUser) => ({ ...as(by), posting: { ...posting, admit } });
  const calls: Omit<
    Services,
    | "today"
    | "now"
    | "deadlineRules"
    | "deliverRemissNotices"
    | "requestApproval"
    | "announceDecision"
    | "showDecision"
  > = {
    caseStatus: (query, slackUserId) => getCaseStatus(viewer(slackUserId), { query }),
    caseById: (caseId) => getCaseById({ db, caseId }),
    caseHistory: ({ viewer: slackUserId, ...request }) => getCaseHistory(viewer(slackUserId), request),
    claimSlackDelivery: (keys) => claimReceipts(db, keys, clock.now()),
    digestSettings: (channelId) => getDigestSettings({ db, channelId }),
    subscribeChannel: ({ by, ...request }) => subscribeChannel(as(by), request),
    unsubscribeChannel: ({ by, ...request }) => unsubscribeChannel(as(by), request),
    previewDigest: (channelId) => previewDigest({ db, channelId, today: today(clock) }),
    grantRole: ({ by, ...request }) => grantRole(as(by), request),
    revokeRole: ({ by, ...request }) => revokeRole(as(by), request),
    listRoles: (filter) => listRoles({ db, admins }, { filter }),
    prepareRemiss: ({ slackUserId, query }) => prepareRemiss(viewer(slackUserId), { query }),
    sendOnRemiss: ({ by, remiss }) => sendOnRemiss(as(by), { request: remiss }),
    approveResponse: ({ by, responseId }) => approveResponse(as(by), { responseId }),
    prepareRejection: ({ slackUserId, responseId }) => prepareRejection(viewer(slackUserId), { responseId }),
    rejectResponse: ({ by, ...request }) => rejectResponse(as(by), request),
    prepareResponse: ({ slackUserId, ...target }) => prepareResponse(viewer(slackUserId), target),
    recordResponse: ({ by, response }) => recordResponse(as(by), { request: response }),
  };
  // Posting waits for Slack, so these are not admitted whole: only their database steps are.
  const delivering: Pick<
    Services,
    "deliverRemissNotices" | "requestApproval" | "announceDecision" | "showDecision"
  > = {
    deliverRemissNotices: ({ by, ...request }) => deliverRemissNotices(posts(by), request),
    requestApproval: ({ by, recorded }) => requestApproval(posts(by), { recorded }),
    announceDecision: (request) => announceDecision({ posting }, request),
    showDecision: (request) => showDecision({ posting }, request),
  };
  return {
    today: () => today(clock),
    now: () => clock.now(),
    deadlineRules,
    ...withinLimits(calls, admit),
    ...delivering,
  };
}
