import type { Button, KnownBlock } from "@slack/types";
import { KIND_LABELS, STATUS_LABELS } from "../../modules/cases/case-kinds.js";
import type { HomeCase, HomeContent, ResponseToApprove } from "../../modules/home/get-home.js";
import type { HomeView } from "../../modules/posting/poster.js";
import { formatCalendarDay, formatStockholmDay } from "../../modules/shared/swedish-time.js";
import { approveButton, rejectButton, SLACK_USER_ID } from "./approval-request.js";
import { escapeAndShorten, escapeMrkdwn, SLACK_LIMITS } from "./mrkdwn.js";
import { OPEN_RESPONSE_MODAL_ACTION } from "./response-modal.js";

/** The Home tab's search button; it opens the search modal. */
export const HOME_SEARCH_ACTION = "home.search";

const TITLE_CHARACTERS = 200;

/**
 * The Home tab: Att göra (remisser to answer, overdue first; remissvar to approve), Bevakade ärenden
 * (the case that moved last first), Mina ärenden, and a search button. Each case reads as the use case's audience rule gave it. A list cut short says how
 * many more there are; the whole view stays within Slack's 100 blocks whatever the lists hold.
 */
export function homeView(home: HomeContent): HomeView {
  const blocks: KnownBlock[] = [
    { type: "header", text: { type: "plain_text", text: "Ärenden" } },
    {
      type: "actions",
      elements: [
        {
          type: "button",
          action_id: HOME_SEARCH_ACTION,
          text: { type: "plain_text", text: "Sök ärende" },
          value: "search",
          style: "primary",
        },
      ],
    },
    { type: "header", text: { type: "plain_text", text: "Att göra" } },
  ];
  const toAnswer = home.toAnswer;
  const toApprove = home.toApprove;
  if (toAnswer.total === 0 && toApprove.total === 0) {
    blocks.push(context(home.hasRoles ? "Inget väntar på dig just nu." : NO_ROLE));
  }
  if (toAnswer.total > 0) {
    blocks.push(section(`*Remisser att besvara* (${toAnswer.total})`));
    for (const referral of toAnswer.rows) {
      const due = referral.dueOn
        ? `${referral.overdue ? ":warning: *Försenad*, skulle besvarats" : "Svar senast"} ${formatCalendarDay(referral.dueOn)}`
        : "Inget svarsdatum";
      const state = referral.awaitingApproval ? " · Remissvar inväntar godkännande" : "";
      const text = `${caseLine(referral)}\n${escapeMrkdwn(referral.bodyName)} · ${due}${state}`;
      blocks.push(
        referral.awaitingApproval
          ? section(text)
          : { ...section(text), accessory: respondButton(referral.caseId) },
      );
    }
    more(blocks, toAnswer.total - toAnswer.rows.length);
  }
  if (toApprove.total > 0) {
    blocks.push(section(`*Remissvar att godkänna* (${toApprove.total})`));
    for (const response of toApprove.rows) {
      const what = response.declined ? "avstår från att svara" : "har svarat";
      const by = submitterText(response.submittedBy);
      blocks.push(section(`${caseLine(response)}\n${escapeMrkdwn(response.bodyName)} ${what}${by}`), {
        type: "actions",
        elements: [
          approveButton({
            responseId: response.responseId,
            bodyName: response.bodyName,
            caseLabel: response.label,
          }),
          rejectButton({
            responseId: response.responseId,
            bodyName: response.bodyName,
            caseLabel: response.label,
          }),
        ],
      });
    }
    more(blocks, toApprove.total - toApprove.rows.length);
  }
  blocks.push(
    { type: "divider" },
    { type: "header", text: { type: "plain_text", text: "Bevakade ärenden" } },
  );
  if (home.followed.total === 0) {
    blocks.push(
      context(
        "Du bevakar inga ärenden. Klicka *Bevaka* på ett ärendekort eller skriv `/arende bevaka Dnr …`.",
      ),
    );
  } else {
    for (const follow of home.followed.rows) {
      const latest = follow.latestChange
        ? `Senast: ${escapeMrkdwn(follow.latestChange.label)}, ${formatStockholmDay(follow.latestChange.at)}`
        : "Inga ändringar ännu";
      blocks.push(section(`${caseLine(follow)}\n${latest}`));
    }
    more(blocks, home.followed.total - home.followed.rows.length);
  }
  blocks.push({ type: "divider" }, { type: "header", text: { type: "plain_text", text: "Mina ärenden" } });
  if (home.mine.total === 0) {
    blocks.push(context("Du är inte handläggare för något pågående ärende."));
  } else {
    for (const own of home.mine.rows) {
      const raised = own.raisedOn ? ` · Väckt ${formatCalendarDay(own.raisedOn)}` : "";
      blocks.push(
        section(`${caseLine(own)}\n${KIND_LABELS[own.kind]} · ${STATUS_LABELS[own.status]}${raised}`),
      );
    }
    more(blocks, home.mine.total - home.mine.rows.length);
  }
  return { type: "home", blocks: withinViewLimit(blocks) };
}

const NO_ROLE =
  "Du har ingen roll i någon nämnd ännu, så inga remisser eller remissvar väntar på dig här. En administratör ger roller med `/arende roll ge`.";

function caseLine(item: Pick<HomeCase, "label" | "title">): string {
  return `*${escapeMrkdwn(item.label)}* ${escapeAndShorten(item.title, TITLE_CHARACTERS)}`;
}

/** Who recorded a remissvar: a mention only for a well-formed user id, else the registry's name. */
function submitterText(who: ResponseToApprove["submittedBy"]): string {
  if (who === null) return "";
  if ("name" in who) return ` · Registrerat av ${escapeMrkdwn(who.name)}`;
  return SLACK_USER_ID.test(who.userId) ? ` · Registrerat av <@${who.userId}>` : "";
}

function section(text: string): Extract<KnownBlock, { type: "section" }> {
  return { type: "section", text: { type: "mrkdwn", text } };
}

function context(text: string): KnownBlock {
  return { type: "context", elements: [{ type: "mrkdwn", text }] };
}

function more(blocks: KnownBlock[], hidden: number): void {
  if (hidden > 0) blocks.push(context(`och ${hidden} till`));
}

function respondButton(caseId: number): Button {
  return {
    type: "button",
    action_id: OPEN_RESPONSE_MODAL_ACTION,
    text: { type: "plain_text", text: "Registrera remissvar" },
    value: JSON.stringify({ caseId }),
  };
}

/** A last guard: the lists are sized to fit, but a view over 100 blocks would not be shown at all. */
function withinViewLimit(blocks: KnownBlock[]): KnownBlock[] {
  if (blocks.length <= SLACK_LIMITS.blocksPerView) return blocks;
  const kept = blocks.slice(0, SLACK_LIMITS.blocksPerView - 1);
  kept.push(context("Fler ärenden finns än som får plats här. Sök med knappen ovan."));
  return kept;
}
