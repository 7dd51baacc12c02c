/**
 * A sentence that names people: plain text, and people who are rendered as a Slack mention in Slack
 * and by name in the terminal. Presentations use this so one Swedish sentence serves both.
 */
export type PersonRef = { slackUserId: string | null; name: string | null };
export type RichText = readonly (string | { person: PersonRef })[];

const SLACK_USER_ID = /^[UW][A-Z0-9]{2,39}$/;

/** A Slack user id that may be put in a mention as it is; anything else is shown by name. */
export function isSlackUserId(value: string | null | undefined): value is string {
  return typeof value === "string" && SLACK_USER_ID.test(value);
}

/** "anna (U0123ABCD)", "U0123ABCD" or "anna"; "okänd" when nothing is known. */
export function personAsText(person: PersonRef): string {
  const id = person.slackUserId?.trim() || null;
  const name = person.name?.trim() || null;
  if (id && name && name !== id) return `${name} (${id})`;
  return id ?? name ?? "okänd";
}

/** The terminal's rendering: people by name and id. */
export function richAsText(text: RichText): string {
  return text.map((part) => (typeof part === "string" ? part : personAsText(part.person))).join("");
}
