import { findIdentifiersInText, findIdentifiersInUrl } from "../identifiers/find-identifiers.js";
import { readsEverything } from "../shared/actor.js";
import type { RequestContext } from "../shared/context.js";
import { audienceFor, IN_CHANNEL } from "./audience.js";
import { type CaseStatusResult, findCaseStatus } from "./get-case-status.js";
import { type CasePresentation, presentCase } from "./present-case.js";

/** A message names more cases than one answer can show; the rest are counted. */
export const MAX_MENTIONED_CASES = 4;

export type MentionedCases = {
  /** Each identifier in the message, in order, with its lookup as `/arende status` answers it. */
  lookups: Array<{ identifier: string; result: CaseStatusResult }>;
  /** Identifiers found beyond MAX_MENTIONED_CASES. */
  more: number;
};

/**
 * "Visa ärendet" on a message: the cases its text names, each looked up with the asker's access, as
 * for `/arende status` (the answer goes to the asker alone).
 */
export async function findMentionedCases(
  ctx: Pick<RequestContext, "db" | "actor" | "roles">,
  { text }: { text: string },
): Promise<MentionedCases> {
  const identifiers = findIdentifiersInText(text);
  const shown = identifiers.slice(0, MAX_MENTIONED_CASES);
  const viewer = readsEverything(ctx.actor) ? undefined : ctx.roles;
  const lookups = await Promise.all(
    shown.map(async (identifier) => {
      const query = identifier.type === "dnr" ? `Dnr ${identifier.display}` : identifier.display;
      return {
        identifier: query,
        result: await findCaseStatus({ db: ctx.db, query, ...(viewer ? { viewer } : {}) }),
      };
    }),
  );
  return { lookups, more: identifiers.length - shown.length };
}

/** A link to an e-diarium's case page and the card it unfolds to. */
export type LinkPreview = { url: string; card: CasePresentation };

/**
 * Link previews (`link_shared`): for each link to one of the municipality's e-diarium hosts whose URL
 * holds the number of a case in the registry, that case's card as a channel may read it. A preview is
 * shown to everyone in the conversation, whoever posted the link, so a restricted case unfolds to its
 * public data only. A number naming cases in several registries, or none, unfolds to nothing.
 */
export async function findLinkPreviews(
  ctx: Pick<RequestContext, "db">,
  { urls, domains, today }: { urls: readonly string[]; domains: readonly string[]; today: string },
): Promise<LinkPreview[]> {
  const previews: LinkPreview[] = [];
  for (const url of new Set(urls)) {
    if (!onDomains(url, domains)) continue;
    for (const identifier of findIdentifiersInUrl(url)) {
      const query = identifier.type === "dnr" ? `Dnr ${identifier.display}` : identifier.display;
      const result = await findCaseStatus({ db: ctx.db, query });
      if (result.type !== "found" || result.cases.length !== 1) continue;
      const details = result.cases[0];
      if (!details) continue;
      previews.push({
        url,
        card: presentCase(details, { today, audience: audienceFor(IN_CHANNEL, details) }),
      });
      break;
    }
  }
  return previews;
}

/** The link's host is one of `domains`, or under one ("diarium.kommun.se" under "kommun.se"). */
export function onDomains(url: string, domains: readonly string[]): boolean {
  let host: string;
  try {
    host = new URL(url).hostname.toLowerCase();
  } catch {
    return false;
  }
  return domains.some((domain) => host === domain || host.endsWith(`.${domain}`));
}
