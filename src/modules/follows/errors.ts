import type { Coded } from "../../messages/sv.js";

/**
 * Stable codes of following a case (`/arende bevaka`, `bevakningar`, `sluta bevaka`, the Bevaka
 * button). Worded by the catalogue (src/messages/sv.ts) at the edges.
 */
export const FOLLOW_ERRORS = {
  missingIdentifier: "follows.missing_identifier",
  unexpectedWords: "follows.unexpected_words",
  notInChannel: "follows.not_in_channel",
  notAllowed: "follows.not_allowed",
  notEntitled: "follows.not_entitled",
  channelRestricted: "follows.channel_restricted",
  alreadyFollowing: "follows.already_following",
  notFollowing: "follows.not_following",
  severalRegistries: "follows.several_registries",
  caseGone: "follows.case_gone",
} as const;

export type FollowErrorCode = (typeof FOLLOW_ERRORS)[keyof typeof FOLLOW_ERRORS];

/** A refusal or a problem with what was typed; the catalogue says what to do instead. */
export type FollowError = Coded<FollowErrorCode>;
