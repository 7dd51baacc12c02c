import { createHmac } from "node:crypto";
import { checkAnswerToSlack } from "./fake-slack.js";

export const TEST_SIGNING_SECRET = "test-signing-secret";

export type SignedRequestOptions = {
  contentType: "application/json" | "application/x-www-form-urlencoded";
  secret?: string;
  /** Seconds since the epoch; defaults to now. */
  timestamp?: number;
  headers?: Record<string, string>;
  /** Gives up on the request (a test's own limit), instead of waiting for ever. */
  signal?: AbortSignal;
};

/** Sends a request signed the way Slack signs it: v0 HMAC-SHA256 of "v0:{timestamp}:{raw body}". */
export async function sendSigned(
  url: string,
  rawBody: string,
  options: SignedRequestOptions,
): Promise<Response> {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const signature = `v0=${createHmac("sha256", options.secret ?? TEST_SIGNING_SECRET)
    .update(`v0:${timestamp}:${rawBody}`)
    .digest("hex")}`;
  const response = await fetch(url, {
    method: "POST",
    headers: {
      "content-type": options.contentType,
      "x-slack-request-timestamp": String(timestamp),
      "x-slack-signature": signature,
      ...options.headers,
    },
    body: rawBody,
    ...(options.signal ? { signal: options.signal } : {}),
  });
  // What the bot answers Slack in the HTTP response is held to Slack's limits too.
  if (response.ok && (response.headers.get("content-type") ?? "").includes("json")) {
    checkAnswerToSlack(await response.clone().text());
  }
  return response;
}

export function formBody(fields: Record<string, string>): string {
  return new URLSearchParams(fields).toString();
}

/** Interactivity payloads arrive as a form with one `payload` field holding JSON. */
export function interactionBody(payload: unknown): string {
  return formBody({ payload: JSON.stringify(payload) });
}
