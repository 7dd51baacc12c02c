import { caseLabel } from "../cases/present-case.js";
import type { RichText } from "../shared/rich-text.js";
import { formatStockholmTime } from "../shared/swedish-time.js";
import { type Audience, describeEvent } from "./describe-event.js";
import type { CaseHistory } from "./get-case-history.js";

/** One line of the history: when, what (naming who), and what was written, if anything. */
export type HistoryEntry = { eventId: number; when: string; text: RichText; details: RichText[] };

/**
 * A page of a case's history, in Swedish, independent of where it is shown: Slack renders it as
 * blocks with mentions, the terminal as plain text.
 */
export type HistoryPresentation = {
  caseId: number;
  audience: Audience;
  label: string;
  /** The full title, or the public title when only public data may be shown. */
  title: string;
  heading: string;
  /** "Händelse 1–20 av 57, nyast först · sida 1 av 3". */
  position: string;
  entries: HistoryEntry[];
  page: number;
  pages: number;
  total: number;
  notice: string | null;
  fallbackText: string;
};

export const HISTORY_RESTRICTED_NOTICE =
  "Ärendet omfattas av sekretess. Här visas endast offentliga uppgifter: när något ändrades, vilket slags ändring det var, varifrån den kom och vilka datum den gäller.";

export function presentHistory(
  history: CaseHistory,
  { audience }: { audience: Audience },
): HistoryPresentation {
  const { details, page, pages, total, pageSize } = history;
  // A case that is not restricted is public in full whatever the audience.
  const shown: Audience = details.restricted ? audience : "full";
  const label = caseLabel(details);
  const first = (page - 1) * pageSize + 1;
  const last = first + history.events.length - 1;
  const position =
    total === 0
      ? "Inga ändringar är registrerade för ärendet."
      : `${history.events.length === 1 ? `Händelse ${first}` : `Händelse ${first}–${last}`} av ${total}, nyast först${pages > 1 ? ` · sida ${page} av ${pages}` : ""}`;
  return {
    caseId: details.id,
    audience: shown,
    label,
    title: shown === "full" ? details.title : details.publicTitle,
    heading: `Historik · ${label}`,
    position,
    entries: history.events.map((event) => ({
      eventId: event.id,
      when: formatStockholmTime(event.occurredAt),
      ...describeEvent(event, history.context, shown),
    })),
    page,
    pages,
    total,
    notice: !details.restricted
      ? null
      : shown === "public"
        ? HISTORY_RESTRICTED_NOTICE
        : "Sekretess: visa inte historiken i en kanal.",
    fallbackText: `Historik för ${label}: ${position}`,
  };
}
