import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { ApiServices, TokenServices } from "../api-services.js";
import { say } from "../messages/sv.js";
import type { AuthenticatedToken } from "../modules/api-tokens/tokens.js";
import { formatPath } from "../modules/import/import.schema.js";
import { changesQuerySchema } from "../modules/integration/api-schemas.js";
import { changesPageJson } from "../modules/integration/change-feed.js";
import { INTEGRATION_ERRORS } from "../modules/integration/errors.js";
import {
  isRegistryError,
  type RegistryBusyError,
  type RegistryUnavailableError,
} from "../modules/shared/availability.js";
import { SHARED_ERRORS } from "../modules/shared/errors.js";
import type { Logger } from "../observability/logger.js";
import { openApiDocument } from "./openapi.js";
import { sendJson, sendJsonText, sendProblem } from "./problem.js";
import { RateLimiter } from "./rate-limit.js";

export const API_PREFIX = "/api/";

export type ApiOptions = {
  services: ApiServices;
  maxBodyBytes: number;
  ratePerMinute: number;
  logger: Logger;
  /** Monotonic milliseconds, for the rate limit. */
  now?: () => number;
};

/** Handles a request when its path is the API's; false when it is someone else's (Slack, health). */
export type ApiHandler = (req: IncomingMessage, res: ServerResponse) => boolean;

type Route = "cases" | "case" | "changes" | "openapi";
type Answer = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * The HTTP API for integration platforms, in front of Slack's endpoint on the same port. Every answer
 * is JSON, every refusal application/problem+json; nothing a client sends ends the process: any error
 * is answered 500 with a reference that ties it to the log.
 */
export function createApiHandler(options: ApiOptions): ApiHandler {
  const limiter = new RateLimiter(options.ratePerMinute, options.now);
  let openApi: string | undefined;
  return (req, res) => {
    const url = parseUrl(req.url);
    if (!url?.pathname.startsWith(API_PREFIX)) return false;
    serve(req, res, url).catch((error: unknown) => {
      const reference = randomBytes(3).toString("hex").toUpperCase();
      options.logger.error({ err: error, reference, path: url.pathname }, "API request failed");
      sendProblem(req, res, 500, { code: SHARED_ERRORS.unexpected, params: { reference } });
    });
    return true;
  };

  async function serve(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const found = route(url.pathname);
    if (!found) return sendProblem(req, res, 404, { code: INTEGRATION_ERRORS.unknownRoute });
    const allowed = found.route === "cases" ? "PUT" : "GET";
    if (req.method !== allowed && !(allowed === "GET" && req.method === "HEAD")) {
      return sendProblem(
        req,
        res,
        405,
        { code: INTEGRATION_ERRORS.methodNotAllowed, params: { allowed } },
        {
          headers: { allow: allowed },
        },
      );
    }
    if (found.route === "openapi") {
      openApi ??= JSON.stringify(
        openApiDocument({ maxBodyBytes: options.maxBodyBytes, ratePerMinute: options.ratePerMinute }),
      );
      res.writeHead(200, { "content-type": "application/json; charset=utf-8" });
      res.end(openApi);
      return;
    }

    const secret = bearer(req.headers.authorization);
    const unauthorized = () =>
      sendProblem(
        req,
        res,
        401,
        { code: INTEGRATION_ERRORS.unauthorized },
        {
          headers: { "www-authenticate": 'Bearer realm="arendebot"' },
        },
      );
    if (!secret) return unauthorized();
    const wait = limiter.take(secret);
    if (wait > 0) {
      return sendProblem(
        req,
        res,
        429,
        { code: INTEGRATION_ERRORS.rateLimited, params: { retryAfterS: wait } },
        {
          headers: { "retry-after": String(wait) },
        },
      );
    }
    let token: AuthenticatedToken | null;
    try {
      token = await options.services.authenticate(secret);
    } catch (error) {
      if (isRegistryError(error)) return busy(req, res, error.code);
      throw error;
    }
    if (!token) return unauthorized();

    const services = options.services.forToken(token);
    // The answer is decided first, audited with its status, then sent: what the trail says was
    // answered is what the client got.
    let answer: { status: number; send: Answer };
    try {
      answer = await handle(found, req, url, token, services);
    } catch (error) {
      if (!isRegistryError(error)) throw error;
      const code = error.code;
      answer = { status: 503, send: (q, s) => busy(q, s, code) };
    }
    await services
      .recordCall({
        method: req.method ?? "",
        path: url.pathname,
        status: answer.status,
        ...(url.search ? { query: url.search.slice(1) } : {}),
      })
      .catch((error: unknown) =>
        options.logger.error({ err: error, path: url.pathname }, "an API call could not be audited"),
      );
    answer.send(req, res);
  }

  async function handle(
    found: { route: Route; identifier?: string },
    req: IncomingMessage,
    url: URL,
    token: AuthenticatedToken,
    services: TokenServices,
  ): Promise<{ status: number; send: Answer }> {
    const problem = (
      status: number,
      ...args: Parameters<typeof sendProblem> extends [unknown, unknown, unknown, ...infer R] ? R : never
    ) => ({
      status,
      send: (q: IncomingMessage, s: ServerResponse) => sendProblem(q, s, status, ...args),
    });
    const ok = (value: unknown) => ({
      status: 200,
      send: (q: IncomingMessage, s: ServerResponse) => sendJson(q, s, 200, value),
    });

    switch (found.route) {
      case "case": {
        const identifier = found.identifier ?? "";
        const result = await services.getCase(identifier);
        if (result.type === "invalid") {
          return problem(
            422,
            { code: INTEGRATION_ERRORS.invalid, params: { count: 1 } },
            {
              errors: [{ field: "identifier", message: say(result.error) }],
            },
          );
        }
        if (result.type === "not_found") {
          return problem(404, {
            code: INTEGRATION_ERRORS.notFound,
            params: { identifier: result.identifier },
          });
        }
        return ok({ cases: result.cases });
      }
      case "changes": {
        const query: Record<string, string> = {};
        const errors: { field: string; message: string }[] = [];
        for (const [name, value] of url.searchParams) {
          if (name in query)
            errors.push({ field: name, message: "Ange värdet en gång (given more than once)" });
          query[name] = value;
        }
        const parsed = changesQuerySchema.safeParse(query);
        if (!parsed.success) {
          for (const issue of parsed.error.issues) {
            errors.push({
              field: issue.code === "unrecognized_keys" ? issue.keys.join(", ") : formatPath("", issue.path),
              message: issue.message,
            });
          }
        }
        if (errors.length > 0 || !parsed.success) {
          return problem(
            422,
            { code: INTEGRATION_ERRORS.invalid, params: { count: errors.length } },
            { errors },
          );
        }
        const page = changesPageJson(await services.changes(parsed.data));
        return {
          status: 200,
          send: (q: IncomingMessage, s: ServerResponse) => sendJsonText(q, s, 200, page),
        };
      }
      case "cases": {
        if (token.right !== "write") return problem(403, { code: INTEGRATION_ERRORS.forbidden });
        const contentType = (req.headers["content-type"] ?? "").split(";")[0]?.trim().toLowerCase();
        if (contentType !== "application/json") {
          return problem(415, { code: INTEGRATION_ERRORS.unsupportedMediaType });
        }
        const maxKb = Math.floor(options.maxBodyBytes / 1024);
        const tooLarge = () => problem(413, { code: INTEGRATION_ERRORS.bodyTooLarge, params: { maxKb } });
        if (Number(req.headers["content-length"] ?? 0) > options.maxBodyBytes) return tooLarge();
        const raw = await readAtMost(req, options.maxBodyBytes);
        if (raw === null) return tooLarge();
        let body: unknown;
        try {
          body = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(raw));
        } catch {
          return problem(400, { code: INTEGRATION_ERRORS.notJson });
        }
        const outcome = await services.putCases(body);
        if (outcome.type === "invalid") {
          return problem(
            422,
            { code: INTEGRATION_ERRORS.invalid, params: { count: outcome.problems.length } },
            { errors: outcome.problems.map((entry) => ({ field: entry.path, message: entry.message })) },
          );
        }
        return ok(outcome.result);
      }
      default:
        throw new Error(`unrouted ${found.route}`);
    }
  }
}

function busy(
  req: IncomingMessage,
  res: ServerResponse,
  code: RegistryBusyError["code"] | RegistryUnavailableError["code"],
): void {
  sendProblem(req, res, 503, { code }, { headers: { "retry-after": "1" } });
}

function parseUrl(raw: string | undefined): URL | null {
  try {
    return new URL(raw ?? "/", "http://api.invalid");
  } catch {
    return null;
  }
}

function route(pathname: string): { route: Route; identifier?: string } | null {
  if (pathname === "/api/v1/cases") return { route: "cases" };
  if (pathname === "/api/v1/changes") return { route: "changes" };
  if (pathname === "/api/v1/openapi.json") return { route: "openapi" };
  const prefix = "/api/v1/cases/";
  if (pathname.startsWith(prefix) && pathname.length > prefix.length) {
    // An identifier holds a slash (108-1642/2017): sent encoded (%2F) or not, it is the rest of the path.
    const rest = pathname.slice(prefix.length);
    let identifier: string;
    try {
      identifier = decodeURIComponent(rest);
    } catch {
      identifier = rest;
    }
    return { route: "case", identifier };
  }
  return null;
}

function bearer(header: string | undefined): string | null {
  const match = /^Bearer[ ]+(\S+)\s*$/i.exec(header ?? "");
  return match?.[1] ?? null;
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
    req.once("close", () => {
      if (!req.complete) reject(new Error("the client closed the request before its end"));
    });
  });
}
