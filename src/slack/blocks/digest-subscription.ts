import type { KnownBlock } from "@slack/types";
import { say } from "../../messages/sv.js";
import { joinSwedish } from "../../modules/cases/present-case.js";
import type { DeadlineRules } from "../../modules/deadlines/deadline-rules.js";
import type { Digest } from "../../modules/digests/digest.js";
import type { DigestSettings } from "../../modules/digests/digest-settings.js";
import { DIGEST_ERRORS, type DigestError } from "../../modules/digests/errors.js";
import {
  KIND_FILTER_WORDS,
  SKIP_EMPTY_WORD,
  WEEKDAY_NAMES,
} from "../../modules/digests/parse-digest-command.js";
import { digestMessages } from "./digest.js";
import type { SlackMessage } from "./message.js";
import { escapeMrkdwn, SLACK_LIMITS } from "./mrkdwn.js";

/** Replies to `/arende digest …`: the settings card, confirmations, the channel notice, help. */

export const DIGEST_HELP_LINES = [
  "*Veckans förseningar i kanalen* (ändras av registratorer och administratörer)",
  "• `/arende digest prenumerera`: varje måndag kl. 08:00, alla ärenden och organ",
  "• `/arende digest prenumerera tisdag 09:30 motioner skrivelser`: välj veckodag, tid och ärendeslag",
  '• `/arende digest prenumerera fre 8.00 remisser organ:socialnämnden organ:"Bromma stadsdelsnämnd" utan-tomma`: bara vissa organ, och inget utskick de veckor inget är försenat',
  "• `/arende digest inställningar`: vad kanalen får, och när",
  "• `/arende digest visa`: utskicket som det ser ut nu, bara för dig",
  "• `/arende digest avsluta`: kanalen slutar få utskicket",
  `Ärendeslag: ${KIND_FILTER_WORDS.map((entry) => `\`${entry.word}\``).join(", ")} (remisser: försenade remissvar i alla ärenden). Organ anges med kod eller namn efter \`organ:\`, ett namn med mellanslag inom citattecken. \`${SKIP_EMPTY_WORD}\`: inget utskick när inget är försenat (annars en kort rad). Tiden är svensk tid. Att prenumerera igen ersätter inställningarna.`,
];

export function digestHelpMessage(): SlackMessage {
  return {
    text: "Veckans förseningar: /arende digest prenumerera | inställningar | visa | avsluta",
    blocks: [{ type: "section", text: { type: "mrkdwn", text: DIGEST_HELP_LINES.join("\n") } }],
  };
}

/** "Varje måndag kl. 08:00 i den här kanalen; motioner och skrivelser; alla organ; tomma utskick skickas inte" */
export function settingsSentence(settings: DigestSettings): string {
  return [
    `${scheduleText(settings)} i den här kanalen`,
    kindsText(settings),
    bodiesText(settings),
    settings.postWhenEmpty ? "en kort rad de veckor inget är försenat" : "tomma utskick skickas inte",
  ].join("; ");
}

/** "Varje måndag kl. 08:00" */
export function scheduleText(settings: Pick<DigestSettings, "weekday" | "time">): string {
  return `Varje ${WEEKDAY_NAMES[settings.weekday]} kl. ${settings.time}`;
}

function kindsText(settings: DigestSettings): string {
  if (!settings.caseKinds) return "alla ärendeslag";
  const words = KIND_FILTER_WORDS.filter((entry) => settings.caseKinds?.includes(entry.kind)).map(
    (entry) => entry.word,
  );
  return joinSwedish(words);
}

function bodiesText(settings: DigestSettings): string {
  if (!settings.bodies) return "alla organ";
  if (settings.bodies.length === 0) return "organ som inte längre finns i diariet";
  return `bara ${joinSwedish(settings.bodies.map((body) => body.name))}`;
}

const CHANGE_HINT =
  "Ändra med `/arende digest prenumerera …`, förhandsvisa med `/arende digest visa`, sluta med `/arende digest avsluta`.";

export function settingsCardMessage(settings: DigestSettings | null): SlackMessage {
  if (!settings) {
    const text =
      "Den här kanalen får inget utskick av veckans förseningar. Skriv `/arende digest prenumerera` för att börja (varje måndag kl. 08:00), eller `/arende digest visa` för att se hur det skulle se ut nu.";
    return { text, blocks: [section(text)] };
  }
  const sentence = settingsSentence(settings);
  return {
    text: `Veckans förseningar: ${sentence}`,
    blocks: [section(`*Veckans förseningar*\n${escapeMrkdwn(sentence)}`), context(CHANGE_HINT)],
  };
}

export type SubscriptionOutcome = "subscribed" | "changed" | "unchanged";

/** To the asker only. */
export function subscribedMessage(outcome: SubscriptionOutcome, settings: DigestSettings): SlackMessage {
  const sentence = escapeMrkdwn(settingsSentence(settings));
  const lead =
    outcome === "subscribed"
      ? ":white_check_mark: Klart: kanalen får nu veckans förseningar."
      : outcome === "changed"
        ? ":white_check_mark: Ändrat. Nu gäller:"
        : "Kanalen har redan de inställningarna; inget ändrades.";
  const blocks: KnownBlock[] = [section(`${lead}\n${sentence}`)];
  if (outcome === "subscribed") {
    blocks.push(
      context(
        "Boten måste vara med i kanalen för att kunna posta: skriv `/invite @arendebot` om den inte redan är det. Alla i kanalen har fått en rad om att den prenumererar.",
      ),
    );
  }
  blocks.push(context(CHANGE_HINT));
  return { text: `${lead.replace(/^:[a-z_]+: /, "")} ${settingsSentence(settings)}`, blocks };
}

export function unsubscribedMessage(): SlackMessage {
  const text =
    ":white_check_mark: Avslutat: kanalen får inte längre veckans förseningar. Vill ni börja igen, skriv `/arende digest prenumerera`.";
  return { text: "Avslutat: kanalen får inte längre veckans förseningar.", blocks: [section(text)] };
}

/**
 * The one line everyone in the channel sees when its digest starts, changes or stops, so members know
 * who did it: "<@U1> prenumererar nu kanalen på veckans förseningar, varje måndag kl. 08:00."
 */
export function subscriptionNotice(
  change: "subscribed" | "changed" | "ended",
  userId: string,
  settings: DigestSettings,
): SlackMessage {
  const who = /^[UW][A-Z0-9]+$/.test(userId) ? `<@${userId}>` : "Någon";
  const when = scheduleText(settings).toLowerCase();
  const filter = [
    settings.caseKinds ? kindsText(settings) : null,
    settings.bodies ? bodiesText(settings) : null,
  ].filter((part): part is string => part !== null);
  const scope = filter.length > 0 ? ` (${escapeMrkdwn(filter.join("; "))})` : "";
  const text =
    change === "subscribed"
      ? `${who} prenumererar nu kanalen på veckans förseningar, ${when}${scope}.`
      : change === "changed"
        ? `${who} ändrade kanalens utskick av veckans förseningar: nu ${when}${scope}.`
        : `${who} avslutade kanalens utskick av veckans förseningar.`;
  return { text, blocks: [context(text)] };
}

/** A refusal, an unknown body or a mistyped command: what was wrong and what to type instead. */
export function digestErrorMessage(error: DigestError): SlackMessage {
  const icon = error.code === DIGEST_ERRORS.notAllowed ? ":no_entry:" : ":grey_question:";
  const message = say(error);
  return {
    text: message.replace(/`/g, ""),
    blocks: [section(`${icon} ${escapeMrkdwn(message)}`)],
  };
}

/** Shown above a preview: whose filter it uses, and that only the asker sees it. */
export function previewIntro(settings: DigestSettings | null): string {
  return settings
    ? `Förhandsvisning, bara för dig. Kanalens utskick: ${escapeMrkdwn(settingsSentence(settings))}.`
    : "Förhandsvisning, bara för dig. Kanalen prenumererar inte, så här visas alla ärenden; börja med `/arende digest prenumerera`.";
}

/**
 * The digest as the channel would get it now, for the asker's eyes: always at least the short
 * "nothing is late" line, the intro above it, and the parts that follow in the thread when posted
 * follow here as further private messages.
 */
export function previewMessages(
  digest: Digest,
  settings: DigestSettings | null,
  rules: DeadlineRules,
): SlackMessage[] {
  const messages = digestMessages(digest, { late: false, postWhenEmpty: true, rules });
  return messages.map((message, index) => {
    const blocks = message.blocks.map((block) =>
      // A preview has no thread: its parts come as further messages.
      block.type === "context"
        ? {
            ...block,
            elements: block.elements.map((element) =>
              element.type === "mrkdwn"
                ? {
                    ...element,
                    text: element.text.replace("fortsätter i tråden", "fortsätter i nästa meddelande"),
                  }
                : element,
            ),
          }
        : block,
    );
    if (index === 0 && blocks.length < SLACK_LIMITS.blocksPerMessage)
      blocks.unshift(context(previewIntro(settings)));
    return { text: message.text, blocks };
  });
}

function section(text: string): KnownBlock {
  return { type: "section", text: { type: "mrkdwn", text } };
}

function context(text: string): KnownBlock {
  return { type: "context", elements: [{ type: "mrkdwn", text }] };
}
