import type { KnownBlock } from "@slack/types";
import { say } from "../../messages/sv.js";
import type { FollowCaseResult } from "../../modules/follows/follow-case.js";
import type { FollowedCase } from "../../modules/follows/list-follows.js";
import type { UnfollowCaseResult } from "../../modules/follows/unfollow-case.js";
import { formatStockholmTime } from "../../modules/shared/swedish-time.js";
import type { SlackMessage } from "./message.js";
import { escapeAndShorten, escapeMrkdwn, SLACK_LIMITS, shorten } from "./mrkdwn.js";
import { invalidIdentifierMessage, notFoundMessage } from "./replies.js";

const TITLE_MAX = 200;

/** What the asker reads after `bevaka` or the Bevaka button. */
export function followReply(result: FollowCaseResult): SlackMessage {
  switch (result.type) {
    case "invalid":
    case "not_found":
      return lookupProblem(result, "bevaka");
    case "refused":
      return line(`:no_entry_sign: ${escapeMrkdwn(say(result.error))}`, say(result.error));
    case "followed": {
      const { label, title } = result.case;
      const named = `${escapeMrkdwn(label)} «${escapeAndShorten(title, TITLE_MAX)}»`;
      const text =
        result.follower.kind === "channel"
          ? `:eyes: Kanalen bevakar nu ${named}. Här kommer ett meddelande när ärendet rör sig (remiss, remissvar, beslut, passerad tidsfrist), högst ett i timmen, och därefter i samma tråd. Sluta med \`/arende sluta bevaka ${escapeMrkdwn(label)} kanal\`.`
          : `:eyes: Du bevakar nu ${named}. Du får ett direktmeddelande när ärendet rör sig (remiss, remissvar, beslut, passerad tidsfrist), högst ett i timmen, och därefter i samma tråd. Sluta med \`/arende sluta bevaka ${escapeMrkdwn(label)}\`.`;
      return line(text, `Bevakar nu ${label}.`);
    }
  }
}

export function unfollowReply(result: UnfollowCaseResult): SlackMessage {
  switch (result.type) {
    case "invalid":
    case "not_found":
      return lookupProblem(result, "sluta bevaka");
    case "refused":
      return line(`:no_entry_sign: ${escapeMrkdwn(say(result.error))}`, say(result.error));
    case "unfollowed": {
      const who = result.follower.kind === "channel" ? "Kanalen" : "Du";
      const text = `${who} bevakar inte längre ${escapeMrkdwn(result.case.label)}.`;
      return line(text, text);
    }
  }
}

/** `/arende bevakningar`: the asker's follows and the channel's, each with its newest change. */
export function followListMessage({
  mine,
  channel,
  inChannel,
}: {
  mine: FollowedCase[];
  channel: FollowedCase[];
  inChannel: boolean;
}): SlackMessage {
  const blocks: KnownBlock[] = [];
  const section = (title: string, cases: FollowedCase[], none: string) => {
    const lines = cases.map(followLine);
    const text = [title, ...(lines.length > 0 ? lines : [none])].join("\n");
    blocks.push({ type: "section", text: { type: "mrkdwn", text: shorten(text, SLACK_LIMITS.sectionText) } });
  };
  section(
    "*Du bevakar*",
    mine,
    "Inga ärenden. Bevaka ett med `/arende bevaka Dnr 108-1642/2017` eller knappen *Bevaka* på ärendekortet.",
  );
  if (inChannel) {
    section(
      "*Kanalen bevakar*",
      channel,
      "Inga ärenden. En registrator eller administratör kan skriva `/arende bevaka Dnr 108-1642/2017 kanal`.",
    );
  }
  blocks.push({
    type: "context",
    elements: [
      {
        type: "mrkdwn",
        text: "Sluta bevaka med `/arende sluta bevaka <diarienummer>` (lägg till `kanal` för kanalens).",
      },
    ],
  });
  const count = mine.length + (inChannel ? channel.length : 0);
  return { text: count === 0 ? "Inga bevakningar." : `Bevakningar: ${count}`, blocks };
}

function followLine(followed: FollowedCase): string {
  const change = followed.latestChange
    ? ` · senast: ${escapeMrkdwn(followed.latestChange.label.toLowerCase())} ${escapeMrkdwn(formatStockholmTime(followed.latestChange.at))}`
    : "";
  return `• *${escapeMrkdwn(followed.label)}* «${escapeAndShorten(followed.title, TITLE_MAX)}»${change}`;
}

function lookupProblem(
  result: Extract<FollowCaseResult, { type: "invalid" | "not_found" }>,
  verb: "bevaka" | "sluta bevaka",
): SlackMessage {
  const base =
    result.type === "invalid"
      ? invalidIdentifierMessage(result.error)
      : notFoundMessage(result.identifier, result.suggestions);
  const hint = `Skriv ärendets diarienummer eller dokumentnummer, till exempel \`/arende ${verb} Dnr 108-1642/2017\`.`;
  return {
    text: `${base.text} ${hint}`,
    blocks: [...base.blocks, { type: "context", elements: [{ type: "mrkdwn", text: hint }] }],
  };
}

function line(mrkdwn: string, text: string): SlackMessage {
  return { text, blocks: [{ type: "section", text: { type: "mrkdwn", text: mrkdwn } }] };
}
