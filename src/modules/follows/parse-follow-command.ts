import { FOLLOW_ERRORS, type FollowError } from "./errors.js";

export type ParsedFollow = { ok: true; query: string; channel: boolean } | { ok: false; error: FollowError };

/** The last word that makes the channel the follower: `/arende bevaka Dnr 108-1642/2017 kanal`. */
const CHANNEL_WORDS = new Set(["kanal", "kanalen"]);

/**
 * The words after `bevaka` or `sluta bevaka`: an identifier as `status` takes it, and `kanal` last for
 * the channel's follow. Nothing but `kanal` is an identifier missing, said with an example.
 */
export function parseFollowArguments(words: string, verb: "bevaka" | "sluta bevaka"): ParsedFollow {
  const parts = words.trim().split(/\s+/).filter(Boolean);
  const last = parts.at(-1)?.toLowerCase();
  const channel = last !== undefined && CHANNEL_WORDS.has(last);
  const query = (channel ? parts.slice(0, -1) : parts).join(" ");
  if (query === "") return { ok: false, error: { code: FOLLOW_ERRORS.missingIdentifier, params: { verb } } };
  return { ok: true, query, channel };
}
