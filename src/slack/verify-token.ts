import { LogLevel, WebClient } from "@slack/web-api";
import { StartupError } from "../startup-error.js";

/** Slack's answers to auth.test that mean the token itself is wrong, not that Slack is away. */
const REFUSED = new Set(["invalid_auth", "not_authed", "account_inactive", "token_revoked", "token_expired"]);

export type BotIdentity = { botUserId: string; botId: string };

/**
 * Asks Slack who the token belongs to before the bot serves anyone. Bolt would otherwise ask on its
 * own after start-up, report the bot as running, and end the process when Slack refuses the token.
 */
export async function verifyBotToken({
  botToken,
  apiUrl,
}: {
  botToken: string;
  apiUrl: string | undefined;
}): Promise<BotIdentity> {
  const client = new WebClient(botToken, {
    ...(apiUrl ? { slackApiUrl: apiUrl } : {}),
    retryConfig: { retries: 2, factor: 1, minTimeout: 500, maxTimeout: 1_000 },
    timeout: 5_000,
    logLevel: LogLevel.ERROR,
  });
  const where = apiUrl ?? "https://slack.com/api/";
  let answer: Awaited<ReturnType<typeof client.auth.test>>;
  try {
    answer = await client.auth.test();
  } catch (error) {
    const slackError = (error as { data?: { error?: string } }).data?.error;
    if (slackError && REFUSED.has(slackError)) {
      throw new StartupError(
        `Slack refused SLACK_BOT_TOKEN (${slackError}).`,
        "Set it to the app's current Bot User OAuth Token (xoxb-…) from the Slack app's OAuth & Permissions page; reinstall the app if the token was revoked.",
      );
    }
    const reason = slackError ?? (error as { message?: string }).message ?? String(error);
    throw new StartupError(
      `Slack's Web API at ${where} could not confirm SLACK_BOT_TOKEN (${reason}).`,
      "Check the network or proxy between this machine and Slack, and SLACK_API_URL if it is set.",
    );
  }
  if (!answer.user_id || !answer.bot_id) {
    throw new StartupError(
      "SLACK_BOT_TOKEN is not a bot token (Slack's auth.test names no bot user).",
      "Use the Bot User OAuth Token (xoxb-…) from the Slack app's OAuth & Permissions page.",
    );
  }
  return { botUserId: answer.user_id, botId: answer.bot_id };
}
