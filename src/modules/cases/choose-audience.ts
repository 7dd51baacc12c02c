import { type Audience, type AudienceSubject, audienceFor, IN_CHANNEL } from "./audience.js";

/**
 * The audience of a place, given whether the reader may see the case in full (canSeeRestrictedCase):
 * the audience rule of audience.ts (`audienceFor`), kept under the name its first callers use.
 */
export function chooseAudience(
  details: Pick<AudienceSubject, "restricted">,
  { mayViewFull, place }: { mayViewFull: boolean; place: "channel" | "private" },
): Audience {
  if (place === "channel") return audienceFor(IN_CHANNEL, details);
  return details.restricted && !mayViewFull ? "public" : "full";
}
