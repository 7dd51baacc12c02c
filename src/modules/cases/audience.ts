import type { UserRoles } from "../access/roles.js";

/**
 * The one rule for what a reader may be told of a case. Every outgoing text that names a case (case
 * cards, modals, approval requests and their updates, notices to submitters and channels, remiss
 * notices, reminders, digests, suggestions) is built for the audience `audienceFor` gives:
 *
 * - "full": what the registry holds;
 * - "public": what the public register holds (OSL 5 kap.): identifier, public title and dates.
 *
 * A case that is not restricted is "full" for everyone. A restricted case is "full" only for a
 * person entitled to it (`isEntitled`) who reads alone: an ephemeral answer, a direct message, a
 * modal. A channel is read by many, and by whoever joins it later, so it gets "public" even when the
 * person who asked may see more. Lists posted to channels (digests, reminders, suggestions) load
 * only public data in the first place.
 */
export type Audience = "full" | "public";

/** Who reads an outgoing text: one person alone, a channel, or an integration platform. */
export type Reader = { type: "person"; roles: UserRoles } | ChannelReader | IntegrationReader;
export type ChannelReader = { type: "channel" };
/**
 * A system of the municipality reading through the HTTP API with a token. It hands what it reads on to
 * other systems and their users (an e-archive, a web diary, a data warehouse), none of whom the rule
 * can check, so, like a channel, it gets a restricted case's public data only. A token names a
 * system, not a person: no role makes it entitled.
 */
export type IntegrationReader = { type: "integration" };

export const IN_CHANNEL: ChannelReader = { type: "channel" };
export const INTEGRATION: IntegrationReader = { type: "integration" };

export function personReading(roles: UserRoles): Reader {
  return { type: "person", roles };
}

/** What the rule needs to know of a case. CaseDetails has it. */
export type AudienceSubject = {
  restricted: boolean;
  officerSlackUserId: string | null;
  responsibleBody: { id: number } | null;
};

/**
 * Who is entitled to a restricted case: its case officer, an admin, and the people who hold a role
 * for the case's responsible body (the body whose registry holds the secret). A role for another
 * body, such as the body the case was sent to on remiss, gives no right to the case.
 */
export function isEntitled(roles: UserRoles, subject: AudienceSubject): boolean {
  if (subject.officerSlackUserId && subject.officerSlackUserId === roles.slackUserId) return true;
  if (roles.isAdmin) return true;
  const bodyId = subject.responsibleBody?.id;
  return bodyId !== undefined && (roles.byBody.get(bodyId)?.size ?? 0) > 0;
}

/** A channel needs to know only whether the case is restricted; a person, who they are to it. */
export function audienceFor(
  reader: ChannelReader | IntegrationReader,
  subject: Pick<AudienceSubject, "restricted">,
): Audience;
export function audienceFor(reader: Reader, subject: AudienceSubject): Audience;
export function audienceFor(
  reader: Reader,
  subject: AudienceSubject | Pick<AudienceSubject, "restricted">,
): Audience {
  if (!subject.restricted) return "full";
  if (reader.type !== "person") return "public";
  return "responsibleBody" in subject && isEntitled(reader.roles, subject) ? "full" : "public";
}

/** The case's title as the audience may read it. */
export function titleFor(audience: Audience, subject: { title: string; publicTitle: string }): string {
  return audience === "full" ? subject.title : subject.publicTitle;
}
