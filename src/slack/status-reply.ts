import { type Audience, audienceFor, IN_CHANNEL } from "../modules/cases/audience.js";
import type { CaseStatusResult } from "../modules/cases/get-case-status.js";
import { caseLabel, presentCase } from "../modules/cases/present-case.js";
import { deepFreeze } from "../modules/shared/deep-freeze.js";
import { caseCardMessage } from "./blocks/case-card.js";
import type { SlackMessage } from "./blocks/message.js";
import { escapeMrkdwn } from "./blocks/mrkdwn.js";
import { invalidIdentifierMessage, notFoundMessage } from "./blocks/replies.js";

export type StatusReply = {
  /** What goes where the question was asked. */
  message: SlackMessage;
  /** The full card of a restricted case, for the asker's eyes only, when they may see it. */
  privateCard: SlackMessage | null;
};

/**
 * Turns a status answer into messages. `place` says who sees the answer: an ephemeral slash-command
 * reply is private; a thread or a DM message is a channel.
 */
export function statusReply(
  result: CaseStatusResult,
  { place, today }: { place: "channel" | "private"; today: string },
): StatusReply {
  if (result.type !== "found" || !Object.isFrozen(result.cases))
    return buildStatusReply(result, { place, today });
  // A cached lookup hands out the same frozen cases until they change: their reply is kept with them.
  const [details] = result.cases;
  const variant = `${place} ${today} ${details !== undefined && result.fullAccess.has(details.id)}`;
  let replies = repliesOfCases.get(result.cases);
  if (!replies) {
    replies = new Map();
    repliesOfCases.set(result.cases, replies);
  }
  let reply = replies.get(variant);
  if (!reply) {
    reply = deepFreeze(buildStatusReply(result, { place, today }));
    replies.set(variant, reply);
  }
  return reply;
}

const repliesOfCases = new WeakMap<readonly object[], Map<string, StatusReply>>();

function buildStatusReply(
  result: CaseStatusResult,
  { place, today }: { place: "channel" | "private"; today: string },
): StatusReply {
  if (result.type === "invalid")
    return { message: invalidIdentifierMessage(result.error), privateCard: null };
  if (result.type === "not_found") {
    return { message: notFoundMessage(result.identifier, result.suggestions), privateCard: null };
  }
  const [details, ...others] = result.cases;
  if (!details) return { message: notFoundMessage("det numret", []), privateCard: null };
  if (others.length > 0) return { message: severalRegistriesMessage(result.cases), privateCard: null };

  // The asker's audience was decided by the use case; a channel's needs no asker.
  const forAsker: Audience = result.fullAccess.has(details.id) ? "full" : "public";
  const audience = place === "channel" ? audienceFor(IN_CHANNEL, details) : forAsker;
  const card = presentCase(details, { today, audience });
  const message = caseCardMessage(card, { shareable: place === "private", history: true, follow: true });
  const privateCard =
    audience === "public" && forAsker === "full"
      ? caseCardMessage(presentCase(details, { today, audience: forAsker }), { history: true, follow: true })
      : null;
  return { message, privateCard };
}

function severalRegistriesMessage(
  cases: Extract<CaseStatusResult, { type: "found" }>["cases"],
): SlackMessage {
  const lines = cases.map(
    (details) =>
      `• ${escapeMrkdwn(details.registry.name)}: ${escapeMrkdwn(caseLabel(details))} ${escapeMrkdwn(details.publicTitle)}`,
  );
  const text = `Numret finns i flera diarier:\n${lines.join("\n")}`;
  return { text, blocks: [{ type: "section", text: { type: "mrkdwn", text } }] };
}
