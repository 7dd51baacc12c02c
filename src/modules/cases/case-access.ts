import type { UserRoles } from "../access/roles.js";
import type { CaseDetails } from "./case-details.js";

/**
 * Who may see more than a restricted case's public data: its case officer, an admin, and the people
 * who hold a role for the case's responsible body (the body whose registry holds the secret).
 */
export function canSeeRestrictedCase(
  viewer: UserRoles,
  details: Pick<CaseDetails, "restricted" | "officerSlackUserId" | "responsibleBody">,
): boolean {
  if (!details.restricted) return true;
  if (details.officerSlackUserId !== null && details.officerSlackUserId === viewer.slackUserId) return true;
  if (viewer.isAdmin) return true;
  const bodyId = details.responsibleBody?.id;
  return bodyId !== undefined && (viewer.byBody.get(bodyId)?.size ?? 0) > 0;
}
