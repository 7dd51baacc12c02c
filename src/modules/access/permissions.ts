/**
 * Who may do what. Until the registry has roles, the Slack user ids in ARENDE_ADMINS stand for the
 * registry clerks and administrators; a role model replaces the body of these functions and nothing else.
 */

/** A refusal says, in Swedish, who may do it and how to get the right. */
export type Permission = { allowed: true } | { allowed: false; message: string };

export const CONFIGURE_DIGESTS_REFUSAL =
  "Bara registratorer och administratörer kan ändra bevakningsutskicket. Be någon av dem, eller be driftansvarig lägga till dig i ARENDE_ADMINS.";

/** Subscribing a channel to the weekly digest, changing it and ending it. Reading it is open to all. */
export function canConfigureDigests({
  userId,
  admins,
}: {
  userId: string;
  admins: readonly string[];
}): Permission {
  if (userId !== "" && admins.includes(userId)) return { allowed: true };
  return { allowed: false, message: CONFIGURE_DIGESTS_REFUSAL };
}
