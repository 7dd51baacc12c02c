import { isSlackUserId, type RichText } from "../../modules/shared/rich-text.js";
import { escapeMrkdwn } from "./mrkdwn.js";

/** A sentence naming people, as mrkdwn: a known Slack user is a mention, anyone else a name. */
export function richMrkdwn(text: RichText): string {
  return text
    .map((part) => {
      if (typeof part === "string") return escapeMrkdwn(part);
      const { slackUserId, name } = part.person;
      if (isSlackUserId(slackUserId)) return `<@${slackUserId}>`;
      return escapeMrkdwn(name?.trim() || slackUserId || "okänd");
    })
    .join("");
}
