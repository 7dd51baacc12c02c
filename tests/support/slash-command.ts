import { WORKING_TEXT } from "../../src/slack/commands/answer-in-time.js";
import type { BotUnderTest } from "./running-bot.js";
import { formBody, sendSigned } from "./signed-request.js";

export type SlackAnswer = { response_type?: string; text: string; blocks: unknown[] };

let sent = 0;

/**
 * Sends `/arende <text>` the way Slack does (signed form body, shaped like
 * slack-payloads/slash_command.form.txt) and returns the answer the asker sees: the ack's body, or,
 * when the ack only says the bot is working on it, what arrived at the command's response_url.
 * A command that answers by opening a modal acks with an empty body: `answer` is then null.
 */
export async function sendArende(
  bot: BotUnderTest,
  text: string,
  {
    user = "W111",
    userName = user.toLowerCase(),
    channel = "C111",
    triggerId,
  }: { user?: string; userName?: string; channel?: string; triggerId?: string } = {},
): Promise<{ answer: SlackAnswer | null; responsePath: string }> {
  sent += 1;
  const responseId = `arende-${sent}`;
  const response = await sendSigned(
    bot.eventsUrl,
    formBody({
      token: "verification_token",
      team_id: "T111",
      team_domain: "test-domain",
      channel_id: channel,
      channel_name: "kanal",
      user_id: user,
      user_name: userName,
      command: "/arende",
      text,
      response_url: bot.slack.responseUrl(responseId),
      trigger_id: triggerId ?? `111.${sent}.trigger`,
    }),
    { contentType: "application/x-www-form-urlencoded" },
  );
  if (response.status !== 200) throw new Error(`/arende ${text} was answered with HTTP ${response.status}`);
  const raw = await response.text();
  const acked = raw === "" ? null : (JSON.parse(raw) as SlackAnswer);
  const responsePath = `/response/${responseId}`;
  if (acked?.text !== WORKING_TEXT) return { answer: acked, responsePath };
  const [late] = await bot.slack.waitForCalls(responsePath, 1);
  return { answer: late?.body as SlackAnswer, responsePath };
}
