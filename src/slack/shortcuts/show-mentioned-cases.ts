import type { AllMiddlewareArgs, MessageShortcut, SlackShortcutMiddlewareArgs } from "@slack/bolt";
import type { SlackMessage } from "../blocks/message.js";
import { moreMentionedMessage, noIdentifierInMessage } from "../blocks/motion-report.js";
import { registryProblemMessage } from "../blocks/replies.js";
import type { SlackDeps } from "../deps.js";
import { statusReply } from "../status-reply.js";

/** The message shortcut's callback id (manifest.json's shortcut must say the same). */
export const SHOW_CASE_SHORTCUT = "visa_arende";

/**
 * "Visa ärendet" on any message: the cards of the cases its text names, to the one who asked only
 * (through response_url, an ephemeral message in that conversation). So, as for `/arende status`, the
 * asker's own access decides: an entitled person sees a restricted case in full, anyone else its
 * public data. Acknowledged first: the lookups may take longer than Slack waits.
 */
export function showMentionedCases({ servicesFor }: SlackDeps) {
  return async ({
    shortcut,
    ack,
    respond,
    logger,
  }: SlackShortcutMiddlewareArgs<MessageShortcut> & AllMiddlewareArgs) => {
    await ack();
    const services = servicesFor({
      userId: shortcut.user.id,
      name: shortcut.user.username ?? shortcut.user.name,
    });
    const answer = (message: SlackMessage) =>
      respond({ response_type: "ephemeral", replace_original: false, ...message });
    let mentioned: Awaited<ReturnType<typeof services.mentionedCases>>;
    try {
      mentioned = await services.mentionedCases(messageText(shortcut.message));
    } catch (error) {
      logger.error("looking up the cases of a message failed", error);
      return void (await answer(registryProblemMessage(error)));
    }
    if (mentioned.lookups.length === 0) return void (await answer(noIdentifierInMessage()));
    const today = services.today();
    // One answer per case: a card can fill most of a message's 50 blocks (response_url takes five).
    for (const { result } of mentioned.lookups) {
      await answer(statusReply(result, { place: "private", today }).message);
    }
    const more = moreMentionedMessage(mentioned);
    if (more) await answer(more);
  };
}

/**
 * All the text a message shows: its text, its attachments' and its blocks' (a digest, a card or
 * another app's message may carry the case numbers only in blocks), and its links.
 */
export function messageText(message: unknown): string {
  const parts: string[] = [];
  const visit = (value: unknown, key: string | null) => {
    if (typeof value === "string") {
      if (key === "text" || key === "url" || key === "fallback" || key === "pretext" || key === "title") {
        parts.push(value);
      }
      return;
    }
    if (Array.isArray(value)) for (const item of value) visit(item, key);
    else if (typeof value === "object" && value !== null) {
      for (const [inner, child] of Object.entries(value)) visit(child, inner);
    }
  };
  const { text, attachments, blocks } = message as {
    text?: unknown;
    attachments?: unknown;
    blocks?: unknown;
  };
  visit(text, "text");
  visit(attachments, null);
  visit(blocks, null);
  return parts.join("\n");
}
