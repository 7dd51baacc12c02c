/** Slack treats &, < and > as control characters in text; anything from the registry or a user is escaped. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** Cuts at a word boundary and says so with an ellipsis; Slack rejects a block over its limits. */
export function shorten(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  const space = cut.lastIndexOf(" ");
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

/**
 * Escapes, then fits the result into `max` characters. Escaping first and cutting afterwards could
 * split an entity; cutting first and escaping afterwards could overrun the limit, since "&" becomes
 * five characters. So the raw text is cut until its escaped form fits.
 */
export function escapeAndShorten(text: string, max: number): string {
  let budget = max;
  for (;;) {
    const escaped = escapeMrkdwn(shorten(text, budget));
    if (escaped.length <= max) return escaped;
    budget = Math.floor((budget * max) / escaped.length);
  }
}

export const SLACK_LIMITS = {
  blocksPerMessage: 50,
  blocksPerView: 100,
  sectionText: 3000,
  headerText: 150,
  fieldsPerSection: 10,
  fieldText: 2000,
} as const;
