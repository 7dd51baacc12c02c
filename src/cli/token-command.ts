import { say } from "../messages/sv.js";
import { createToken, listTokens, revokeToken, type TokenRight } from "../modules/api-tokens/tokens.js";
import type { CliActor, RequestContext } from "../modules/shared/context.js";
import { formatStockholmTime } from "../modules/shared/swedish-time.js";

/** How a right is typed and shown: `--rätt läsa|skriva`. */
export const RIGHT_WORDS: Record<string, TokenRight> = { läsa: "read", skriva: "write" };
const RIGHT_NAMES: Record<TokenRight, string> = { read: "läsa", write: "skriva" };

type Streams = { out: NodeJS.WritableStream; err: NodeJS.WritableStream };

/**
 * `arendebot token skapa --namn NAMN --rätt läsa|skriva`: the token alone on standard output (for a
 * script to take), what to do with it on standard error. It is shown this once; only its hash is kept.
 * Exit 0 made, 2 refused (a bad or taken name).
 */
export async function runCreateToken(
  ctx: RequestContext<CliActor>,
  { name, right, out, err }: { name: string; right: TokenRight } & Streams,
): Promise<number> {
  const result = await createToken(ctx, { name, right });
  if (!result.ok) return fail(err, say(result.error));
  out.write(`${result.secret}\n`);
  err.write(
    `API-nyckeln «${name}» är skapad och får ${right === "write" ? "läsa och skriva" : "bara läsa"}. Spara den nu: den visas inte igen. Skicka den som Authorization: Bearer <nyckel>.\n`,
  );
  return 0;
}

/** `arendebot token lista`: name, right, made when and by whom, and whether it is revoked. Never a secret. */
export async function runListTokens(ctx: RequestContext<CliActor>, { out }: Streams): Promise<number> {
  const tokens = await listTokens(ctx);
  if (tokens.length === 0)
    out.write("Inga API-nycklar. Skapa en med arendebot token skapa --namn NAMN --rätt läsa.\n");
  for (const token of tokens) {
    const state = token.revokedAt
      ? `återkallad ${formatStockholmTime(token.revokedAt)} av ${token.revokedBy ?? "?"}`
      : "giltig";
    out.write(
      `${token.name}\t${RIGHT_NAMES[token.right]}\tskapad ${formatStockholmTime(token.createdAt)} av ${token.createdBy}\t${state}\n`,
    );
  }
  return 0;
}

/** `arendebot token återkalla NAMN`: from the next request on, the token is answered 401. Exit 1 if no such token. */
export async function runRevokeToken(
  ctx: RequestContext<CliActor>,
  { name, out, err }: { name: string } & Streams,
): Promise<number> {
  const result = await revokeToken(ctx, { name });
  if (!result.ok) {
    err.write(`${plain(say(result.error))}\n`);
    return 1;
  }
  out.write(`API-nyckeln «${name}» är återkallad.\n`);
  return 0;
}

function fail(err: NodeJS.WritableStream, message: string): number {
  err.write(`${plain(message)}\n`);
  return 2;
}

/** Slack's `code` marks read as plain quotes in a terminal. */
function plain(text: string): string {
  return text.replace(/`([^`]*)`/g, "«$1»");
}
