import { may } from "../access/permissions.js";
import type { UserRoles } from "../access/roles.js";
import { type Audience, audienceFor, IN_CHANNEL, personReading } from "../cases/audience.js";
import type { CaseDetails, CaseSummary } from "../cases/case-details.js";
import { findCaseStatus, getCaseById } from "../cases/get-case-status.js";
import { caseLabel } from "../cases/present-case.js";
import type { IdentifierParseError } from "../identifiers/parse-identifier.js";
import type { RequestContext, SlackActor } from "../shared/context.js";
import { FOLLOW_ERRORS, type FollowError } from "./errors.js";
import type { Follower } from "./follows.repository.js";

/** The case a follow command names: as typed (`bevaka Dnr …`), or by id (the card's Bevaka button). */
export type FollowTarget = { query: string } | { caseId: number };

/** Who is to follow: the one who asks (told by DM), or the channel the command was typed in. */
export type FollowerRequest = { kind: "user" } | { kind: "channel"; channelId: string };

/** A followed case as its reader may read it: a restricted case's title only for the entitled. */
export type FollowedCaseRef = { caseId: number; label: string; title: string; audience: Audience };

export type TargetProblem =
  | { type: "invalid"; error: IdentifierParseError }
  | { type: "not_found"; identifier: string; suggestions: CaseSummary[] }
  | { type: "refused"; error: FollowError };

export type ResolvedTarget = {
  type: "resolved";
  details: CaseDetails;
  follower: Follower;
  ref: FollowedCaseRef;
};

/**
 * The case and the follower a follow command is about, with the checks both following and ending a
 * follow share: a channel (not a DM) for `kanal`, and the right to speak for a channel (admins and
 * registrators), asked before the case is looked up, so a refusal tells nothing of it.
 */
export async function resolveFollowTarget(
  ctx: RequestContext<SlackActor>,
  { target, follower }: { target: FollowTarget; follower: FollowerRequest },
): Promise<ResolvedTarget | TargetProblem> {
  let roles: UserRoles | undefined;
  if (follower.kind === "channel") {
    if (!isChannelId(follower.channelId)) return refused({ code: FOLLOW_ERRORS.notInChannel });
    roles = await ctx.roles();
    if (!may(roles, "follow_in_channel")) return refused({ code: FOLLOW_ERRORS.notAllowed });
  }
  let details: CaseDetails;
  if ("query" in target) {
    const found = await findCaseStatus({ db: ctx.db, query: target.query });
    if (found.type !== "found") return found;
    const [only, ...others] = found.cases;
    if (!only) return { type: "not_found", identifier: target.query, suggestions: [] };
    if (others.length > 0) {
      return refused({
        code: FOLLOW_ERRORS.severalRegistries,
        params: { registries: found.cases.map((each) => each.registry.name) },
      });
    }
    details = only;
  } else {
    const byId = await getCaseById(ctx, { caseId: target.caseId });
    if (!byId) return refused({ code: FOLLOW_ERRORS.caseGone });
    details = byId;
  }
  const audience =
    follower.kind === "channel"
      ? audienceFor(IN_CHANNEL, details)
      : audienceFor(personReading(roles ?? (await ctx.roles())), details);
  return {
    type: "resolved",
    details,
    follower:
      follower.kind === "channel"
        ? { kind: "channel", id: follower.channelId }
        : { kind: "user", id: ctx.actor.userId },
    ref: {
      caseId: details.id,
      label: caseLabel(details),
      title: audience === "full" ? details.title : details.publicTitle,
      audience,
    },
  };
}

/** Public and private channels (C…, G…); a DM (D…) has no channel to follow for. */
function isChannelId(channelId: string): boolean {
  return /^[CG][A-Z0-9]+$/.test(channelId);
}

function refused(error: FollowError): TargetProblem {
  return { type: "refused", error };
}
