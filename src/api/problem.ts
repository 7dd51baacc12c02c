import type { IncomingMessage, ServerResponse } from "node:http";
import { type Coded, say } from "../messages/sv.js";

export type FieldProblemOut = { field: string; message: string };

/** A problem's `type`: a stable URN per error code (RFC 9457 allows any URI). */
export function problemType(code: string): string {
  return `urn:arendebot:problem:${code}`;
}

/**
 * Answers with `application/problem+json` (RFC 9457): the code, its Swedish sentence as the title,
 * and for 422 every problem by field. A request whose body was not read (refused before it) gets
 * `connection: close`, so its unread body is never taken in.
 */
export function sendProblem(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  error: Coded,
  extra: { headers?: Record<string, string>; errors?: FieldProblemOut[]; detail?: string } = {},
): void {
  const body = {
    type: problemType(error.code),
    title: say(error),
    status,
    code: error.code,
    ...(extra.detail ? { detail: extra.detail } : {}),
    ...(extra.errors ? { errors: extra.errors } : {}),
  };
  send(req, res, status, "application/problem+json; charset=utf-8", JSON.stringify(body), extra.headers);
}

export function sendJson(req: IncomingMessage, res: ServerResponse, status: number, value: unknown): void {
  sendJsonText(req, res, status, JSON.stringify(value));
}

/** JSON already written out (a page of the change feed, in UTF-8). */
export function sendJsonText(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  json: string | Buffer,
): void {
  send(req, res, status, "application/json; charset=utf-8", json);
}

function send(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  contentType: string,
  body: string | Buffer,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent) return;
  const unread = !req.complete;
  res.writeHead(status, {
    "content-type": contentType,
    "content-length": String(Buffer.byteLength(body)),
    "cache-control": "no-store",
    ...(unread ? { connection: "close" } : {}),
    ...headers,
  });
  res.end(body);
  if (unread) res.once("finish", () => req.socket.destroy());
}
