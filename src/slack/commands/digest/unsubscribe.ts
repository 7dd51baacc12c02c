import {
  digestErrorMessage,
  subscriptionNotice,
  unsubscribedMessage,
} from "../../blocks/digest-subscription.js";
import type { RequestDeps } from "../../deps.js";
import { answerInTime, type CommandArgs, postNotice } from "../answer-in-time.js";

/** `/arende digest avsluta`: the asker gets a private confirmation; the channel one visible line. */
export async function unsubscribeCommand({ services }: RequestDeps, args: CommandArgs): Promise<void> {
  const { command } = args;
  const result = services.unsubscribeChannel({ channelId: command.channel_id });
  await answerInTime(
    args,
    result.then((outcome) => (outcome.ok ? unsubscribedMessage() : digestErrorMessage(outcome.error))),
    "digest unsubscription",
  );
  const outcome = await result.catch(() => null);
  if (outcome?.ok) await postNotice(args, subscriptionNotice("ended", command.user_id, outcome.ended));
}
