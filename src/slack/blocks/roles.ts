import type { KnownBlock } from "@slack/types";
import { say } from "../../messages/sv.js";
import { ROLE_ERRORS, type RoleError } from "../../modules/access/errors.js";
import type { ListRolesResult, RoleEntry } from "../../modules/access/list-roles.js";
import { GRANT_EXAMPLE, REVOKE_EXAMPLE } from "../../modules/access/parse-role-command.js";
import { type RoleChangeResult, roleChangeSentence } from "../../modules/access/role-change.js";
import { ROLE_NAMES, ROLES } from "../../modules/access/roles.js";
import type { SlackMessage } from "./message.js";
import { escapeMrkdwn, SLACK_LIMITS } from "./mrkdwn.js";

/** Replies to `/arende roll …`: confirmations, the list, errors, help. All private to the asker. */

export const ROLE_HELP_LINES = [
  "*Roller* (ges och tas av administratörer)",
  `• ${GRANT_EXAMPLE}: ge en roll för ett organ (\`tilldela\` går också)`,
  `• ${REVOKE_EXAMPLE}: ta bort den (\`ta bort\` går också)`,
  "• `/arende roll ge @namn admin`: gör någon till administratör (utan organ)",
  "• `/arende roll lista`, `/arende roll lista @namn`, `/arende roll lista socialnämnden`: vem som har vilken roll",
  "Rollerna är `registrator`, `handläggare`, `godkännare` och `admin`. Välj personen i listan som kommer upp när du skriver @. Organ anges med kod eller namn.",
];

export function roleHelpMessage(): SlackMessage {
  return {
    text: "Roller: /arende roll ge | ta | lista",
    blocks: [section(ROLE_HELP_LINES.join("\n"))],
  };
}

export function roleErrorMessage(error: RoleError): SlackMessage {
  const icon = error.code === ROLE_ERRORS.notAllowed ? ":no_entry:" : ":grey_question:";
  const message = say(error);
  return {
    text: message.replace(/`/g, ""),
    blocks: [section(`${icon} ${escapeMrkdwn(message)}`)],
  };
}

export function roleChangeMessage(result: RoleChangeResult): SlackMessage {
  if (!result.ok) return roleErrorMessage(result.error);
  const mention = `<@${result.grant.slackUserId}>`;
  const text = escapeMrkdwn(roleChangeSentence(result, USER_MARK)).replaceAll(USER_MARK, mention);
  const icon = result.outcome === "granted" || result.outcome === "revoked" ? ":white_check_mark: " : "";
  return { text, blocks: [section(`${icon}${text}`)] };
}

export function roleListMessage(result: ListRolesResult): SlackMessage {
  if (!result.ok) return roleErrorMessage(result.error);
  const { filter, entries } = result;
  const heading =
    filter === null
      ? "*Roller i arendebot*"
      : "userId" in filter
        ? `*Roller för <@${filter.userId}>*`
        : `*Roller för ${escapeMrkdwn(filter.body.name)}*`;
  if (entries.length === 0) {
    const none =
      filter !== null && "userId" in filter
        ? `<@${filter.userId}> har ingen roll. En administratör ger roller med ${GRANT_EXAMPLE}.`
        : `Ingen har någon roll här än. En administratör ger roller med ${GRANT_EXAMPLE}.`;
    return { text: none.replace(/`/g, ""), blocks: [section(`${heading}\n${none}`)] };
  }
  const lines = groupLines(entries);
  const blocks: KnownBlock[] = [];
  let current = heading;
  for (const line of lines) {
    if (current.length + line.length + 1 > SLACK_LIMITS.sectionText - 100) {
      blocks.push(section(current));
      current = line;
    } else {
      current += `\n${line}`;
    }
  }
  blocks.push(section(current));
  const shown = blocks.slice(0, SLACK_LIMITS.blocksPerMessage - 1);
  if (shown.length < blocks.length) {
    shown.push(
      section(
        "Listan är för lång för ett meddelande; ange ett organ eller en person, till exempel `/arende roll lista socialnämnden`.",
      ),
    );
  }
  return { text: `Roller: ${entries.length} st.`, blocks: shown };
}

/** "• Administratörer: <@U1>, <@U2> (ARENDE_ADMINS)" and per body "• Socialnämnden, godkännare: <@U3>". */
function groupLines(entries: readonly RoleEntry[]): string[] {
  const groups = new Map<string, string[]>();
  for (const role of ROLES) {
    for (const entry of entries.filter((candidate) => candidate.role === role)) {
      const label =
        entry.body === null
          ? capitalize(ROLE_NAMES[role].many)
          : `${escapeMrkdwn(entry.body.name)}, ${ROLE_NAMES[role].many}`;
      const who = `<@${entry.slackUserId}>${entry.byConfig ? " (ARENDE_ADMINS)" : ""}`;
      groups.set(label, [...(groups.get(label) ?? []), who]);
    }
  }
  return [...groups.entries()]
    .sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b, "sv"))
    .map(([label, people]) => `• ${label}: ${people.join(", ")}`);
}

function rank(label: string): number {
  return label === capitalize(ROLE_NAMES.admin.many) ? 0 : 1;
}

function capitalize(text: string): string {
  return text.charAt(0).toLocaleUpperCase("sv") + text.slice(1);
}

const USER_MARK = "\u0001";

function section(text: string): KnownBlock {
  return { type: "section", text: { type: "mrkdwn", text } };
}
