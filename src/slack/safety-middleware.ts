import { randomBytes } from "node:crypto";
import type { AnyMiddlewareArgs, Middleware } from "@slack/bolt";
import type { View } from "@slack/types";
import { isRegistryError } from "../modules/shared/availability.js";
import { markRequest } from "../observability/metrics.js";
import type { SlackMessage } from "./blocks/message.js";
import { registryProblemMessage, unexpectedErrorMessage } from "./blocks/replies.js";
import { tellPrivately } from "./payload.js";

type Args = Parameters<Middleware<AnyMiddlewareArgs>>[0];
type Body = Record<string, unknown> & {
  type?: string;
  user?: { id?: string };
  user_id?: string;
  channel?: { id?: string };
  channel_id?: string;
  event?: { channel?: string; user?: string; ts?: string; thread_ts?: string };
  response_url?: string;
};

/**
 * The last line of defence: an error a listener did not expect is logged with a short reference,
 * Slack's request is acknowledged if the listener had not done so, and the person who asked is told
 * in Swedish, with the reference, instead of Slack's "did not respond". Nothing is rethrown, so no
 * single request can end the process.
 */
export function answerUnexpectedErrors(): Middleware<AnyMiddlewareArgs> {
  return async (args) => {
    try {
      await args.next();
    } catch (error) {
      const reference = randomBytes(3).toString("hex").toUpperCase();
      args.logger.error(`unexpected error (reference ${reference})`, error);
      // A registry refusal was counted as busy or unavailable when it was made.
      if (!isRegistryError(error)) markRequest("error");
      const message = isRegistryError(error)
        ? registryProblemMessage(error)
        : unexpectedErrorMessage(reference);
      try {
        await tellAboutFailure(args, message);
      } catch (telling) {
        args.logger.warn(`could not tell the user about the error (reference ${reference})`, telling);
      }
    }
  };
}

async function tellAboutFailure(args: Args, message: SlackMessage): Promise<void> {
  const body = args.body as Body;
  if ("ack" in args && typeof args.ack === "function") {
    const ack = args.ack as (response?: unknown) => Promise<void>;
    const answer =
      body.type === "view_submission"
        ? { response_action: "update", view: failureView(message) }
        : body.type === undefined && typeof body.command === "string"
          ? { response_type: "ephemeral", ...message }
          : undefined;
    try {
      await ack(answer);
      // The ack itself carried the message.
      if (answer) return;
    } catch {
      // Already acknowledged by the listener before it failed.
    }
  }
  if ("respond" in args && typeof args.respond === "function" && body.response_url) {
    await args.respond({ response_type: "ephemeral", replace_original: false, ...message });
    return;
  }
  const user = body.user?.id ?? body.user_id ?? body.event?.user;
  if (!user) return;
  const channel = body.channel?.id ?? body.channel_id ?? body.event?.channel;
  await tellPrivately(
    { client: args.client, logger: args.logger },
    { channel, user },
    message,
    "error notice",
  );
}

function failureView(message: SlackMessage): View {
  return {
    type: "modal",
    title: { type: "plain_text", text: "arendebot" },
    close: { type: "plain_text", text: "Stäng" },
    blocks: message.blocks,
  };
}
