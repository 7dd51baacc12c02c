import { today } from "../../clock.js";
import { recordAudit } from "../audit/audit.repository.js";
import { isEntitled } from "../cases/audience.js";
import type { RequestContext, SlackActor } from "../shared/context.js";
import { FOLLOW_ERRORS } from "./errors.js";
import {
  type FollowedCaseRef,
  type FollowerRequest,
  type FollowTarget,
  resolveFollowTarget,
  type TargetProblem,
} from "./follow-target.js";
import { END_OF_TRANSACTION, type Follower, feedHorizon, insertFollow } from "./follows.repository.js";

export type FollowCaseResult =
  | TargetProblem
  | { type: "followed"; case: FollowedCaseRef; follower: Follower };

/**
 * `/arende bevaka <identifier> [kanal]` and the card's Bevaka button. A person follows a case by DM;
 * a channel follows it when an admin or a registrator says so. A restricted case is followed only by
 * a person entitled to it (the audience rule's `isEntitled`), never by a channel, since a channel's
 * readers cannot be checked; the refusal names the case by its identifier only.
 *
 * The follow starts at the audit trail's horizon (every transaction that has ended): what happened
 * before is not news, and a change still being written when the follow began is told.
 */
export async function followCase(
  ctx: RequestContext<SlackActor>,
  request: { target: FollowTarget; follower: FollowerRequest },
): Promise<FollowCaseResult> {
  const resolved = await resolveFollowTarget(ctx, request);
  if (resolved.type !== "resolved") return resolved;
  const { details, follower, ref } = resolved;
  if (details.restricted) {
    if (follower.kind === "channel") {
      return {
        type: "refused",
        error: { code: FOLLOW_ERRORS.channelRestricted, params: { case: ref.label } },
      };
    }
    if (!isEntitled(await ctx.roles(), details)) {
      return { type: "refused", error: { code: FOLLOW_ERRORS.notEntitled, params: { case: ref.label } } };
    }
  }
  const at = ctx.clock.now();
  const created = await ctx.db.transaction(async (tx) => {
    const horizon = await feedHorizon(tx);
    const row = await insertFollow(tx, {
      caseId: details.id,
      followerKind: follower.kind,
      followerId: follower.id,
      createdBy: ctx.actor.userId,
      createdAt: at,
      toldTxid: horizon - 1,
      toldEventId: END_OF_TRANSACTION,
      deadlinesToldBefore: today(ctx.clock),
    });
    if (!row) return null;
    await recordAudit(tx, {
      actor: ctx.actor,
      at,
      entries: [
        {
          action: "case_follow.created",
          entityType: "case_follow",
          entityId: row.id,
          changes: { case_id: details.id, follower_kind: follower.kind, follower_id: follower.id },
        },
      ],
    });
    return row;
  });
  if (!created) {
    return {
      type: "refused",
      error: {
        code: FOLLOW_ERRORS.alreadyFollowing,
        params: { case: ref.label, who: follower.kind === "user" ? "du" : "kanalen" },
      },
    };
  }
  return { type: "followed", case: ref, follower };
}
