import { recordAudit } from "../audit/audit.repository.js";
import type { RequestContext, SlackActor } from "../shared/context.js";
import { FOLLOW_ERRORS } from "./errors.js";
import {
  type FollowedCaseRef,
  type FollowerRequest,
  type FollowTarget,
  resolveFollowTarget,
  type TargetProblem,
} from "./follow-target.js";
import { deleteFollow, type Follower } from "./follows.repository.js";

export type UnfollowCaseResult =
  | TargetProblem
  | { type: "unfollowed"; case: FollowedCaseRef; follower: Follower };

/**
 * `/arende sluta bevaka <identifier> [kanal]`: ends the asker's follow, or the channel's (admins and
 * registrators). Anyone may end their own follow, also of a case they are no longer entitled to.
 */
export async function unfollowCase(
  ctx: RequestContext<SlackActor>,
  request: { target: FollowTarget; follower: FollowerRequest },
): Promise<UnfollowCaseResult> {
  const resolved = await resolveFollowTarget(ctx, request);
  if (resolved.type !== "resolved") return resolved;
  const { details, follower, ref } = resolved;
  const at = ctx.clock.now();
  const removed = await ctx.db.transaction(async (tx) => {
    const row = await deleteFollow(tx, { caseId: details.id, follower });
    if (!row) return null;
    await recordAudit(tx, {
      actor: ctx.actor,
      at,
      entries: [
        {
          action: "case_follow.ended",
          entityType: "case_follow",
          entityId: row.id,
          changes: { case_id: details.id, follower_kind: follower.kind, follower_id: follower.id },
        },
      ],
    });
    return row;
  });
  if (!removed) {
    return {
      type: "refused",
      error: {
        code: FOLLOW_ERRORS.notFollowing,
        params: { case: ref.label, who: follower.kind === "user" ? "du" : "kanalen" },
      },
    };
  }
  return { type: "unfollowed", case: ref, follower };
}
