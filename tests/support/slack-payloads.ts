import { HOME_SEARCH_ACTION } from "../../src/slack/blocks/app-home.js";
import { REJECT_REASON_BLOCK, REJECT_REASON_INPUT } from "../../src/slack/blocks/approval-decision.js";
import {
  APPROVE_RESPONSE_ACTION,
  REJECT_REASON_VIEW,
  REJECT_RESPONSE_ACTION,
} from "../../src/slack/blocks/approval-ids.js";
import { APPROVAL_ACTIONS_BLOCK } from "../../src/slack/blocks/approval-request.js";
import { SHARE_CASE_ACTION } from "../../src/slack/blocks/case-card.js";
import {
  NEWER_HISTORY_ACTION,
  OLDER_HISTORY_ACTION,
  OPEN_HISTORY_ACTION,
} from "../../src/slack/blocks/history-ids.js";
import { REMISS_ACTIONS, REMISS_BLOCKS, REMISS_VIEW } from "../../src/slack/blocks/remiss-modal.js";
import {
  DECLINED_VALUE,
  OPEN_RESPONSE_MODAL_ACTION,
  RESPONSE_ACTIONS,
  RESPONSE_BLOCKS,
  RESPONSE_VIEW,
} from "../../src/slack/blocks/response-modal.js";
import { MORE_SEARCH_HITS_ACTION, OPEN_SEARCH_HIT_ACTION } from "../../src/slack/blocks/search-results.js";
import type { BotUnderTest } from "./running-bot.js";
import { interactionBody, sendSigned } from "./signed-request.js";

/**
 * Interactivity payloads shaped like slack-payloads/block_actions.json and view_submission.json.
 * The ids come from the blocks the bot builds (src/slack/blocks), so a renamed button, form or field
 * breaks the typecheck here instead of sending a payload no listener answers.
 */

/** Every button the bot answers. */
export const BUTTON_ACTIONS = [
  APPROVE_RESPONSE_ACTION,
  REJECT_RESPONSE_ACTION,
  OPEN_RESPONSE_MODAL_ACTION,
  SHARE_CASE_ACTION,
  OPEN_HISTORY_ACTION,
  OLDER_HISTORY_ACTION,
  NEWER_HISTORY_ACTION,
  OPEN_SEARCH_HIT_ACTION,
  MORE_SEARCH_HITS_ACTION,
  HOME_SEARCH_ACTION,
] as const;
export type ButtonAction = (typeof BUTTON_ACTIONS)[number];

export type ViewElement = {
  type: string;
  action_id: string;
  value?: string;
  style?: string;
  text?: { type?: string; text: string };
  confirm?: unknown;
  options?: { text: { type?: string; text: string }; value: string }[];
  initial_date?: string;
};
export type ViewBlock = {
  type: string;
  block_id?: string;
  element?: ViewElement;
  elements?: ViewElement[];
  accessory?: ViewElement;
};
/** A modal as Slack received it in views.open (or as a view_submission answered it). */
export type CapturedView = {
  callback_id: string;
  private_metadata: string;
  blocks: ViewBlock[];
  title?: unknown;
  submit?: unknown;
};

/** A button to click: its id, its value and, if known, the block it sits in and its face. */
export type Button = {
  actionId: ButtonAction;
  value: string;
  blockId?: string;
  text?: string;
  style?: string;
};

let sequence = 0;
const next = () => {
  sequence += 1;
  return sequence;
};

const slackUser = (id: string) => ({
  id,
  username: id.toLowerCase(),
  name: id.toLowerCase(),
  team_id: "T111",
});

/** The button `actionId` as posted in a message's (or view's) blocks; throws when it is not there. */
export function buttonIn(blocks: unknown, actionId: ButtonAction): Button {
  for (const block of (blocks ?? []) as ViewBlock[]) {
    const elements = [
      ...(block.elements ?? []),
      ...(block.element ? [block.element] : []),
      ...(block.accessory ? [block.accessory] : []),
    ];
    for (const element of elements) {
      if (element.action_id !== actionId) continue;
      if (element.value === undefined) throw new Error(`the ${actionId} button has no value`);
      return {
        actionId,
        value: element.value,
        ...(block.block_id ? { blockId: block.block_id } : {}),
        ...(element.text ? { text: element.text.text } : {}),
        ...(element.style ? { style: element.style } : {}),
      };
    }
  }
  throw new Error(`no ${actionId} button in the blocks`);
}

/** A button element as the bot built it, to click; throws when no listener answers its id. */
export function asButton(element: ViewElement | undefined): Button {
  if (!element) throw new Error("no such button");
  const actionId = BUTTON_ACTIONS.find((known) => known === element.action_id);
  if (!actionId) throw new Error(`no listener answers the button ${element.action_id}`);
  if (element.value === undefined) throw new Error(`the ${actionId} button has no value`);
  return {
    actionId,
    value: element.value,
    ...(element.text ? { text: element.text.text } : {}),
    ...(element.style ? { style: element.style } : {}),
  };
}

/** The buttons of a message's actions blocks, as Slack shows them. */
export function buttonsOf(blocks: unknown): ViewElement[] {
  return ((blocks ?? []) as ViewBlock[]).flatMap((block) =>
    block.type === "actions" ? (block.elements ?? []) : [],
  );
}

export type Click = {
  payload: Record<string, unknown>;
  triggerId: string;
  /** Where the bot's answers through this click's response_url arrive in FakeSlack. */
  responsePath: string;
};

/** `user` clicks `button` in the message `messageTs` of `channel` (shape of block_actions.json). */
export function blockActions(
  bot: Pick<BotUnderTest, "slack">,
  {
    user,
    button,
    channel,
    messageTs = "1700000000.000001",
    ephemeral = false,
    message,
    triggerId = `333.${next()}.trigger`,
    responseId = `click-${next()}`,
  }: {
    user: string;
    button: Button;
    channel: string;
    messageTs?: string;
    ephemeral?: boolean;
    /** The message clicked in, as Slack sends it along (a DM's or a channel's). */
    message?: { text?: unknown; blocks?: unknown };
    triggerId?: string;
    /** Names the click's response_url: Slack gives each message's buttons the same one. */
    responseId?: string;
  },
): Click {
  return {
    payload: {
      type: "block_actions",
      user: slackUser(user),
      api_app_id: "A111",
      token: "verification_token",
      container: { type: "message", message_ts: messageTs, channel_id: channel, is_ephemeral: ephemeral },
      trigger_id: triggerId,
      team: { id: "T111", domain: "workspace-domain" },
      channel: { id: channel, name: "kanal" },
      ...(ephemeral
        ? {}
        : {
            message: {
              type: "message",
              ts: messageTs,
              text: message?.text ?? "",
              blocks: message?.blocks ?? [],
            },
          }),
      response_url: bot.slack.responseUrl(responseId),
      actions: [
        {
          action_id: button.actionId,
          block_id:
            button.blockId ?? (button.actionId.startsWith("approval.") ? APPROVAL_ACTIONS_BLOCK : "actions"),
          ...(button.text ? { text: { type: "plain_text", text: button.text, emoji: true } } : {}),
          value: button.value,
          ...(button.style ? { style: button.style } : {}),
          type: "button",
          action_ts: "1596530385.194939",
        },
      ],
    },
    triggerId,
    responsePath: `/response/${responseId}`,
  };
}

/**
 * `user` clicks `button` in a view: their Home tab, or a modal. Slack then sends the view instead of
 * a channel and a message, and no response_url.
 */
export function viewBlockActions({
  user,
  button,
  view,
}: {
  user: string;
  button: Button;
  view: { id: string; type: "home" | "modal"; hash?: string };
}): Click {
  const triggerId = `444.${next()}.trigger`;
  return {
    payload: {
      type: "block_actions",
      user: slackUser(user),
      api_app_id: "A111",
      token: "verification_token",
      container: { type: "view", view_id: view.id },
      trigger_id: triggerId,
      team: { id: "T111", domain: "workspace-domain" },
      view: {
        id: view.id,
        type: view.type,
        hash: view.hash ?? "1596530361.home",
        blocks: [],
        state: { values: {} },
      },
      actions: [
        {
          action_id: button.actionId,
          block_id: button.blockId ?? "actions",
          value: button.value,
          type: "button",
          action_ts: "1596530385.194939",
        },
      ],
    },
    triggerId,
    responsePath: "",
  };
}

/** Slack's app_home_opened event; `shown` when a view was published for the user before. */
export function appHomeOpenedEvent({
  user,
  tab = "home",
  shown,
}: {
  user: string;
  tab?: "home" | "messages";
  shown: boolean;
}) {
  const id = next();
  return {
    token: "XXYYZZ",
    team_id: "T111",
    api_app_id: "A111",
    event: {
      type: "app_home_opened",
      user,
      channel: `D${user.slice(1)}`,
      tab,
      event_ts: `1515449522.${String(id).padStart(6, "0")}`,
      ...(shown ? { view: { id: `V0HOME${id}`, type: "home", blocks: [] } } : {}),
    },
    type: "event_callback",
    event_id: `Ev0HOME${String(id).padStart(4, "0")}`,
    event_time: 1515449522,
  };
}

type StateValues = Record<string, Record<string, Record<string, unknown>>>;

/** `user` submits `view` with its fields as `values` (shape of view_submission.json). */
export function viewSubmission(view: CapturedView, user: string, values: StateValues) {
  const id = next();
  return {
    type: "view_submission",
    team: { id: "T111", domain: "workspace-domain" },
    user: slackUser(user),
    api_app_id: "A111",
    token: "verification_token",
    trigger_id: `222.${id}.trigger`,
    view: {
      id: `V0VIEW${id}`,
      team_id: "T111",
      type: "modal",
      blocks: view.blocks,
      private_metadata: view.private_metadata,
      callback_id: view.callback_id,
      state: { values },
      hash: "1596530361.3wRYuk3R",
      title: view.title,
      clear_on_close: false,
      notify_on_close: false,
      close: { type: "plain_text", text: "Avbryt" },
      submit: view.submit,
      previous_view_id: null,
      root_view_id: `V0VIEW${id}`,
      app_id: "A111",
      external_id: "",
      app_installed_team_id: "T111",
      bot_id: "B111",
    },
    response_urls: [],
  };
}

/** The input `blockId` of a captured view; throws when the bot's view has no such field. */
export function inputIn(view: CapturedView, blockId: string): ViewElement {
  const block = view.blocks.find((candidate) => candidate.type === "input" && candidate.block_id === blockId);
  if (!block?.element) throw new Error(`no input ${blockId} in the ${view.callback_id} view`);
  return block.element;
}

function expectView(view: CapturedView, callbackId: string): void {
  if (view.callback_id !== callbackId) throw new Error(`a ${view.callback_id} view, not ${callbackId}`);
}

/** The options of a select whose text starts with one of `texts`, as Slack sends them back chosen. */
function chosen(element: ViewElement, texts: readonly string[]) {
  return (element.options ?? [])
    .filter((option) => texts.some((text) => option.text.text.startsWith(text)))
    .map((option) => ({ text: { type: "plain_text", text: option.text.text }, value: option.value }));
}

/** The remiss form (`/arende remittera`) filled in: the bodies by their names, the due date, a message. */
export function remissForm(
  view: CapturedView,
  user: string,
  fill: { bodies: readonly string[]; dueOn: string | null; message?: string | null },
) {
  expectView(view, REMISS_VIEW);
  const bodies = inputIn(view, REMISS_BLOCKS.bodies);
  inputIn(view, REMISS_BLOCKS.dueOn);
  inputIn(view, REMISS_BLOCKS.message);
  return viewSubmission(view, user, {
    [REMISS_BLOCKS.bodies]: {
      [REMISS_ACTIONS.bodies]: {
        type: "multi_static_select",
        selected_options: (bodies.options ?? [])
          .filter((option) => fill.bodies.includes(option.text.text))
          .map((option) => ({ text: { type: "plain_text", text: option.text.text }, value: option.value })),
      },
    },
    [REMISS_BLOCKS.dueOn]: { [REMISS_ACTIONS.dueOn]: { type: "datepicker", selected_date: fill.dueOn } },
    [REMISS_BLOCKS.message]: {
      [REMISS_ACTIONS.message]: { type: "plain_text_input", value: fill.message ?? null },
    },
  });
}

/**
 * The remissvar form (`/arende remissvar`, Registrera remissvar) filled in: the remiss by the start
 * of its option's text (the body's name), the answer's date, a summary, a link, or avstår.
 */
export function remissvarForm(
  view: CapturedView,
  user: string,
  fill: { remiss?: string; date: string | null; summary?: string; link?: string; declined?: boolean },
) {
  expectView(view, RESPONSE_VIEW);
  const [option] = fill.remiss ? chosen(inputIn(view, RESPONSE_BLOCKS.referral), [fill.remiss]) : [];
  const declined = (inputIn(view, RESPONSE_BLOCKS.declined).options ?? []).find(
    (candidate) => candidate.value === DECLINED_VALUE,
  );
  inputIn(view, RESPONSE_BLOCKS.answeredOn);
  inputIn(view, RESPONSE_BLOCKS.summary);
  inputIn(view, RESPONSE_BLOCKS.link);
  return viewSubmission(view, user, {
    [RESPONSE_BLOCKS.referral]: {
      [RESPONSE_ACTIONS.referral]: { type: "static_select", selected_option: option ?? null },
    },
    [RESPONSE_BLOCKS.answeredOn]: {
      [RESPONSE_ACTIONS.answeredOn]: { type: "datepicker", selected_date: fill.date },
    },
    [RESPONSE_BLOCKS.summary]: {
      [RESPONSE_ACTIONS.summary]: { type: "plain_text_input", value: fill.summary ?? null },
    },
    [RESPONSE_BLOCKS.link]: { [RESPONSE_ACTIONS.link]: { type: "url_text_input", value: fill.link ?? null } },
    [RESPONSE_BLOCKS.declined]: {
      [RESPONSE_ACTIONS.declined]: {
        type: "checkboxes",
        selected_options: fill.declined && declined ? [declined] : [],
      },
    },
  });
}

/** The Avslå form filled in with `reason` (null: left empty). */
export function rejectForm(view: CapturedView, user: string, reason: string | null) {
  expectView(view, REJECT_REASON_VIEW);
  inputIn(view, REJECT_REASON_BLOCK);
  return viewSubmission(view, user, {
    [REJECT_REASON_BLOCK]: { [REJECT_REASON_INPUT]: { type: "plain_text_input", value: reason } },
  });
}

export type InteractionAnswer = {
  response_action?: string;
  errors?: Record<string, string>;
  view?: CapturedView;
  [key: string]: unknown;
};

/** Sends an interactivity payload, signed as Slack does; the bot's HTTP answer ({} when empty). */
export async function interact(
  bot: Pick<BotUnderTest, "eventsUrl">,
  payload: unknown,
): Promise<InteractionAnswer> {
  const response = await sendSigned(bot.eventsUrl, interactionBody(payload), {
    contentType: "application/x-www-form-urlencoded",
  });
  if (response.status !== 200) throw new Error(`an interaction was answered with HTTP ${response.status}`);
  const text = await response.text();
  return text === "" ? {} : (JSON.parse(text) as InteractionAnswer);
}
