import type { Block, KnownBlock, ModalView, PlainTextOption } from "@slack/types";
import { z } from "zod";
import { say } from "../../messages/sv.js";
import type { CasePresentation } from "../../modules/cases/present-case.js";
import { formatSwedishDate, joinSwedish } from "../../modules/cases/present-case.js";
import { REFERRAL_ERRORS, REMISS_LIMITS } from "../../modules/referrals/errors.js";
import type { RemissChoice } from "../../modules/referrals/prepare-remiss.js";
import { caseCardMessage } from "./case-card.js";
import type { SlackMessage } from "./message.js";
import { escapeMrkdwn, SLACK_LIMITS, shorten } from "./mrkdwn.js";
import { recordResponseActions } from "./response-modal.js";

export const REMISS_VIEW = "remiss.send";

/** Input block ids: `response_action: "errors"` answers are keyed by these. */
export const REMISS_BLOCKS = {
  bodies: "remiss_bodies",
  dueOn: "remiss_due_on",
  message: "remiss_message",
  dueWarning: "remiss_due_warning",
} as const;

export const REMISS_ACTIONS = {
  bodies: "remiss_bodies.select",
  dueOn: "remiss_due_on.pick",
  message: "remiss_message.input",
} as const;

const OPTION_TEXT_MAX = 75;
const MODAL_BLOCKS_MAX = 100;

/** What the modal carries from the command to the submission (max 3000 characters, well within). */
export const remissMetadata = z.object({
  caseId: z.number().int().positive(),
  /** Where `/arende remittera` was typed, for the confirmation. */
  channelId: z.string().regex(/^[A-Z0-9]{1,40}$/),
  /** A non-working-day due date the sender was warned of and may keep by submitting again. */
  confirmedDueOn: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .optional(),
});
export type RemissMetadata = z.infer<typeof remissMetadata>;

export type RemissModalInput = {
  caseLabel: string;
  title: string;
  bodies: readonly RemissChoice[];
  metadata: RemissMetadata;
};

/** The bodies a remiss may go to: those without an open remiss on the case, at most 100 (Slack's limit). */
export function selectableBodies(bodies: readonly RemissChoice[]): RemissChoice[] {
  return bodies.filter((body) => !body.hasOpenRemiss).slice(0, REMISS_LIMITS.maxBodies);
}

export function remissModal({ caseLabel, title, bodies, metadata }: RemissModalInput): ModalView {
  const choices = selectableBodies(bodies);
  const busy = bodies.filter((body) => body.hasOpenRemiss);
  const left = bodies.length - busy.length - choices.length;
  const blocks: KnownBlock[] = [
    {
      type: "section",
      text: {
        type: "mrkdwn",
        text: shorten(`*${escapeMrkdwn(caseLabel)}*\n${escapeMrkdwn(title)}`, SLACK_LIMITS.sectionText),
      },
    },
  ];
  if (busy.length > 0) {
    blocks.push(
      context(
        shorten(
          `Har redan en öppen remiss i ärendet: ${escapeMrkdwn(joinSwedish(busy.map((body) => body.name)))}`,
          SLACK_LIMITS.sectionText,
        ),
      ),
    );
  }
  blocks.push(
    {
      type: "input",
      block_id: REMISS_BLOCKS.bodies,
      label: { type: "plain_text", text: "Remissinstanser" },
      element: {
        type: "multi_static_select",
        action_id: REMISS_ACTIONS.bodies,
        placeholder: { type: "plain_text", text: "Välj nämnder och organ" },
        options: choices.map(bodyOption),
      },
    },
    {
      type: "input",
      block_id: REMISS_BLOCKS.dueOn,
      label: { type: "plain_text", text: "Svar senast" },
      element: {
        type: "datepicker",
        action_id: REMISS_ACTIONS.dueOn,
        placeholder: { type: "plain_text", text: "Välj svarsdatum" },
      },
    },
    {
      type: "input",
      block_id: REMISS_BLOCKS.message,
      optional: true,
      label: { type: "plain_text", text: "Meddelande till remissinstanserna" },
      hint: {
        type: "plain_text",
        text: "Visas i varje remissinstans kanal tillsammans med ärendekortet.",
      },
      element: {
        type: "plain_text_input",
        action_id: REMISS_ACTIONS.message,
        multiline: true,
        max_length: REMISS_LIMITS.messageMaxLength,
        placeholder: { type: "plain_text", text: "T.ex. Yttrandet ska senast vara inlämnat …" },
      },
    },
  );
  if (left > 0) {
    blocks.push(
      context(`${left} organ till ryms inte i listan (Slack visar högst ${REMISS_LIMITS.maxBodies}).`),
    );
  }
  return {
    type: "modal",
    callback_id: REMISS_VIEW,
    title: { type: "plain_text", text: "Skicka på remiss" },
    submit: { type: "plain_text", text: "Skicka remissen" },
    close: { type: "plain_text", text: "Avbryt" },
    private_metadata: JSON.stringify(metadata),
    blocks: blocks.slice(0, MODAL_BLOCKS_MAX),
  };
}

/**
 * The same form again after a submit whose due date falls on a non-working day: the choices kept,
 * a warning under the date, and a submit button that keeps the date ("Skicka ändå"). Choosing
 * another date and submitting is checked as usual.
 */
export function confirmDueDateModal(
  submitted: { blocks: (KnownBlock | Block)[]; title: { text: string } },
  {
    metadata,
    warning,
    values,
  }: {
    metadata: RemissMetadata;
    warning: string;
    values: { bodyIds: readonly number[]; dueOn: string; message: string | null };
  },
): ModalView {
  const blocks: KnownBlock[] = [];
  for (const block of submitted.blocks as KnownBlock[]) {
    if (block.block_id === REMISS_BLOCKS.dueWarning) continue;
    if (block.type === "input" && block.block_id === REMISS_BLOCKS.bodies) {
      const element = block.element;
      if (element.type === "multi_static_select") {
        const chosen = new Set(values.bodyIds.map(String));
        const initial = (element.options ?? []).filter((option) => chosen.has(option.value ?? ""));
        const { initial_options: _previous, ...rest } = element;
        blocks.push({ ...block, element: initial.length > 0 ? { ...rest, initial_options: initial } : rest });
        continue;
      }
    }
    if (
      block.type === "input" &&
      block.block_id === REMISS_BLOCKS.dueOn &&
      block.element.type === "datepicker"
    ) {
      blocks.push({ ...block, element: { ...block.element, initial_date: values.dueOn } });
      blocks.push({
        type: "context",
        block_id: REMISS_BLOCKS.dueWarning,
        elements: [
          {
            type: "mrkdwn",
            text: `:warning: Obs! ${escapeMrkdwn(say({ code: REFERRAL_ERRORS.dueOnNonWorkingDay, params: { date: values.dueOn, warning } }))}`,
          },
        ],
      });
      continue;
    }
    if (
      block.type === "input" &&
      block.block_id === REMISS_BLOCKS.message &&
      block.element.type === "plain_text_input"
    ) {
      const { initial_value: _previous, ...rest } = block.element;
      blocks.push({ ...block, element: values.message ? { ...rest, initial_value: values.message } : rest });
      continue;
    }
    blocks.push(block);
  }
  return {
    type: "modal",
    callback_id: REMISS_VIEW,
    title: { type: "plain_text", text: shorten(submitted.title.text, 24) },
    submit: { type: "plain_text", text: "Skicka ändå" },
    close: { type: "plain_text", text: "Avbryt" },
    private_metadata: JSON.stringify({ ...metadata, confirmedDueOn: values.dueOn } satisfies RemissMetadata),
    blocks: blocks.slice(0, MODAL_BLOCKS_MAX),
  };
}

/** What an answering body's channel sees: the case card under a line on the remiss, and "Registrera remissvar". */
export function remissReceivedMessage(
  card: CasePresentation,
  {
    bodyName,
    dueOn,
    dueDateWarning,
    sentBy,
    message,
  }: {
    bodyName: string;
    dueOn: string;
    dueDateWarning: string | null;
    sentBy: string;
    message: string | null;
  },
): SlackMessage {
  const due = `${formatSwedishDate(dueOn)}${dueDateWarning ? ` (obs! ${dueDateWarning})` : ""}`;
  const line = `:incoming_envelope: *${escapeMrkdwn(capitalise(bodyName))} har fått ärendet på remiss.* Svar senast *${escapeMrkdwn(due)}*. Skickat av <@${sentBy}>.`;
  const blocks: KnownBlock[] = [{ type: "section", text: { type: "mrkdwn", text: line } }];
  // A restricted case is shown with its public data only, and so without the sender's free text.
  if (message && card.audience === "full") {
    blocks.push({
      type: "section",
      text: {
        type: "mrkdwn",
        text: shorten(`>${escapeMrkdwn(message).replace(/\n/g, "\n>")}`, SLACK_LIMITS.sectionText),
      },
    });
  }
  const cardMessage = caseCardMessage(card);
  // Room is kept for the "Registrera remissvar" button under the card.
  const room = SLACK_LIMITS.blocksPerMessage - blocks.length - 1;
  return {
    text: `Remiss till ${bodyName}: ${card.fallbackText}. Svar senast ${due}.`,
    blocks: [...blocks, ...cardMessage.blocks.slice(0, room), recordResponseActions(card.caseId)],
  };
}

export type RemissDelivery = {
  posted: { bodyName: string; channelId: string }[];
  failed: { bodyName: string; channelId: string; code: string }[];
  withoutChannel: string[];
};

/** The sender's confirmation: where the remiss went, and which channels could not be reached. */
export function remissSentMessage({
  caseLabel,
  bodyNames,
  dueOn,
  dueDateWarning,
  delivery,
}: {
  caseLabel: string;
  bodyNames: string[];
  dueOn: string;
  dueDateWarning: string | null;
  delivery: RemissDelivery;
}): SlackMessage {
  const summary = `${caseLabel} är skickat på remiss till ${joinSwedish(bodyNames)}, svar senast ${formatSwedishDate(dueOn)}.`;
  const lines = [`:white_check_mark: ${escapeMrkdwn(summary)}`];
  if (dueDateWarning) lines.push(`:warning: Obs! ${escapeMrkdwn(capitalise(dueDateWarning))}.`);
  if (delivery.posted.length > 0) {
    lines.push(`Meddelat i ${delivery.posted.map((post) => `<#${post.channelId}>`).join(", ")}.`);
  }
  for (const failure of delivery.failed) {
    const hint =
      failure.code === "not_in_channel" || failure.code === "channel_not_found"
        ? "bjud in mig där med `/invite @arendebot` och meddela dem själv"
        : "meddela dem själv";
    lines.push(
      `:warning: Kunde inte skriva i <#${failure.channelId}> (${escapeMrkdwn(failure.bodyName)}): ${failure.code}; ${hint}. Remissen är registrerad ändå.`,
    );
  }
  if (delivery.withoutChannel.length > 0) {
    lines.push(
      `Ingen kanal är kopplad till ${escapeMrkdwn(joinSwedish(delivery.withoutChannel))}; meddela dem på annat sätt.`,
    );
  }
  return {
    text: summary,
    blocks: [
      {
        type: "section",
        text: { type: "mrkdwn", text: shorten(lines.join("\n"), SLACK_LIMITS.sectionText) },
      },
    ],
  };
}

export function nothingToChooseMessage(caseLabel: string, anyBodies: boolean): SlackMessage {
  const text = anyBodies
    ? `Alla organ har redan en öppen remiss i ${caseLabel}.`
    : "Det finns inga nämnder eller organ i registret att skicka remissen till.";
  return { text, blocks: [{ type: "section", text: { type: "mrkdwn", text: escapeMrkdwn(text) } }] };
}

function bodyOption(body: RemissChoice): PlainTextOption {
  return { text: { type: "plain_text", text: shorten(body.name, OPTION_TEXT_MAX) }, value: String(body.id) };
}

function context(text: string): KnownBlock {
  return { type: "context", elements: [{ type: "mrkdwn", text }] };
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
