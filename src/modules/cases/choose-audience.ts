import type { CaseDetails } from "./case-details.js";

/**
 * A channel is seen by many, so a restricted case shows only its public data there; the full card
 * goes only to a person who may see it (canSeeRestrictedCase), in a place only they see.
 */
export function chooseAudience(
  details: Pick<CaseDetails, "restricted">,
  { mayViewFull, place }: { mayViewFull: boolean; place: "channel" | "private" },
): "full" | "public" {
  if (!details.restricted) return "full";
  if (place === "channel") return "public";
  return mayViewFull ? "full" : "public";
}
