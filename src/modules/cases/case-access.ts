import type { UserRoles } from "../access/roles.js";
import { type AudienceSubject, audienceFor, personReading } from "./audience.js";

/**
 * Whether `viewer`, reading alone, may see the case in full: the audience rule of audience.ts
 * (`audienceFor`) for one person, kept under the name its first callers use.
 */
export function canSeeRestrictedCase(viewer: UserRoles, details: AudienceSubject): boolean {
  return audienceFor(personReading(viewer), details) === "full";
}
