import type { DigestSettingsInput } from "../../../modules/digests/parse-digest-command.js";
import type { SubscribeResult } from "../../../modules/digests/subscribe-channel.js";
import {
  digestErrorMessage,
  subscribedMessage,
  subscriptionNotice,
} from "../../blocks/digest-subscription.js";
import type { RequestDeps } from "../../deps.js";
import { answerInTime, type CommandArgs, postNotice } from "../answer-in-time.js";

/**
 * `/arende digest prenumerera …`: the asker gets the new settings privately; when something changed,
 * the channel gets one visible line naming who changed it.
 */
export async function subscribeCommand(
  { services }: RequestDeps,
  args: CommandArgs,
  settings: DigestSettingsInput,
): Promise<void> {
  const { command } = args;
  const result = services.subscribeChannel({
    channelId: command.channel_id,
    settings,
  });
  await answerInTime(
    args,
    result.then((outcome) =>
      outcome.ok ? subscribedMessage(outcome.outcome, outcome.settings) : digestErrorMessage(outcome.error),
    ),
    "digest subscription",
  );
  const outcome: SubscribeResult | null = await result.catch(() => null);
  if (outcome?.ok && outcome.outcome !== "unchanged") {
    await postNotice(args, subscriptionNotice(outcome.outcome, command.user_id, outcome.settings));
  }
}
