import { createHash } from "node:crypto";
import { type PostingContext, postingLog } from "../posting/post-copies.js";
import { postErrorCode } from "../posting/poster.js";
import { getHome } from "./get-home.js";
import {
  claimPublication,
  forgetHomeUser,
  forgetPublication,
  homeUsers,
  rememberHomeOpened,
  usersConcernedBy,
} from "./home.repository.js";

/**
 * The Home tab is published when its user opens it, and again whenever what it shows changes. What
 * was last published is kept as a hash beside the user (home_tabs): a cache of what Slack shows, not
 * registry data, so its updates are not audited. A refresh publishes only a view whose hash differs,
 * and claims it with a conditional update first, so replicas refreshing together publish it once.
 */

/**
 * `app_home_opened`: the tab of the user who opened it, published every time it is opened. The stored
 * hash says what was last sent, not what Slack shows: two replicas' publications may land in the
 * other order, and the older view would then stay until the next change. Opening the tab mends it.
 */
export async function showHome(ctx: PostingContext, { userId }: { userId: string }): Promise<void> {
  await ctx.posting.admit("home.opened", () =>
    rememberHomeOpened(ctx.db, { slackUserId: userId, at: ctx.clock.now() }),
  );
  await publishHome(ctx, { userId, force: true });
}

/**
 * The tabs of those who have opened theirs (of `userIds`, or all): after a change in Slack that
 * concerns them, and on a schedule for what changes without Slack (imports, sync, a due date passing).
 * Answers how many were published; one user's failure does not stop the others.
 */
export async function refreshHomes(
  ctx: PostingContext,
  { userIds }: { userIds?: string[] } = {},
): Promise<{ published: number }> {
  const users = await ctx.posting.admit("home.users", () =>
    homeUsers(ctx.db, userIds ? { among: [...new Set(userIds)] } : {}),
  );
  let published = 0;
  for (const userId of users) {
    try {
      if (await publishHome(ctx, { userId, force: false })) published += 1;
    } catch (error) {
      postingLog().warn({ err: error, user: userId }, "a Home tab could not be refreshed");
    }
  }
  return { published };
}

async function publishHome(
  ctx: PostingContext,
  { userId, force }: { userId: string; force: boolean },
): Promise<boolean> {
  const content = await ctx.posting.admit("home.read", () => getHome(ctx, { userId }));
  const view = ctx.posting.render.home(content);
  const hash = createHash("sha256").update(JSON.stringify(view)).digest("base64url");
  const claimed = await ctx.posting.admit("home.claim", () =>
    claimPublication(ctx.db, { slackUserId: userId, hash, at: ctx.clock.now() }),
  );
  if (!claimed && !force) return false;
  try {
    await ctx.posting.poster.publishHome(userId, view);
    return true;
  } catch (error) {
    const code = postErrorCode(error);
    postingLog().warn({ code, user: userId }, "Slack did not take a Home tab");
    // A user who has left is not published to again; one who comes back opens the tab anew.
    const gone = code === "user_not_found" || code === "account_inactive";
    await ctx.posting.admit("home.forget", () =>
      gone
        ? forgetHomeUser(ctx.db, { slackUserId: userId })
        : forgetPublication(ctx.db, { slackUserId: userId, hash }),
    );
    return false;
  }
}

/** What a change made in Slack touched: a case, a remissvar's case, or users themselves (their roles). */
export type HomeChange = { caseId: number } | { responseId: number } | { userIds: string[] };

/** After a change made in Slack: the tabs of those it concerns (see usersConcernedBy), the actor's too. */
export async function refreshHomesConcernedBy(
  ctx: PostingContext,
  change: HomeChange,
): Promise<{ published: number }> {
  const userIds =
    "userIds" in change
      ? [...change.userIds]
      : await ctx.posting.admit("home.concerned", () => usersConcernedBy(ctx.db, change));
  if (ctx.actor.type === "slack_user") userIds.push(ctx.actor.userId);
  return refreshHomes(ctx, { userIds });
}
