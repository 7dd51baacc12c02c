import { canSeeRestrictedCase } from "./case-access.js";
import type { CaseDetails } from "./case-details.js";

/**
 * A channel is seen by many, so a restricted case shows only its public data there; the full card
 * goes only to a person who may see it, in a place only they see.
 */
export function chooseAudience(
  details: CaseDetails,
  { viewer, place }: { viewer: string; place: "channel" | "private" },
): "full" | "public" {
  if (!details.restricted) return "full";
  if (place === "channel") return "public";
  return canSeeRestrictedCase(viewer, details) ? "full" : "public";
}
