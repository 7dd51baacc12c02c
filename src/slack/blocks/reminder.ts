import { formatSwedishDate } from "../../modules/cases/present-case.js";
import type { SlackMessage } from "./message.js";
import { escapeAndShorten, escapeMrkdwn, shorten } from "./mrkdwn.js";

export type ReminderContent = {
  /** "Dnr 108-1642/2017", or another identifier when the case has no dnr. */
  label: string;
  /** Only ever the public title: the reminder is posted in the answering body's channel. */
  publicTitle: string;
  dueOn: string;
  /** Days from today to the due date; 0 is today. */
  daysLeft: number;
};

/** "om 7 dagar", "om 1 dag", "i dag". */
export function daysLeftPhrase(daysLeft: number): string {
  if (daysLeft <= 0) return "i dag";
  return daysLeft === 1 ? "om 1 dag" : `om ${daysLeft} dagar`;
}

const TITLE_MAX = 500;

/**
 * "Påminnelse: remissvar till Dnr 108-1642/2017 «Bristerna inom socialtjänsten» ska vara inne senast
 * 31 mars 2017 (om 7 dagar)." The same sentence is the notification text and the message.
 */
export function reminderMessage(reminder: ReminderContent): SlackMessage {
  const due = `ska vara inne senast ${formatSwedishDate(reminder.dueOn)} (${daysLeftPhrase(reminder.daysLeft)}).`;
  const text = `Påminnelse: remissvar till ${reminder.label} «${shorten(reminder.publicTitle, TITLE_MAX)}» ${due}`;
  const mrkdwn =
    `:bell: *Påminnelse:* remissvar till ${escapeMrkdwn(shorten(reminder.label, 200))} ` +
    `«${escapeAndShorten(reminder.publicTitle, TITLE_MAX)}» ${due}`;
  return {
    text,
    blocks: [{ type: "section", text: { type: "mrkdwn", text: mrkdwn } }],
  };
}
