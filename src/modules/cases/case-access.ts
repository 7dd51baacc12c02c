import type { CaseDetails } from "./case-details.js";

/**
 * Who may see more than a restricted case's public data. Until people and roles exist in the
 * registry, that is the case officer; this is the one place a role model will replace.
 */
export function canSeeRestrictedCase(slackUserId: string, details: CaseDetails): boolean {
  if (!details.restricted) return true;
  return details.officerSlackUserId !== null && details.officerSlackUserId === slackUserId;
}
