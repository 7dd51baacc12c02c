import type { KnownBlock } from "@slack/types";
import type { CaseSummary } from "../../modules/cases/case-details.js";
import { ACCEPTED_FORMS, type IdentifierParseError } from "../../modules/identifiers/parse-identifier.js";
import { isRegistryBusy } from "../../modules/shared/availability.js";
import { DIGEST_HELP_LINES } from "./digest-subscription.js";
import { type SlackMessage, textMessage } from "./message.js";
import { escapeMrkdwn } from "./mrkdwn.js";
import { ROLE_HELP_LINES } from "./roles.js";

export function helpMessage(): SlackMessage {
  const lines = [
    "*arendebot* visar var ett ärende i diariet står.",
    "",
    "*Kommandon*",
    "• `/arende status Dnr 108-1642/2017`: ärendets läge, remisser med svarsdatum, förseningar och beslut",
    "• `/arende status Motion 2016:114`: går också med motionens, promemorians eller utlåtandets nummer",
    "• `/arende remittera Dnr 108-1642/2017`: skicka ärendet på remiss (registratorer för ärendets ansvariga organ, administratörer): välj remissinstanser, svarsdatum och ett meddelande",
    "• `/arende remissvar Dnr 108-1642/2017`: registrera ert organs remissvar (handläggare och registratorer), eller att organet avstår; det skickas till godkännarna",
    "• `/arende historik Dnr 108-1642/2017`: allt som ändrats i ärendet, dess remisser och remissvar, nyast först: när, av vem och vad",
    "• `/arende hjälp`: den här hjälpen",
    "",
    ...DIGEST_HELP_LINES,
    "",
    ...ROLE_HELP_LINES,
    "",
    "Du kan också nämna mig i en kanal eller skriva till mig direkt: `status Dnr 108-1642/2017`.",
    "Svar på `/arende` syns bara för dig; knappen *Dela i kanalen* visar kortet för alla.",
    "",
    `*Godtagna former:* ${ACCEPTED_FORMS.map((form) => `\`${form}\``).join(", ")}`,
  ];
  return {
    text: "Hjälp för arendebot: /arende status <diarienummer>",
    blocks: [{ type: "section", text: { type: "mrkdwn", text: lines.join("\n") } }],
  };
}

export function invalidIdentifierMessage(error: IdentifierParseError): SlackMessage {
  return {
    text: error.message,
    blocks: [
      { type: "section", text: { type: "mrkdwn", text: `:grey_question: ${escapeMrkdwn(error.message)}` } },
      acceptedFormsContext(),
    ],
  };
}

export function unknownCommandMessage(word: string): SlackMessage {
  const text = `Jag känner inte igen kommandot «${word.slice(0, 40)}». Skriv till exempel \`status Dnr 108-1642/2017\` eller \`hjälp\`.`;
  return { text, blocks: [{ type: "section", text: { type: "mrkdwn", text: escapeMrkdwn(text) } }] };
}

export function notFoundMessage(identifier: string, suggestions: CaseSummary[]): SlackMessage {
  const blocks: KnownBlock[] = [
    {
      type: "section",
      text: { type: "mrkdwn", text: `Jag hittar inget ärende med ${escapeMrkdwn(identifier)} i diariet.` },
    },
  ];
  if (suggestions.length > 0) {
    const lines = suggestions.map(
      (suggestion) => `• \`${escapeMrkdwn(suggestion.label)}\` ${escapeMrkdwn(suggestion.publicTitle)}`,
    );
    blocks.push({
      type: "section",
      text: { type: "mrkdwn", text: `*Menade du något av dessa?*\n${lines.join("\n")}` },
    });
  } else {
    blocks.push(acceptedFormsContext());
  }
  return { text: `Inget ärende med ${identifier} hittades.`, blocks };
}

export function alreadySharedMessage(): SlackMessage {
  return {
    text: "Kortet är redan delat i kanalen.",
    blocks: [{ type: "context", elements: [{ type: "mrkdwn", text: "Kortet är redan delat i kanalen." }] }],
  };
}

function acceptedFormsContext(): KnownBlock {
  return {
    type: "context",
    elements: [
      { type: "mrkdwn", text: `Godtagna former: ${ACCEPTED_FORMS.map((form) => `\`${form}\``).join(", ")}` },
    ],
  };
}

export const REGISTRY_UNAVAILABLE_TEXT =
  "Diariet svarar inte just nu. Försök igen om en stund; kvarstår felet, kontakta registraturen.";
export const REGISTRY_BUSY_TEXT = "Många frågar just nu, försök igen om en stund.";

export function registryUnavailableMessage(): SlackMessage {
  return textMessage(REGISTRY_UNAVAILABLE_TEXT);
}

/**
 * What to say when a call to the registry failed: too many asking at once is worth waiting out;
 * anything else is the registry not answering.
 */
export function registryProblemText(error: unknown): string {
  return isRegistryBusy(error) ? REGISTRY_BUSY_TEXT : REGISTRY_UNAVAILABLE_TEXT;
}

export function registryProblemMessage(error: unknown): SlackMessage {
  return textMessage(registryProblemText(error));
}

/** An error no listener expected: the reference ties what the official saw to the operator's log. */
export function unexpectedErrorMessage(reference: string): SlackMessage {
  return textMessage(
    `Något gick fel hos arendebot (referens ${reference}). Försök igen om en stund; kvarstår felet, ge referensen till den som sköter arendebot.`,
  );
}
