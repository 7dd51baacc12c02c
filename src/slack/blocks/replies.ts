import type { KnownBlock } from "@slack/types";
import { say } from "../../messages/sv.js";
import type { CaseSummary } from "../../modules/cases/case-details.js";
import { ACCEPTED_FORMS, type IdentifierParseError } from "../../modules/identifiers/parse-identifier.js";
import { isRegistryBusy } from "../../modules/shared/availability.js";
import { SHARED_ERRORS } from "../../modules/shared/errors.js";
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
    "• `/arende sök kompetensutvecklingspeng typ:motion`: hitta ärenden på ord ur titeln, med filtren `typ:`, `organ:`, `år:`, `öppna` och `avslutade`; tio träffar i taget",
    "• `/arende historik Dnr 108-1642/2017`: allt som ändrats i ärendet, dess remisser och remissvar, nyast först: när, av vem och vad",
    "• `/arende bevaka Dnr 108-1642/2017`: få ett direktmeddelande när ärendet rör sig (remiss, remissvar, godkännande, beslut, passerad tidsfrist), högst ett i timmen; `… kanal` sist låter kanalen bevaka det (registratorer, administratörer); knappen *Bevaka* på kortet gör detsamma för dig",
    "• `/arende bevakningar`: vad du och kanalen bevakar; `/arende sluta bevaka Dnr 108-1642/2017` (`… kanal`) avslutar en bevakning",
    "• `/arende rapport motioner`: motioner över ettårsgränsen, som Word och CSV i kanalen (`per 2017-04-03`, `schema första måndagen i april`)",
    "• `/arende hjälp`: den här hjälpen",
  ];
  // One section per part: a section holds 3000 characters, and the commands alone come close.
  const more = [...DIGEST_HELP_LINES, "", ...ROLE_HELP_LINES];
  const footer = [
    "Du kan också nämna mig i en kanal eller skriva till mig direkt: `status Dnr 108-1642/2017`.",
    "*Visa ärendet* på ett meddelande visar korten för ärendena det nämner, bara för dig.",
    "Svar på `/arende` syns bara för dig; knappen *Dela i kanalen* visar kortet för alla.",
    "",
    `*Godtagna former:* ${ACCEPTED_FORMS.map((form) => `\`${form}\``).join(", ")}`,
  ];
  return {
    text: "Hjälp för arendebot: /arende status <diarienummer>",
    blocks: [lines, more, footer].map((part) => ({
      type: "section" as const,
      text: { type: "mrkdwn" as const, text: part.join("\n") },
    })),
  };
}

export function invalidIdentifierMessage(error: IdentifierParseError): SlackMessage {
  const message = say(error);
  return {
    text: message,
    blocks: [
      { type: "section", text: { type: "mrkdwn", text: `:grey_question: ${escapeMrkdwn(message)}` } },
      acceptedFormsContext(),
    ],
  };
}

export function unknownCommandMessage(word: string): SlackMessage {
  const text = `Jag känner inte igen kommandot «${word.slice(0, 40)}». Skriv till exempel \`status Dnr 108-1642/2017\` eller \`hjälp\`.`;
  return { text, blocks: [{ type: "section", text: { type: "mrkdwn", text: escapeMrkdwn(text) } }] };
}

/** A slash command the app manifest names and the bot does not answer (the manifest and the bot disagree). */
export function unknownSlashCommandMessage(command: string): SlackMessage {
  const text = `arendebot svarar inte på ${command.slice(0, 40)}. Skriv \`/arende hjälp\` för att se vad du kan fråga.`;
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

export function registryUnavailableMessage(): SlackMessage {
  return textMessage(say({ code: SHARED_ERRORS.registryUnavailable }));
}

/**
 * What to say when a call to the registry failed: too many asking at once is worth waiting out;
 * anything else is the registry not answering.
 */
export function registryProblemText(error: unknown): string {
  return say({
    code: isRegistryBusy(error) ? SHARED_ERRORS.registryBusy : SHARED_ERRORS.registryUnavailable,
  });
}

export function registryProblemMessage(error: unknown): SlackMessage {
  return textMessage(registryProblemText(error));
}

/** An error no listener expected: the reference ties what the official saw to the operator's log. */
export function unexpectedErrorMessage(reference: string): SlackMessage {
  return textMessage(say({ code: SHARED_ERRORS.unexpected, params: { reference } }));
}
