import { previewMessages } from "../../blocks/digest-subscription.js";
import type { SlackMessage } from "../../blocks/message.js";
import { textMessage } from "../../blocks/message.js";
import type { RequestDeps } from "../../deps.js";
import { answerInTime, type CommandArgs } from "../answer-in-time.js";

/** Slack accepts five messages through one response_url. */
const RESPONSE_URL_USES = 5;

/**
 * `/arende digest visa`: the digest as of today with the channel's filter, to the asker only. The
 * first message answers the command; the others follow as further private messages.
 */
export async function previewCommand({ services }: RequestDeps, args: CommandArgs): Promise<void> {
  const messages: Promise<SlackMessage[]> = services
    .previewDigest(args.command.channel_id)
    .then(({ digest, settings }) => previewMessages(digest, settings, services.deadlineRules));
  const way = await answerInTime(
    args,
    messages.then((list) => list[0] ?? textMessage("Inga försenade ärenden.")),
    "digest preview",
  );
  const rest = (await messages.catch(() => [])).slice(1);
  const budget = RESPONSE_URL_USES - (way === "response_url" ? 1 : 0);
  const shown = rest.length > budget ? rest.slice(0, budget - 1) : rest;
  for (const message of shown) {
    await args.respond({ response_type: "ephemeral", replace_original: false, ...message });
  }
  if (shown.length < rest.length) {
    await args.respond({
      response_type: "ephemeral",
      replace_original: false,
      ...textMessage(
        `Förhandsvisningen visar de första ${shown.length + 1} delarna av ${rest.length + 1}; hela utskicket postas i kanalen på schemalagd tid.`,
      ),
    });
  }
}
