import { createHmac, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { parse as parseForm } from "node:querystring";

/** What Slack sends unsigned: only `ssl_check=1`, a few hundred bytes. */
const UNSIGNED_MAX_BYTES = 4 * 1024;
/** Slack's own freshness window for a request's signature timestamp. */
const SIGNATURE_MAX_AGE_S = 5 * 60;

export type GuardOptions = { path: string; signingSecret: string; maxBodyBytes: number };
type Listener = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * Stands in front of Bolt's HTTP listener for Slack's endpoint. Bolt reads a whole body before it
 * checks the signature and trusts that a verified body is a JSON object; here a request with a stale
 * timestamp or a body over the limit is refused before its body is read, and a verified body that is
 * not an object (`null`, `payload=null`) is refused before Bolt sees it. The signature is checked here
 * only (the receiver is made with `signatureVerification: false`; a second check cost 1.7% of the
 * bot's time in the bench's CPU profile): an unsigned request is refused unless it is Slack's
 * `ssl_check`, which reaches Bolt as `ssl_check=1` and nothing else. Other paths (health checks) pass
 * straight through.
 */
export function guardSlackEndpoint(boltListener: Listener, options: GuardOptions): Listener {
  return (req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    if (path !== options.path || req.method !== "POST") return boltListener(req, res);
    const signed = typeof req.headers["x-slack-signature"] === "string";
    if (signed && !freshTimestamp(req.headers["x-slack-request-timestamp"])) {
      return refuse(req, res, 401, "stale or missing x-slack-request-timestamp");
    }
    const limit = signed ? options.maxBodyBytes : UNSIGNED_MAX_BYTES;
    const declared = Number(req.headers["content-length"] ?? Number.NaN);
    if (declared > limit) return refuse(req, res, signed ? 413 : 401, "body too large");

    // Bolt reads `rawBody` when present instead of the (now consumed) stream.
    const pass = (rawBody: Buffer) => boltListener(Object.assign(req, { rawBody }), res);
    readAtMost(req, limit).then(
      (body) => {
        if (body === null) return refuse(req, res, signed ? 413 : 401, "body too large");
        if (!signed) {
          if (!isSslCheck(body, req.headers["content-type"])) {
            return refuse(req, res, 401, "missing x-slack-signature");
          }
          return pass(Buffer.from(SSL_CHECK_BODY));
        }
        const timestamp = req.headers["x-slack-request-timestamp"] as string;
        if (
          !signatureMatches(
            options.signingSecret,
            timestamp,
            body,
            req.headers["x-slack-signature"] as string,
          )
        ) {
          return refuse(req, res, 401, "bad signature");
        }
        if (!isObjectPayload(body, req.headers["content-type"])) {
          return refuse(req, res, 400, "body is not a Slack payload");
        }
        pass(body);
      },
      () => refuse(req, res, 400, "body could not be read"),
    );
  };
}

/**
 * Slack's v0 scheme: HMAC-SHA256 of `v0:<timestamp>:<body>`, compared in constant time. Bolt's
 * `verifySlackRequest` compares through tsscmp, which draws a random key and computes two more HMACs
 * per request: 4% of the bot's CPU time in the bench's profile, for the same guarantee that
 * `timingSafeEqual` gives on equal-length buffers.
 */
export function signatureMatches(
  secret: string,
  timestamp: string,
  body: Buffer,
  signature: string,
): boolean {
  const expected = Buffer.from(
    `v0=${createHmac("sha256", secret).update(`v0:${timestamp}:`).update(body).digest("hex")}`,
  );
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function freshTimestamp(header: string | string[] | undefined): boolean {
  const seconds = Number(header);
  return Number.isInteger(seconds) && Math.abs(Date.now() / 1000 - seconds) <= SIGNATURE_MAX_AGE_S;
}

/** The body, or null as soon as it passes `limit` bytes (the rest is never read). */
function readAtMost(req: IncomingMessage, limit: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.off("data", onData);
        req.pause();
        resolve(null);
        return;
      }
      chunks.push(chunk);
    };
    req.on("data", onData);
    req.once("end", () => resolve(Buffer.concat(chunks)));
    req.once("error", reject);
    // A client that goes away mid-body ends neither with "end" nor "error".
    req.once("close", () => {
      if (!req.complete) reject(new Error("the client closed the request before its end"));
    });
  });
}

const SSL_CHECK_BODY = "ssl_check=1";

/** Slack's unsigned check that the endpoint answers over TLS: a form with `ssl_check=1`. */
function isSslCheck(body: Buffer, contentType: string | undefined): boolean {
  if (!(contentType ?? "").startsWith("application/x-www-form-urlencoded")) return false;
  return parseForm(body.toString("utf8")).ssl_check === "1";
}

/** Slack's payloads are JSON objects, as JSON or as a form whose `payload` field is JSON. */
function isObjectPayload(body: Buffer, contentType: string | undefined): boolean {
  const isObject = (value: unknown) => typeof value === "object" && value !== null && !Array.isArray(value);
  try {
    const text = body.toString("utf8");
    if ((contentType ?? "").startsWith("application/x-www-form-urlencoded")) {
      const form = parseForm(text);
      if (form.payload === undefined) return true;
      return typeof form.payload === "string" && isObject(JSON.parse(form.payload));
    }
    return isObject(JSON.parse(text));
  } catch {
    return false;
  }
}

/** Answers with the reason and closes the connection, so an unread body is never taken in. */
function refuse(req: IncomingMessage, res: ServerResponse, status: number, reason: string): void {
  res.writeHead(status, { connection: "close", "content-type": "text/plain; charset=utf-8" });
  res.end(`${reason}\n`);
  res.once("finish", () => req.socket.destroy());
}
