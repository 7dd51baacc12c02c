import type { KnownBlock, ModalView } from "@slack/types";
import { REGISTRY_TIME_ZONE, stockholmDate } from "../../clock.js";
import { say } from "../../messages/sv.js";
import { formatSwedishDate } from "../../modules/cases/present-case.js";
import type { Decision } from "../../modules/responses/approve-response.js";
import { DECISION_LIMITS, RESPONSE_ERRORS } from "../../modules/responses/errors.js";
import type { ResponseView } from "../../modules/responses/present-response.js";
import { REJECT_REASON_VIEW } from "./approval-ids.js";
import type { SlackMessage } from "./message.js";
import { escapeAndShorten, escapeMrkdwn, SLACK_LIMITS } from "./mrkdwn.js";

/** The reason field of the Avslå form: `response_action: "errors"` answers are keyed by the block id. */
export const REJECT_REASON_BLOCK = "approval_reject_reason";
export const REJECT_REASON_INPUT = "approval_reject_reason.input";

const SUMMARY_MAX = 1500;
const CONTEXT_MAX = 2000;

const clock = new Intl.DateTimeFormat("sv-SE", {
  timeZone: REGISTRY_TIME_ZONE,
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
});

/**
 * When a decision was taken, in Stockholm: "12:03" on the day it is shown (`now`), otherwise
 * "3 april 2017 12:03". Without `now`, always with the date (a message that stays in the channel).
 */
export function formatDecisionTime(at: Date, now?: Date): string {
  const time = clock.format(at);
  const day = stockholmDate(at);
  return now && stockholmDate(now) === day ? time : `${formatSwedishDate(day)} ${time}`;
}

function decider(decision: Decision): string {
  if (decision.bySlackUserId && /^[A-Z0-9]{1,40}$/.test(decision.bySlackUserId))
    return `<@${decision.bySlackUserId}>`;
  return decision.byName ? escapeMrkdwn(decision.byName) : "okänd";
}

/** "Godkänd av <@U> 3 april 2017 10:00" / "Avslagen av <@U> 3 april 2017 10:00: skälet". */
export function decisionLine(decision: Decision, now?: Date): string {
  const verb = decision.state === "approved" ? "Godkänd" : "Avslagen";
  const when = decision.at ? ` ${formatDecisionTime(decision.at, now)}` : "";
  const reason =
    decision.state === "rejected" && decision.reason ? `: ${escapeAndShorten(decision.reason, 1000)}` : "";
  return `${verb} av ${decider(decision)}${when}${reason}`;
}

function subjectText(subject: ResponseView): string {
  const kind = subject.kind === "declined" ? "avstår från att svara" : "remissvar";
  const document = subject.documentTitle ? ` (${escapeMrkdwn(subject.documentTitle)})` : "";
  const answered = subject.answeredOn ? `, daterat ${formatSwedishDate(subject.answeredOn)}` : "";
  const lines = [
    `*${escapeMrkdwn(subject.bodyName)}: ${kind}*${document}${answered}`,
    `${escapeMrkdwn(subject.caseLabel)}: ${escapeAndShorten(subject.caseTitle, 500)}`,
  ];
  if (subject.summary) lines.push(`>${escapeAndShorten(subject.summary, SUMMARY_MAX).replace(/\n/g, "\n>")}`);
  if (subject.link && /^https?:\/\//.test(subject.link)) {
    const target = subject.link
      .slice(0, 2000)
      .replace(/\|/g, "%7C")
      .replace(/>/g, "%3E")
      .replace(/</g, "%3C");
    lines.push(`<${target}|Öppna dokumentet>`);
  }
  if (subject.withheldNotice) lines.push(`_${escapeMrkdwn(subject.withheldNotice)}_`);
  return lines.join("\n").slice(0, SLACK_LIMITS.sectionText);
}

/** The approval request once decided: the same request without its buttons, and who decided when. */
export function decidedApprovalMessage(subject: ResponseView, decision: Decision): SlackMessage {
  const line = decisionLine(decision);
  const icon = decision.state === "approved" ? ":white_check_mark:" : ":x:";
  const blocks: KnownBlock[] = [
    { type: "section", text: { type: "mrkdwn", text: subjectText(subject) } },
    {
      type: "context",
      elements: [{ type: "mrkdwn", text: `${icon} ${line}`.slice(0, CONTEXT_MAX) }],
    },
  ];
  return { text: `${subject.caseLabel}, remissvar från ${subject.bodyName}: ${plain(line)}`, blocks };
}

/** To the one who clicked (or submitted) second: who decided first. */
export function alreadyDecidedNotice(decision: Decision, now: Date): SlackMessage {
  const text = say({
    code: RESPONSE_ERRORS.alreadyDecided,
    params: {
      state: decision.state,
      by: decider(decision),
      when: decision.at ? formatDecisionTime(decision.at, now) : null,
    },
  });
  return { text: plain(text), blocks: [{ type: "section", text: { type: "mrkdwn", text } }] };
}

/** Plain text for a modal's field error, where mrkdwn and mentions are not rendered: the decider's name. */
export function alreadyDecidedError(decision: Decision, now: Date): string {
  return say({
    code: RESPONSE_ERRORS.alreadyDecided,
    params: {
      state: decision.state,
      by: decision.byName ?? decision.bySlackUserId ?? "okänd",
      when: decision.at ? formatDecisionTime(decision.at, now) : null,
    },
  });
}

/** The direct message to the one who recorded the response, naming the case as they may read it. */
export function submitterNotice(subject: ResponseView, decision: Decision): SlackMessage {
  const what = `Ditt remissvar från ${escapeMrkdwn(subject.bodyName)} i ${escapeMrkdwn(subject.caseLabel)} «${escapeAndShorten(subject.caseTitle, 300)}»`;
  const when = decision.at ? ` ${formatDecisionTime(decision.at)}` : "";
  const lines =
    decision.state === "approved"
      ? [
          `:white_check_mark: ${what} har godkänts av ${decider(decision)}${when}.`,
          subject.kind === "declined"
            ? "Remissen är avslutad: instansen avstår från att svara."
            : "Remissen är nu besvarad i diariet.",
        ]
      : [
          `:x: ${what} har avslagits av ${decider(decision)}${when}.`,
          `*Skäl:* ${escapeAndShorten(decision.reason ?? "", DECISION_LIMITS.reasonMaxLength + 200)}`,
          "Remissen är fortfarande öppen; registrera ett nytt svar när det är klart.",
        ];
  const text = lines.join("\n");
  return { text: plain(lines[0] ?? text), blocks: [{ type: "section", text: { type: "mrkdwn", text } }] };
}

/**
 * The line in the responsible body's channel after an approval. (There are no subscriptions to a
 * single case yet; when there are, their channels get the same line.)
 */
export function approvedChannelLine(subject: ResponseView, decision: Decision): SlackMessage {
  const text = `:white_check_mark: ${escapeMrkdwn(subject.caseLabel)} ${escapeAndShorten(subject.caseTitle, 300)}: remissvaret från ${escapeMrkdwn(subject.bodyName)} är godkänt (${decisionLine(decision).replace(/^Godkänd/, "godkänt")}).`;
  return { text: plain(text), blocks: [{ type: "section", text: { type: "mrkdwn", text } }] };
}

/** Avslå's form: the reason is required and goes to the one who recorded the response. */
export function rejectReasonModal(subject: ResponseView): ModalView {
  return {
    type: "modal",
    callback_id: REJECT_REASON_VIEW,
    private_metadata: JSON.stringify({ responseId: subject.responseId }),
    title: { type: "plain_text", text: "Avslå remissvar" },
    submit: { type: "plain_text", text: "Avslå" },
    close: { type: "plain_text", text: "Avbryt" },
    blocks: [
      { type: "section", text: { type: "mrkdwn", text: subjectText(subject) } },
      {
        type: "input",
        block_id: REJECT_REASON_BLOCK,
        label: { type: "plain_text", text: "Skäl" },
        hint: { type: "plain_text", text: "Skälet skickas till den som registrerade svaret." },
        element: {
          type: "plain_text_input",
          action_id: REJECT_REASON_INPUT,
          multiline: true,
          max_length: DECISION_LIMITS.reasonMaxLength,
        },
      },
    ],
  };
}

/** Slack's `text` fallback (notifications): the same mrkdwn, without the leading emoji. */
function plain(mrkdwn: string): string {
  return mrkdwn.replace(/:[a-z_]+: /g, "");
}
