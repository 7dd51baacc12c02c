import { type Coded, SV, say } from "../../src/messages/sv.js";
import { ROLE_ERRORS } from "../../src/modules/access/errors.js";
import type { Action } from "../../src/modules/access/permissions.js";
import { DIGEST_ERRORS } from "../../src/modules/digests/errors.js";
import { FOLLOW_ERRORS } from "../../src/modules/follows/errors.js";
import { REFERRAL_ERRORS } from "../../src/modules/referrals/errors.js";
import { RESPONSE_ERRORS } from "../../src/modules/responses/errors.js";

/** The refusal each action's use case answers with, as officials read it (from the catalogue). */
export function refusal(action: Action, body?: string): string {
  const named = { body: body ?? null };
  switch (action) {
    case "configure_digests":
      return say({ code: DIGEST_ERRORS.notAllowed });
    case "send_on_remiss":
      return say({ code: REFERRAL_ERRORS.notAllowed, params: named });
    case "record_response":
      return say({ code: RESPONSE_ERRORS.notAllowed, params: named });
    case "approve_response":
      return say({ code: RESPONSE_ERRORS.approvalNotAllowed, params: named });
    case "manage_roles":
      return say({ code: ROLE_ERRORS.notAllowed });
    case "follow_in_channel":
      return say({ code: FOLLOW_ERRORS.notAllowed });
  }
}

function isCoded(value: object): value is Coded {
  return "code" in value && typeof value.code === "string" && Object.hasOwn(SV, value.code);
}

/**
 * A use case's answer with each coded error as officials read it: `{ code, params }` becomes
 * `{ code, message }`, the message from the catalogue, so a test can compare the words themselves.
 */
export function worded(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(worded);
  if (value === null || typeof value !== "object" || Object.getPrototypeOf(value) !== Object.prototype)
    return value;
  const entries = Object.entries(value)
    .filter(([key]) => !(key === "params" && isCoded(value)))
    .map(([key, field]) => [key, worded(field)]);
  return isCoded(value)
    ? { ...Object.fromEntries(entries), message: say(value) }
    : Object.fromEntries(entries);
}
