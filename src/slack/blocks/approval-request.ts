import type { Button, KnownBlock } from "@slack/types";
import { formatSwedishDate } from "../../modules/cases/present-case.js";
import type { ResponseView } from "../../modules/responses/present-response.js";
import { APPROVE_RESPONSE_ACTION, type ApprovalButtonValue, REJECT_RESPONSE_ACTION } from "./approval-ids.js";
import type { SlackMessage } from "./message.js";
import { escapeAndShorten, escapeMrkdwn, SLACK_LIMITS, shorten } from "./mrkdwn.js";

/** Block id of the Godkänn/Avslå buttons, so a decision can find and replace them. */
export const APPROVAL_ACTIONS_BLOCK = "approval_actions";

/** The summary is bounded well under a section's 3000 characters, escaped. */
const SUMMARY_MAX = 2500;
const LINK_MAX = 2000;
/** Only a well-formed user id becomes a mention; an imported name stays out of the markup. */
export const SLACK_USER_ID = /^[UW][A-Z0-9]{2,40}$/;

/**
 * The approval request for a remissvar, as the use case's view says its reader may read it: for the
 * public audience of a restricted case (a channel, or a godkännare not entitled to the case) the label
 * and public title, no summary or link, and a line saying why. The buttons carry only the response
 * id, each behind a dialog.
 */
export function approvalRequestMessage(request: ResponseView): SlackMessage {
  const what = request.kind === "declined" ? "avstår från att svara på remissen" : "har svarat på remissen";
  const heading = `:inbox_tray: *Remissvar att godkänna:* ${escapeMrkdwn(request.bodyName)} ${what} i *${escapeMrkdwn(request.caseLabel)}*`;
  const blocks: KnownBlock[] = [
    { type: "section", text: { type: "mrkdwn", text: shorten(heading, SLACK_LIMITS.sectionText) } },
    {
      type: "section",
      text: {
        type: "mrkdwn",
        text: `*Ärendet*\n${escapeAndShorten(request.caseTitle, SLACK_LIMITS.sectionText - 12)}`,
      },
    },
  ];
  if (request.summary !== null) {
    const quoted = escapeAndShorten(request.summary, SUMMARY_MAX).replace(/\n/g, "\n>");
    blocks.push({
      type: "section",
      text: {
        type: "mrkdwn",
        text: `*${request.kind === "declined" ? "Motivering" : "Sammanfattning"}*\n>${quoted}`,
      },
    });
  }
  if (request.link) {
    blocks.push({
      type: "section",
      text: { type: "mrkdwn", text: `*Dokument*\n<${linkTarget(request.link)}|Öppna dokumentet>` },
    });
  }
  if (request.withheldNotice) {
    blocks.push({
      type: "context",
      elements: [{ type: "mrkdwn", text: escapeMrkdwn(request.withheldNotice) }],
    });
  }
  const answered = request.answeredOn ? formatSwedishDate(request.answeredOn) : "okänt";
  const submitter = request.submittedBySlackUserId;
  const by = submitter && SLACK_USER_ID.test(submitter) ? ` · Registrerat av <@${submitter}>` : "";
  blocks.push(
    {
      type: "context",
      elements: [{ type: "mrkdwn", text: `Svarets datum: ${answered}${by}` }],
    },
    {
      type: "actions",
      block_id: APPROVAL_ACTIONS_BLOCK,
      elements: [approveButton(request), rejectButton(request)],
    },
  );
  const fallback = `Remissvar att godkänna: ${request.bodyName} i ${request.caseLabel} (${request.caseTitle}).`;
  return { text: shorten(fallback, SLACK_LIMITS.sectionText), blocks };
}

/** What the Godkänn and Avslå buttons name: the response, and in their dialogs the body and case. */
type ButtonSubject = Pick<ResponseView, "responseId" | "bodyName" | "caseLabel">;

function buttonValue(request: ButtonSubject): string {
  return JSON.stringify({ responseId: request.responseId } satisfies ApprovalButtonValue);
}

export function approveButton(request: ButtonSubject): Button {
  return {
    type: "button",
    action_id: APPROVE_RESPONSE_ACTION,
    style: "primary",
    text: { type: "plain_text", text: "Godkänn" },
    value: buttonValue(request),
    confirm: {
      title: { type: "plain_text", text: "Godkänna remissvaret?" },
      text: {
        type: "plain_text",
        text: shorten(
          `Remissvaret från ${request.bodyName} i ${request.caseLabel} registreras som godkänt, och remissen räknas som besvarad.`,
          300,
        ),
      },
      confirm: { type: "plain_text", text: "Godkänn" },
      deny: { type: "plain_text", text: "Avbryt" },
      style: "primary",
    },
  };
}

export function rejectButton(request: ButtonSubject): Button {
  return {
    type: "button",
    action_id: REJECT_RESPONSE_ACTION,
    style: "danger",
    text: { type: "plain_text", text: "Avslå" },
    value: buttonValue(request),
    confirm: {
      title: { type: "plain_text", text: "Avslå remissvaret?" },
      text: {
        type: "plain_text",
        text: shorten(
          `Remissvaret från ${request.bodyName} i ${request.caseLabel} avslås. Remissen förblir öppen så att ett nytt svar kan registreras.`,
          300,
        ),
      },
      confirm: { type: "plain_text", text: "Avslå" },
      deny: { type: "plain_text", text: "Avbryt" },
      style: "danger",
    },
  };
}

/** Slack's link syntax breaks on "|" and ">" in the URL; they are percent-encoded. */
function linkTarget(link: string): string {
  return shorten(link, LINK_MAX).replace(/\|/g, "%7C").replace(/>/g, "%3E").replace(/</g, "%3C");
}

/** What the submitter is told once the response is stored and the request posted. */
export function responseAwaitsApprovalMessage({
  caseLabel,
  bodyName,
  approvers,
  channelId,
  failed,
  noApprover,
}: {
  caseLabel: string;
  bodyName: string;
  /** The godkännare the request reached. */
  approvers: readonly string[];
  /** The body's channel, when the request went there instead. */
  channelId: string | null;
  /** Where posting failed: a user or channel id, and Slack's error. */
  failed: readonly { target: string; code: string }[];
  /** Neither a godkännare nor a channel: nobody was asked. */
  noApprover: boolean;
}): SlackMessage {
  const stored = `Remissvaret från ${bodyName} i ${caseLabel} är registrerat och väntar på godkännande.`;
  const lines = [`:hourglass_flowing_sand: ${escapeMrkdwn(stored)}`];
  if (approvers.length > 0) {
    lines.push(`Godkännandet är begärt av ${approvers.map((user) => `<@${user}>`).join(", ")}.`);
  } else if (channelId) {
    lines.push(
      `Begäran är skickad till <#${channelId}>; en godkännare för ${escapeMrkdwn(bodyName)} måste besluta.`,
    );
  }
  for (const failure of failed) {
    const where = failure.target.startsWith("C") ? `<#${failure.target}>` : `<@${failure.target}>`;
    lines.push(`:warning: Kunde inte skicka begäran till ${where}: ${escapeMrkdwn(failure.code)}.`);
  }
  if (noApprover) {
    lines.push(
      `:warning: ${escapeMrkdwn(bodyName)} har ingen godkännare och ingen kanal, så ingen har fått begäran. Be en administratör ge någon rollen med \`/arende roll ge @namn godkännare ${escapeMrkdwn(bodyName)}\` (\`/arende roll lista\` visar vilka som är administratörer).`,
    );
  }
  return {
    text: stored,
    blocks: [
      {
        type: "section",
        text: { type: "mrkdwn", text: shorten(lines.join("\n"), SLACK_LIMITS.sectionText) },
      },
    ],
  };
}
