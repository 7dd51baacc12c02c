import {
  type Audience,
  type AudienceSubject,
  audienceFor,
  IN_CHANNEL,
  personReading,
  titleFor,
} from "../cases/audience.js";
import { caseLabel } from "../cases/present-case.js";
import { type ReadingContext, rolesOfUser } from "../shared/context.js";
import type { DecisionContext } from "./decisions.repository.js";

/**
 * A remissvar as one audience may read it: in an approval request, its update after a decision, the
 * reason form, the notices to the submitter and to the responsible body's channel. For the public
 * audience of a restricted case the answer itself (summary, document, link) is left out along with
 * the full title: an answer to a remiss on a secret case may quote the secret.
 */
export type ResponseView = {
  responseId: number;
  audience: Audience;
  caseLabel: string;
  /** The full title, or the public title for the public audience of a restricted case. */
  caseTitle: string;
  bodyName: string;
  kind: "answer" | "declined";
  documentTitle: string | null;
  /** Null when withheld (see `withheldNotice`). */
  summary: string | null;
  link: string | null;
  answeredOn: string | null;
  submittedBySlackUserId: string | null;
  /** Why the summary is not shown, in Swedish; null when nothing is withheld. */
  withheldNotice: string | null;
};

export const SUMMARY_WITHHELD_NOTICE =
  "Ärendet är sekretessbelagt, så svarets sammanfattning visas inte här och ärendet bara med sin offentliga titel. Läs svaret i diariet.";

export function caseLabelOf(context: Pick<DecisionContext, "dnr" | "firstIdentifier" | "caseId">): string {
  const identifiers = context.firstIdentifier ? [context.firstIdentifier] : [];
  return caseLabel({ id: context.caseId, dnr: context.dnr, identifiers });
}

/** The case of a remissvar, as the audience rule reads it. */
export function responseCase(context: DecisionContext): AudienceSubject {
  return {
    restricted: context.restricted,
    officerSlackUserId: context.officerSlackUserId,
    responsibleBody: context.responsibleBodyId === null ? null : { id: context.responsibleBodyId },
  };
}

export function viewResponse(context: DecisionContext, audience: Audience): ResponseView {
  const full = audience === "full";
  return {
    responseId: context.responseId,
    audience,
    caseLabel: caseLabelOf(context),
    caseTitle: titleFor(audience, context),
    bodyName: context.bodyName,
    kind: context.kind,
    documentTitle: full ? context.documentTitle : null,
    summary: full ? context.summary : null,
    link: full ? context.link : null,
    answeredOn: context.answeredOn,
    submittedBySlackUserId: context.submittedBySlackUserId,
    withheldNotice: full ? null : SUMMARY_WITHHELD_NOTICE,
  };
}

/** Whom a text about a remissvar is for: a channel, or one Slack user. */
export type ResponseReader = { type: "channel" } | { type: "person"; slackUserId: string };

/** What reading a remissvar needs: the database (or the open transaction) and who may read what. */
export type ResponseReaders = Pick<ReadingContext, "db" | "admins" | "actor" | "roles">;

/**
 * The view of the remissvar for `reader`, decided by the audience rule with the reader's roles (the
 * actor's own as the context already holds them).
 */
export async function viewResponseFor(
  ctx: ResponseReaders,
  context: DecisionContext,
  reader: ResponseReader,
): Promise<ResponseView> {
  if (reader.type === "channel") return viewResponse(context, audienceFor(IN_CHANNEL, context));
  const roles = await rolesOfUser(ctx, reader.slackUserId);
  return viewResponse(context, audienceFor(personReading(roles), responseCase(context)));
}
