import type { ActionsBlock, KnownBlock, ModalView, PlainTextOption } from "@slack/types";
import { z } from "zod";
import { formatSwedishDate } from "../../modules/cases/present-case.js";
import { RESPONSE_LIMITS } from "../../modules/responses/errors.js";
import type { ResponseChoice } from "../../modules/responses/prepare-response.js";
import type { SlackMessage } from "./message.js";
import { escapeMrkdwn, SLACK_LIMITS, shorten } from "./mrkdwn.js";

export const RESPONSE_VIEW = "response.record";

/** The "Registrera remissvar" button on the case card posted to an answering body's channel. */
export const OPEN_RESPONSE_MODAL_ACTION = "response.open_modal";

/** Input block ids: `response_action: "errors"` answers are keyed by these. */
export const RESPONSE_BLOCKS = {
  referral: "response_referral",
  answeredOn: "response_answered_on",
  summary: "response_summary",
  link: "response_link",
  declined: "response_declined",
} as const;

export const RESPONSE_ACTIONS = {
  referral: "response_referral.select",
  answeredOn: "response_answered_on.pick",
  summary: "response_summary.input",
  link: "response_link.input",
  declined: "response_declined.check",
} as const;

/** The value of the "avstår" checkbox. */
export const DECLINED_VALUE = "declined";

const OPTION_TEXT_MAX = 75;
const MODAL_BLOCKS_MAX = 100;

/** The button's value: the case only; who may answer is checked on the server. */
export const openResponseButtonValue = z.object({ caseId: z.number().int().positive() });

/** What the modal carries from the command or button to the submission. */
export const responseMetadata = z.object({
  caseId: z.number().int().positive(),
  /** Where the command was typed or the button clicked, for the confirmation. */
  channelId: z
    .string()
    .regex(/^[A-Z0-9]{1,40}$/)
    .optional(),
});
export type ResponseMetadata = z.infer<typeof responseMetadata>;

export type ResponseModalInput = {
  caseLabel: string;
  title: string;
  referrals: readonly ResponseChoice[];
  /** Stockholm's date: the answer date's default. */
  today: string;
  metadata: ResponseMetadata;
};

/** The form of a remissvar: which remiss, the answer's date, a summary, a link, or "avstår". */
export function responseModal({
  caseLabel,
  title,
  referrals,
  today,
  metadata,
}: ResponseModalInput): ModalView {
  const options = referrals.slice(0, RESPONSE_LIMITS.maxReferrals).map(referralOption);
  const [only] = options;
  const blocks: KnownBlock[] = [
    {
      type: "section",
      text: {
        type: "mrkdwn",
        text: shorten(`*${escapeMrkdwn(caseLabel)}*\n${escapeMrkdwn(title)}`, SLACK_LIMITS.sectionText),
      },
    },
    {
      type: "input",
      block_id: RESPONSE_BLOCKS.referral,
      label: { type: "plain_text", text: "Remiss" },
      element: {
        type: "static_select",
        action_id: RESPONSE_ACTIONS.referral,
        placeholder: { type: "plain_text", text: "Välj organets remiss" },
        options,
        ...(options.length === 1 && only ? { initial_option: only } : {}),
      },
    },
    {
      type: "input",
      block_id: RESPONSE_BLOCKS.answeredOn,
      label: { type: "plain_text", text: "Svarets datum" },
      element: {
        type: "datepicker",
        action_id: RESPONSE_ACTIONS.answeredOn,
        initial_date: today,
        placeholder: { type: "plain_text", text: "Välj datum" },
      },
    },
    {
      type: "input",
      block_id: RESPONSE_BLOCKS.summary,
      // Required unless the body declines; the server checks it, so the field may be left empty here.
      optional: true,
      label: { type: "plain_text", text: "Sammanfattning av svaret" },
      hint: { type: "plain_text", text: "Krävs om organet inte avstår. Visas för godkännaren." },
      element: {
        type: "plain_text_input",
        action_id: RESPONSE_ACTIONS.summary,
        multiline: true,
        max_length: RESPONSE_LIMITS.summaryMaxLength,
        placeholder: { type: "plain_text", text: "T.ex. Nämnden tillstyrker förslaget …" },
      },
    },
    {
      type: "input",
      block_id: RESPONSE_BLOCKS.link,
      optional: true,
      label: { type: "plain_text", text: "Länk till dokumentet" },
      element: {
        type: "url_text_input",
        action_id: RESPONSE_ACTIONS.link,
        placeholder: { type: "plain_text", text: "https://" },
      },
    },
    {
      type: "input",
      block_id: RESPONSE_BLOCKS.declined,
      optional: true,
      label: { type: "plain_text", text: "Avstår" },
      element: {
        type: "checkboxes",
        action_id: RESPONSE_ACTIONS.declined,
        options: [
          {
            text: { type: "plain_text", text: "Avstår från att svara" },
            value: DECLINED_VALUE,
          },
        ],
      },
    },
  ];
  if (referrals.length > options.length) {
    blocks.push({
      type: "context",
      elements: [
        {
          type: "mrkdwn",
          text: `${referrals.length - options.length} remisser till ryms inte i listan (Slack visar högst ${RESPONSE_LIMITS.maxReferrals}).`,
        },
      ],
    });
  }
  return {
    type: "modal",
    callback_id: RESPONSE_VIEW,
    title: { type: "plain_text", text: "Registrera remissvar" },
    submit: { type: "plain_text", text: "Skicka för godkännande" },
    close: { type: "plain_text", text: "Avbryt" },
    private_metadata: JSON.stringify(metadata),
    blocks: blocks.slice(0, MODAL_BLOCKS_MAX),
  };
}

/** The actions block with "Registrera remissvar", under the case card in an answering body's channel. */
export function recordResponseActions(caseId: number): ActionsBlock {
  return {
    type: "actions",
    block_id: "response_open",
    elements: [
      {
        type: "button",
        action_id: OPEN_RESPONSE_MODAL_ACTION,
        text: { type: "plain_text", text: "Registrera remissvar" },
        value: JSON.stringify({ caseId }),
      },
    ],
  };
}

/** Said instead of opening the form: a refusal, an unknown case, nothing open to answer. */
export function responseFormReply(text: string): SlackMessage {
  return { text, blocks: [{ type: "section", text: { type: "mrkdwn", text: escapeMrkdwn(text) } }] };
}

function referralOption(referral: ResponseChoice): PlainTextOption {
  const due = referral.dueOn ? ` (svar senast ${formatSwedishDate(referral.dueOn)})` : "";
  const name = shorten(referral.bodyName, OPTION_TEXT_MAX - due.length);
  return { text: { type: "plain_text", text: `${name}${due}` }, value: String(referral.referralId) };
}
