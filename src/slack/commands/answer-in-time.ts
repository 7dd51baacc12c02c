import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from "@slack/bolt";
import type { SlackMessage } from "../blocks/message.js";
import { registryProblemMessage } from "../blocks/replies.js";

export type CommandArgs = Pick<
  SlackCommandMiddlewareArgs & AllMiddlewareArgs,
  "command" | "ack" | "respond" | "logger"
>;

/** Slack wants an answer within 3 s; work not done by then is answered through response_url. */
const ANSWER_IN_ACK_WITHIN_MS = 1_000;

export const WORKING_TEXT = "Ett ögonblick, jag söker i diariet…";

/**
 * Answers the asker privately with `work`'s message: in the ack when it is ready in time, otherwise
 * through response_url after an ack saying it is on its way. A failure is logged and answered with
 * "the registry does not answer". Says which way the answer went (response_url allows five uses).
 */
export async function answerInTime(
  { ack, respond, logger }: CommandArgs,
  work: Promise<SlackMessage>,
  what: string,
): Promise<"ack" | "response_url"> {
  const answer = work.catch((error: unknown) => {
    logger.error(`${what} failed`, error);
    return registryProblemMessage(error);
  });
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), ANSWER_IN_ACK_WITHIN_MS);
  });
  const quick = await Promise.race([answer, late]);
  clearTimeout(timer);
  if (quick) {
    await ack({ response_type: "ephemeral", ...quick });
    return "ack";
  }
  await ack({ response_type: "ephemeral", text: WORKING_TEXT });
  await respond({ response_type: "ephemeral", replace_original: true, ...(await answer) });
  return "response_url";
}

/**
 * The visible line in the channel, through the command's response_url (which needs no channel
 * membership). The change is already made and confirmed, so a failure here is only logged.
 */
export async function postNotice({ respond, logger }: CommandArgs, notice: SlackMessage): Promise<void> {
  try {
    await respond({ response_type: "in_channel", replace_original: false, ...notice });
  } catch (error) {
    logger.warn("could not post the digest notice in the channel", error);
  }
}
