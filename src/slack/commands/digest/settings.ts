import { settingsCardMessage } from "../../blocks/digest-subscription.js";
import type { RequestDeps } from "../../deps.js";
import { answerInTime, type CommandArgs } from "../answer-in-time.js";

/** `/arende digest inställningar`: the channel's settings as a card, to the asker only. Anyone may ask. */
export async function settingsCommand({ services }: RequestDeps, args: CommandArgs): Promise<void> {
  await answerInTime(
    args,
    services.digestSettings(args.command.channel_id).then(settingsCardMessage),
    "digest settings",
  );
}
