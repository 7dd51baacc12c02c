import type { Clock } from "./clock.js";
import { today } from "./clock.js";
import type { Database } from "./db/client.js";
import { grantRole } from "./modules/access/grant-role.js";
import { type ListRolesResult, listRoles, type RoleListFilterInput } from "./modules/access/list-roles.js";
import { revokeRole } from "./modules/access/revoke-role.js";
import type { RoleChange, RoleChangeResult } from "./modules/access/role-change.js";
import type { CaseDetails } from "./modules/cases/case-details.js";
import {
  findLinkPreviews,
  findMentionedCases,
  type LinkPreview,
  type MentionedCases,
} from "./modules/cases/find-mentioned-cases.js";
import {
  type CaseStatusResult,
  getCaseById,
  getCaseStatus,
  getCaseStatusById,
} from "./modules/cases/get-case-status.js";
import { DEFAULT_DEADLINE_RULES, type DeadlineRules } from "./modules/deadlines/deadline-rules.js";
import type { DigestSettings } from "./modules/digests/digest-settings.js";
import { getDigestSettings } from "./modules/digests/get-digest-settings.js";
import type { DigestSettingsInput } from "./modules/digests/parse-digest-command.js";
import { type DigestPreview, previewDigest } from "./modules/digests/preview-digest.js";
import { type SubscribeResult, subscribeChannel } from "./modules/digests/subscribe-channel.js";
import { type UnsubscribeResult, unsubscribeChannel } from "./modules/digests/unsubscribe-channel.js";
import { type FollowCaseResult, followCase } from "./modules/follows/follow-case.js";
import type { FollowerRequest, FollowTarget } from "./modules/follows/follow-target.js";
import { type FollowedCase, listFollows } from "./modules/follows/list-follows.js";
import { type UnfollowCaseResult, unfollowCase } from "./modules/follows/unfollow-case.js";
import { type CaseHistoryResult, getCaseHistory } from "./modules/history/get-case-history.js";
import { type HomeChange, refreshHomesConcernedBy, showHome } from "./modules/home/publish-home.js";
import { type Posting, postingLog } from "./modules/posting/post-copies.js";
import type { FileUploader } from "./modules/posting/poster.js";
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
import { getMotionReport } from "./modules/reports/get-motion-report.js";
import type { ReportSchedule } from "./modules/reports/report-schedule.js";
import {
  getReportSchedule,
  type ScheduleReportResult,
  scheduleReport,
  type UnscheduleReportResult,
  unscheduleReport,
} from "./modules/reports/schedule-report.js";
import { type ShareReportResult, uploadMotionReport } from "./modules/reports/share-motion-report.js";
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
import { parseSearchQuery } from "./modules/search/parse-search.js";
import { type SearchResult, searchCases } from "./modules/search/search-cases.js";
import {
  type Admit,
  type RegistryLimits,
  registryAdmission,
  withinLimits,
} from "./modules/shared/availability.js";
import { createContext, type RequestContext, type SlackActor, slackActor } from "./modules/shared/context.js";
import { claimSlackDelivery } from "./modules/slack-receipts/claim-delivery.js";

/** The Slack user a request comes from, as Slack names them; the audit trail keeps the name. */
export type SlackUser = { userId: string; name?: string | undefined };

/**
 * What the Slack layer may do for one request, bound to a database, a clock and the Slack user who
 * sent it. Slack listeners receive this and nothing else, so they cannot reach the database directly,
 * and cannot act as anyone but the sender.
 */
export type Services = {
  today(): string;
  now(): Date;
  /** The sender's roles decide whether a restricted case shows in full. */
  caseStatus(query: string): Promise<CaseStatusResult>;
  /** A case by id (a search hit's button), with the asker's access decided as for caseStatus. */
  caseStatusById(caseId: number): Promise<CaseStatusResult>;
  /** `/arende sök …` as typed, the page counted from 1. */
  search(request: { text: string; page?: number; place?: "private" | "channel" }): Promise<SearchResult>;
  caseById(caseId: number): Promise<CaseDetails | null>;
  /** A page of the case's history (1 is the newest); the sender's roles decide what of a restricted case shows. */
  caseHistory(
    request: { page?: number } & ({ query: string } | { caseId: number }),
  ): Promise<CaseHistoryResult>;
  claimSlackDelivery(keys: string[]): Promise<boolean>;
  /** `/arende bevaka` and the Bevaka button: the sender, or the channel (admins and registrators). */
  followCase(request: FollowRequest): Promise<FollowCaseResult>;
  /** `/arende sluta bevaka`. */
  unfollowCase(request: FollowRequest): Promise<UnfollowCaseResult>;
  /** `/arende bevakningar`: what the sender follows, and what the channel (if any) follows. */
  listFollows(request: {
    channelId: string | null;
  }): Promise<{ mine: FollowedCase[]; channel: FollowedCase[] }>;
  digestSettings(channelId: string): Promise<DigestSettings | null>;
  subscribeChannel(request: { channelId: string; settings: DigestSettingsInput }): Promise<SubscribeResult>;
  unsubscribeChannel(request: { channelId: string }): Promise<UnsubscribeResult>;
  previewDigest(channelId: string): Promise<DigestPreview>;
  /** `/arende roll ge|ta`: only admins may; `body` as typed, null for admin. */
  grantRole(request: RoleChange): Promise<RoleChangeResult>;
  revokeRole(request: RoleChange): Promise<RoleChangeResult>;
  listRoles(filter: RoleListFilterInput): Promise<ListRolesResult>;
  /** The form of `/arende remittera`: the sender's right, the case and the bodies to choose from. */
  prepareRemiss(query: string): Promise<RemissForm>;
  /** Sends a case on remiss (referrals, deadlines and audit in one transaction). */
  sendOnRemiss(remiss: RemissRequest): Promise<SendOnRemissResult>;
  /** After a sent remiss has been answered for: the notice to each body's channel, once, stored where it went. */
  deliverRemissNotices(request: { remiss: SentRemiss; message: string | null }): Promise<RemissDelivery>;
  /** Godkänn on an approval request: decides once (a lost race answers who decided first). */
  approveResponse(responseId: number): Promise<ApproveResponseResult>;
  /** Avslå, before its form opens: the sender's right and a request still pending. */
  prepareRejection(responseId: number): Promise<RejectionForm>;
  /** Avslå with a reason; the referral stays open. */
  rejectResponse(request: { responseId: number; reason: string }): Promise<RejectResponseResult>;
  /** The remissvar form: the sender's right, the case and its open referrals they may answer for. */
  prepareResponse(target: { query: string } | { caseId: number }): Promise<ResponseForm>;
  /** Records a remissvar as pending approval (response and audit in one transaction). */
  recordResponse(response: ResponseRequest): Promise<RecordResponseResult>;
  /** After a recorded response has been answered for: the approval request to each godkännare, once, stored. */
  requestApproval(request: { recorded: RecordedResponse }): Promise<ApprovalDelivery>;
  /** A decision's winner: every copy of the request updated, the submitter (and after an approval the channel) told. */
  announceDecision(request: DecisionAnnouncement): Promise<void>;
  /** Whoever lost the race: the copies (and the one clicked) brought up to date. */
  showDecision(request: DecisionAnnouncement): Promise<void>;
  /** `app_home_opened`: publishes the sender's Home tab. */
  showHome(): Promise<void>;
  /** The installation's deadline rules, so a rendered digest names the policy in force. */
  deadlineRules: DeadlineRules;
  /** "Visa ärendet" on a message: the cases its text names, each with the sender's access. */
  mentionedCases(text: string): Promise<MentionedCases>;
  /** Link previews: the public card of each case linked on ARENDE_UNFURL_DOMAINS. */
  linkPreviews(urls: readonly string[]): Promise<LinkPreview[]>;
  /** `/arende rapport motioner [per …]`: the report uploaded to the channel as Word and CSV, public data only. */
  shareMotionReport(request: { channelId: string; per: string | undefined }): Promise<ShareReportResult>;
  scheduleReport(request: { channelId: string; schedule: ReportSchedule }): Promise<ScheduleReportResult>;
  unscheduleReport(request: { channelId: string }): Promise<UnscheduleReportResult>;
  /** The channel's report schedule in words, or null. */
  reportSchedule(channelId: string): Promise<string | null>;
};

/**
 * The services for one Slack request, made once per request by its listener. One context per request:
 * the sender's roles are loaded at most once however many checks and calls the request makes.
 */
export type ServicesFor = (sender: SlackUser) => Services;

export type FollowRequest = { target: FollowTarget; follower: FollowerRequest };

export type DecisionAnnouncement = {
  subject: DecisionSubject;
  decision: Decision;
  clicked?: MessageRef | null;
};

/** Generous enough for a test or a CLI; the bot passes the limits from its configuration. */
export const DEFAULT_REGISTRY_LIMITS: RegistryLimits = { timeoutMs: 2_000, maxInFlight: 100, concurrency: 4 };

type SlackContext = RequestContext<SlackActor>;

export function createServices({
  db,
  clock,
  admins = [],
  deadlineRules = DEFAULT_DEADLINE_RULES,
  limits = DEFAULT_REGISTRY_LIMITS,
  admit: sharedAdmit,
  posting,
  uploader,
  unfurlDomains = [],
}: {
  db: Database;
  clock: Clock;
  /** ARENDE_ADMINS: Slack user ids that are admins without a stored role; none when left out. */
  admins?: readonly string[];
  deadlineRules?: DeadlineRules;
  /** Every call that reaches the database answers or fails within these, so Slack gets its answer in time. */
  limits?: RegistryLimits;
  /** The admission control to share with the HTTP API; one of its own, by `limits`, when left out. */
  admit?: Admit;
  /** The posting port and the builders of the messages the use cases send. */
  posting: Omit<Posting, "admit">;
  /** Where reports are uploaded (files.uploadV2). */
  uploader: FileUploader;
  /** ARENDE_UNFURL_DOMAINS: the e-diarium hosts whose case links unfold. */
  unfurlDomains?: readonly string[];
}): ServicesFor {
  // One admission control, shared by every request (it counts what waits for the database): for the
  // calls Slack waits for, and for the claims and records of what is posted after Slack has its answer.
  const admit = sharedAdmit ?? registryAdmission(limits);
  // The calls are guarded once, with the request's context as their first argument.
  const calls = withinLimits(
    {
      caseStatus: (ctx: SlackContext, query: string) => getCaseStatus(ctx, { query }),
      caseStatusById: (ctx: SlackContext, caseId: number) => getCaseStatusById(ctx, { caseId }),
      search: (ctx: SlackContext, { text, ...where }: Parameters<Services["search"]>[0]) => {
        const parsed = parseSearchQuery(text);
        if (!parsed.ok) return Promise.resolve(parsed);
        return searchCases(ctx, { query: parsed.query, ...where });
      },
      caseById: (ctx: SlackContext, caseId: number) => getCaseById(ctx, { caseId }),
      caseHistory: (ctx: SlackContext, request: Parameters<Services["caseHistory"]>[0]) =>
        getCaseHistory(ctx, request),
      claimSlackDelivery: (ctx: SlackContext, keys: string[]) => claimSlackDelivery(ctx, { keys }),
      followCase: (ctx: SlackContext, request: FollowRequest) => followCase(ctx, request),
      unfollowCase: (ctx: SlackContext, request: FollowRequest) => unfollowCase(ctx, request),
      listFollows: (ctx: SlackContext, { channelId }: { channelId: string | null }) =>
        listFollows(ctx, { userId: ctx.actor.userId, channelId }),
      digestSettings: (ctx: SlackContext, channelId: string) => getDigestSettings(ctx, { channelId }),
      subscribeChannel: (ctx: SlackContext, request: Parameters<Services["subscribeChannel"]>[0]) =>
        subscribeChannel(ctx, request),
      unsubscribeChannel: (ctx: SlackContext, request: { channelId: string }) =>
        unsubscribeChannel(ctx, request),
      previewDigest: (ctx: SlackContext, channelId: string) => previewDigest(ctx, { channelId }),
      grantRole: (ctx: SlackContext, request: RoleChange) => grantRole(ctx, request),
      revokeRole: (ctx: SlackContext, request: RoleChange) => revokeRole(ctx, request),
      listRoles: (ctx: SlackContext, filter: RoleListFilterInput) => listRoles(ctx, { filter }),
      prepareRemiss: (ctx: SlackContext, query: string) => prepareRemiss(ctx, { query }),
      sendOnRemiss: (ctx: SlackContext, remiss: RemissRequest) => sendOnRemiss(ctx, { request: remiss }),
      approveResponse: (ctx: SlackContext, responseId: number) => approveResponse(ctx, { responseId }),
      prepareRejection: (ctx: SlackContext, responseId: number) => prepareRejection(ctx, { responseId }),
      rejectResponse: (ctx: SlackContext, request: { responseId: number; reason: string }) =>
        rejectResponse(ctx, request),
      prepareResponse: (ctx: SlackContext, target: Parameters<Services["prepareResponse"]>[0]) =>
        prepareResponse(ctx, target),
      recordResponse: (ctx: SlackContext, response: ResponseRequest) =>
        recordResponse(ctx, { request: response }),
      mentionedCases: (ctx: SlackContext, text: string) => findMentionedCases(ctx, { text }),
      linkPreviews: (ctx: SlackContext, urls: readonly string[]) =>
        findLinkPreviews(ctx, { urls, domains: unfurlDomains, today: today(ctx.clock) }),
      // A channel's report: a restricted case by its public data only, whoever asked.
      motionReport: (ctx: SlackContext, per: string | undefined) =>
        getMotionReport(ctx, { per, rules: deadlineRules, reader: "channel" }),
      scheduleReport: (ctx: SlackContext, request: { channelId: string; schedule: ReportSchedule }) =>
        scheduleReport(ctx, request),
      unscheduleReport: (ctx: SlackContext, request: { channelId: string }) => unscheduleReport(ctx, request),
      reportSchedule: (ctx: SlackContext, channelId: string) => getReportSchedule(ctx, { channelId }),
    },
    admit,
  );
  return (sender) => {
    const ctx = createContext({ db, clock, admins, actor: slackActor(sender) });
    // Posting waits for Slack, so these are not admitted whole: only their database steps are.
    const posts = { ...ctx, posting: { ...posting, admit } };
    // A change made in Slack republishes the Home tabs it concerns, after Slack has its answer; the
    // scheduled refresh catches whatever this misses.
    const refreshHomes = (target: HomeChange) => {
      refreshHomesConcernedBy(posts, target).catch((error) =>
        postingLog().warn({ err: error }, "the Home tabs a change concerns could not be refreshed"),
      );
    };
    const refreshingAfter =
      <A, R>(run: (arg: A) => Promise<R>, target: (arg: A, result: R) => HomeChange | null) =>
      async (arg: A): Promise<R> => {
        const result = await run(arg);
        const changed = target(arg, result);
        if (changed) refreshHomes(changed);
        return result;
      };
    return {
      today: () => today(clock),
      now: () => clock.now(),
      deadlineRules,
      caseStatus: (query) => calls.caseStatus(ctx, query),
      caseStatusById: (caseId) => calls.caseStatusById(ctx, caseId),
      search: (request) => calls.search(ctx, request),
      caseById: (caseId) => calls.caseById(ctx, caseId),
      caseHistory: (request) => calls.caseHistory(ctx, request),
      claimSlackDelivery: (keys) => calls.claimSlackDelivery(ctx, keys),
      // The follower's own Home tab lists what they follow (the actor's tab is always refreshed).
      followCase: refreshingAfter(
        (request: FollowRequest) => calls.followCase(ctx, request),
        (_, result) => (result.type === "followed" ? { userIds: [] } : null),
      ),
      unfollowCase: refreshingAfter(
        (request: FollowRequest) => calls.unfollowCase(ctx, request),
        (_, result) => (result.type === "unfollowed" ? { userIds: [] } : null),
      ),
      listFollows: (request) => calls.listFollows(ctx, request),
      digestSettings: (channelId) => calls.digestSettings(ctx, channelId),
      subscribeChannel: (request) => calls.subscribeChannel(ctx, request),
      unsubscribeChannel: (request) => calls.unsubscribeChannel(ctx, request),
      previewDigest: (channelId) => calls.previewDigest(ctx, channelId),
      grantRole: refreshingAfter(
        (request: RoleChange) => calls.grantRole(ctx, request),
        (request, result) => (result.ok ? { userIds: [request.slackUserId] } : null),
      ),
      revokeRole: refreshingAfter(
        (request: RoleChange) => calls.revokeRole(ctx, request),
        (request, result) => (result.ok ? { userIds: [request.slackUserId] } : null),
      ),
      listRoles: (filter) => calls.listRoles(ctx, filter),
      prepareRemiss: (query) => calls.prepareRemiss(ctx, query),
      sendOnRemiss: refreshingAfter(
        (remiss: RemissRequest) => calls.sendOnRemiss(ctx, remiss),
        (_, result) => (result.ok ? { caseId: result.caseId } : null),
      ),
      approveResponse: refreshingAfter(
        (responseId: number) => calls.approveResponse(ctx, responseId),
        (responseId, result) => (result.ok || result.type === "already_decided" ? { responseId } : null),
      ),
      prepareRejection: (responseId) => calls.prepareRejection(ctx, responseId),
      rejectResponse: refreshingAfter(
        (request: { responseId: number; reason: string }) => calls.rejectResponse(ctx, request),
        (request, result) =>
          result.ok || result.type === "already_decided" ? { responseId: request.responseId } : null,
      ),
      prepareResponse: (target) => calls.prepareResponse(ctx, target),
      recordResponse: refreshingAfter(
        (response: ResponseRequest) => calls.recordResponse(ctx, response),
        (_, result) => (result.ok ? { caseId: result.referral.caseId } : null),
      ),
      showHome: () => showHome(posts, { userId: sender.userId }),
      deliverRemissNotices: (request) => deliverRemissNotices(posts, request),
      requestApproval: ({ recorded }) => requestApproval(posts, { recorded }),
      announceDecision: (request) => announceDecision({ posting }, request),
      showDecision: (request) => showDecision({ posting }, request),
      mentionedCases: (text) => calls.mentionedCases(ctx, text),
      linkPreviews: (urls) =>
        unfurlDomains.length === 0 ? Promise.resolve([]) : calls.linkPreviews(ctx, urls),
      // Only reading the report is admitted: rendering and uploading wait for Slack, not the database.
      shareMotionReport: async ({ channelId, per }) => {
        const read = await calls.motionReport(ctx, per);
        if (!read.ok) return read;
        return uploadMotionReport({ report: read.report, channelId, uploader });
      },
      scheduleReport: (request) => calls.scheduleReport(ctx, request),
      unscheduleReport: (request) => calls.unscheduleReport(ctx, request),
      reportSchedule: (channelId) => calls.reportSchedule(ctx, channelId),
    };
  };
}
