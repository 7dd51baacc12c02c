import { today } from "../../clock.js";
import { may } from "../access/permissions.js";
import type { UserRoles } from "../access/roles.js";
import { type Audience, audienceFor, personReading, titleFor } from "../cases/audience.js";
import type { CaseKind, CaseStatus } from "../cases/case-kinds.js";
import { caseLabel } from "../cases/present-case.js";
import { listFollowedCases } from "../follows/list-follows.js";
import { type RequestContext, rolesOfUser } from "../shared/context.js";
import {
  casesOfOfficer,
  type HomeCaseRow,
  type Listed,
  openReferralsTo,
  pendingApprovalsFor,
} from "./home.repository.js";

/**
 * How many of each list the Home tab shows. Slack allows 100 blocks in a view; these, with an
 * approval taking two blocks and the headings, stay well below it. The rest is counted ("och 4 till").
 */
export const HOME_LIMITS = { toAnswer: 15, toApprove: 10, followed: 15, mine: 15 } as const;

/** A case as the Home tab's reader may read it. */
export type HomeCase = {
  caseId: number;
  /** "Dnr 108-1642/2017", else the case's first other identifier ("Motion 2016:114"). */
  label: string;
  title: string;
  kind: CaseKind;
  status: CaseStatus;
  audience: Audience;
};

export type ReferralToAnswer = HomeCase & {
  bodyName: string;
  dueOn: string | null;
  overdue: boolean;
  /** A remissvar is recorded and waits for approval: shown, without the button to record another. */
  awaitingApproval: boolean;
};

export type ResponseToApprove = HomeCase & {
  responseId: number;
  bodyName: string;
  declined: boolean;
  /** The Slack user who recorded it, else the name the registry gives. */
  submittedBy: { userId: string } | { name: string } | null;
  submittedAt: Date;
};

export type OwnCase = HomeCase & { raisedOn: string | null };

/** A case the user follows (bevakar), as they may read it, with its newest change. */
export type FollowedHomeCase = Pick<HomeCase, "caseId" | "label" | "title" | "audience"> & {
  latestChange: { label: string; at: Date } | null;
};

/** Everything the Home tab shows one user, each case as the audience rule lets them read it. */
export type HomeContent = {
  userId: string;
  today: string;
  /** False for someone with no role: the tab then says how roles are given. */
  hasRoles: boolean;
  toAnswer: Listed<ReferralToAnswer>;
  toApprove: Listed<ResponseToApprove>;
  followed: Listed<FollowedHomeCase>;
  mine: Listed<OwnCase>;
};

/** The Home tab of `userId` (the actor opening it, or anyone a change concerns). */
export async function getHome(ctx: RequestContext, { userId }: { userId: string }): Promise<HomeContent> {
  const roles = await rolesOfUser(ctx, userId);
  const bodyIds = [...roles.byBody.keys()];
  const answering = bodyIds.filter((bodyId) => may(roles, "record_response", bodyId));
  const approving = bodyIds.filter((bodyId) => may(roles, "approve_response", bodyId));
  const day = today(ctx.clock);
  const [referrals, approvals, own, follows] = await Promise.all([
    openReferralsTo(ctx.db, { bodyIds: answering, limit: HOME_LIMITS.toAnswer }),
    pendingApprovalsFor(ctx.db, { bodyIds: approving, limit: HOME_LIMITS.toApprove }),
    casesOfOfficer(ctx.db, { slackUserId: userId, limit: HOME_LIMITS.mine }),
    listFollowedCases({ ctx, userId }),
  ]);
  // The case that moved last first: what the user follows cases for.
  const followed = [...follows].sort(
    (a, b) => (b.latestChange?.at.getTime() ?? 0) - (a.latestChange?.at.getTime() ?? 0),
  );
  return {
    userId,
    today: day,
    hasRoles: roles.isAdmin || bodyIds.length > 0,
    toAnswer: {
      total: referrals.total,
      rows: referrals.rows.map((row) => ({
        ...homeCase(roles, row),
        bodyName: row.bodyName,
        dueOn: row.dueOn,
        overdue: row.dueOn !== null && row.dueOn < day && !row.awaitingApproval,
        awaitingApproval: row.awaitingApproval,
      })),
    },
    toApprove: {
      total: approvals.total,
      rows: approvals.rows.map((row) => ({
        ...homeCase(roles, row),
        responseId: row.responseId,
        bodyName: row.bodyName,
        declined: row.responseKind === "declined",
        submittedBy: row.submittedBySlackUserId
          ? { userId: row.submittedBySlackUserId }
          : row.submittedByName
            ? { name: row.submittedByName }
            : null,
        submittedAt: row.submittedAt,
      })),
    },
    followed: {
      total: followed.length,
      rows: followed.slice(0, HOME_LIMITS.followed).map((follow) => ({
        caseId: follow.caseId,
        label: follow.label,
        title: follow.title,
        audience: follow.audience,
        latestChange: follow.latestChange
          ? { label: follow.latestChange.label, at: follow.latestChange.at }
          : null,
      })),
    },
    mine: {
      total: own.total,
      rows: own.rows.map((row) => ({ ...homeCase(roles, row), raisedOn: row.raisedOn })),
    },
  };
}

function homeCase(roles: UserRoles, row: HomeCaseRow): HomeCase {
  const audience = audienceFor(personReading(roles), {
    restricted: row.restricted,
    officerSlackUserId: row.officerSlackUserId,
    responsibleBody: row.responsibleBodyId === null ? null : { id: row.responsibleBodyId },
  });
  return {
    caseId: row.caseId,
    label: caseLabel({
      id: row.caseId,
      dnr: row.dnr,
      identifiers: row.firstIdentifier ? [row.firstIdentifier] : [],
    }),
    title: titleFor(audience, row),
    kind: row.kind,
    status: row.status,
    audience,
  };
}
