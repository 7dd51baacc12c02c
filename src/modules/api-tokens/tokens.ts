import { recordAudit } from "../audit/audit.repository.js";
import type { ApiTokenActor, CliActor, RequestContext } from "../shared/context.js";
import {
  type ApiTokenRight,
  findLiveTokenByHash,
  insertToken,
  listTokens as listTokenRows,
  revokeLiveToken,
} from "./api-tokens.repository.js";
import { API_TOKEN_ERRORS, type ApiTokenError } from "./errors.js";
import { hashTokenSecret, newTokenSecret, TOKEN_PREFIX } from "./token-secret.js";

export type { ApiTokenRight };

/** What an integration platform's token may do: read cases and changes, or also write cases. */
export type TokenRight = ApiTokenRight;

export type TokenSummary = {
  id: number;
  name: string;
  right: TokenRight;
  createdAt: Date;
  createdBy: string;
  revokedAt: Date | null;
  revokedBy: string | null;
};

/** Letters (å, ä, ö too), digits, `.`, `_` and `-`: the name is typed on a command line and logged. */
const NAME = /^[\p{L}\p{N}][\p{L}\p{N}._-]{0,63}$/u;

export type CreateTokenResult =
  | { ok: true; token: TokenSummary; secret: string }
  | { ok: false; error: ApiTokenError };

/**
 * `arendebot token skapa`: only the terminal makes tokens. The secret is returned once, here, and
 * never stored; the audit event names the token, never the secret.
 */
export async function createToken(
  ctx: RequestContext<CliActor>,
  { name, right }: { name: string; right: TokenRight },
): Promise<CreateTokenResult> {
  if (!NAME.test(name)) return { ok: false, error: { code: API_TOKEN_ERRORS.badName, params: { name } } };
  const secret = newTokenSecret();
  const at = ctx.clock.now();
  const created = await ctx.db.transaction(async (tx) => {
    const row = await insertToken(tx, {
      name,
      right,
      tokenHash: hashTokenSecret(secret),
      createdAt: at,
      createdBy: ctx.actor.user,
    });
    if (!row) return null;
    await recordAudit(tx, {
      actor: ctx.actor,
      at,
      entries: [
        { action: "api_token.created", entityType: "api_token", entityId: row.id, changes: { name, right } },
      ],
    });
    return row;
  });
  if (!created) return { ok: false, error: { code: API_TOKEN_ERRORS.nameTaken, params: { name } } };
  return { ok: true, token: summary(created), secret };
}

/** `arendebot token lista`: every token, live and revoked, by name; never a secret. */
export async function listTokens(ctx: Pick<RequestContext, "db">): Promise<TokenSummary[]> {
  return (await listTokenRows(ctx.db)).map(summary);
}

export type RevokeTokenResult = { ok: true; token: TokenSummary } | { ok: false; error: ApiTokenError };

/** `arendebot token återkalla NAMN`: from the next request on, the token is answered 401. */
export async function revokeToken(
  ctx: RequestContext<CliActor>,
  { name }: { name: string },
): Promise<RevokeTokenResult> {
  const at = ctx.clock.now();
  const revoked = await ctx.db.transaction(async (tx) => {
    const row = await revokeLiveToken(tx, { name, at, by: ctx.actor.user });
    if (!row) return null;
    await recordAudit(tx, {
      actor: ctx.actor,
      at,
      entries: [
        { action: "api_token.revoked", entityType: "api_token", entityId: row.id, changes: { name } },
      ],
    });
    return row;
  });
  if (!revoked) return { ok: false, error: { code: API_TOKEN_ERRORS.unknownName, params: { name } } };
  return { ok: true, token: summary(revoked) };
}

export type AuthenticatedToken = { actor: ApiTokenActor; right: TokenRight };

/**
 * The live token a bearer secret belongs to, or null. Read from the database on every request, so a
 * revocation holds at once on every replica.
 */
export async function authenticateToken(
  ctx: Pick<RequestContext, "db">,
  { secret }: { secret: string },
): Promise<AuthenticatedToken | null> {
  if (!secret.startsWith(TOKEN_PREFIX) || secret.length > 200) return null;
  const row = await findLiveTokenByHash(ctx.db, hashTokenSecret(secret));
  if (!row) return null;
  return { actor: { type: "api_token", tokenId: row.id, name: row.name }, right: row.right };
}

function summary(row: {
  id: number;
  name: string;
  right: TokenRight;
  createdAt: Date;
  createdBy: string;
  revokedAt: Date | null;
  revokedBy: string | null;
}): TokenSummary {
  return {
    id: row.id,
    name: row.name,
    right: row.right,
    createdAt: row.createdAt,
    createdBy: row.createdBy,
    revokedAt: row.revokedAt,
    revokedBy: row.revokedBy,
  };
}
