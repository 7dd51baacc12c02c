import { createHash, randomBytes } from "node:crypto";

/**
 * A token is a prefix that secret scanners and people can recognise, and 256 random bits. Only its
 * SHA-256 is stored: a token this random cannot be guessed from its hash, so no salt or slow hash is
 * needed, and a lookup by hash stays one index probe per request.
 */
export const TOKEN_PREFIX = "arendebot_";

export function newTokenSecret(): string {
  return `${TOKEN_PREFIX}${randomBytes(32).toString("base64url")}`;
}

export function hashTokenSecret(secret: string): string {
  return createHash("sha256").update(secret, "utf8").digest("hex");
}
