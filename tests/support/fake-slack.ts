import { once } from "node:events";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { checkAckBody, checkSlackCall, type LimitViolation } from "../../workspace/slack-limits.js";

export type RecordedCall = { method: string; body: Record<string, unknown> };

type Answer = { status?: number; headers?: Record<string, string>; body: unknown };
type Responder = (call: RecordedCall) => Answer | undefined;

/**
 * A stand-in for Slack's Web API and response_url endpoints, reached through SLACK_API_URL. It
 * records every call so tests can assert on what Slack would have received.
 */
const startedFakes = new Set<FakeSlack>();
/** Violations in the bot's HTTP answers to Slack's requests (see checkAnswerToSlack). */
const answerViolations: { method: string; violations: LimitViolation[] }[] = [];

/**
 * Holds the bot's HTTP answer to a request signed as Slack's to Slack's limits: a slash command's
 * or a button's answer, a form's `response_action`. tests/support/signed-request.ts calls it.
 */
export function checkAnswerToSlack(rawBody: string): void {
  if (!rawBody.startsWith("{")) return;
  let body: unknown;
  try {
    body = JSON.parse(rawBody);
  } catch {
    return;
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) return;
  const violations = checkAckBody(body as Record<string, unknown>);
  if (violations.length > 0) answerViolations.push({ method: "HTTP answer", violations });
}

/** Every limit violation recorded since the last call, which forgets them. */
export function takeLimitViolations(): { method: string; violations: LimitViolation[] }[] {
  const taken = [
    ...answerViolations.splice(0),
    ...[...startedFakes].flatMap((fake) => fake.limitViolations.splice(0)),
  ];
  for (const fake of startedFakes) if (!fake.listening) startedFakes.delete(fake);
  return taken;
}

export class FakeSlack {
  readonly calls: RecordedCall[] = [];
  /** What the bot sent past Slack's limits; tests/support/slack-limits-guard.ts fails the test on any. */
  readonly limitViolations: { method: string; violations: LimitViolation[] }[] = [];
  private server: Server | undefined;
  private responders: Responder[] = [];
  private messageCounter = 0;

  get listening(): boolean {
    return this.server?.listening ?? false;
  }

  get apiUrl(): string {
    return `${this.baseUrl}/api/`;
  }

  get baseUrl(): string {
    const address = this.server?.address() as AddressInfo | null;
    if (!address) throw new Error("FakeSlack is not started");
    return `http://127.0.0.1:${address.port}`;
  }

  responseUrl(id: string): string {
    return `${this.baseUrl}/response/${id}`;
  }

  /** Overrides the answer for matching calls; return undefined to fall through to the default. */
  respondWith(responder: Responder): void {
    this.responders.unshift(responder);
  }

  /**
   * As Slack does: a message posted to a user id lands in the DM channel (D… for U…), and the answer
   * names that channel, so the bot stores where the DM really is.
   */
  deliverDirectMessages(): void {
    let dms = 0;
    this.respondWith((call) => {
      if (call.method !== "chat.postMessage" || !String(call.body.channel).startsWith("U")) return undefined;
      dms += 1;
      return {
        body: {
          ok: true,
          channel: `D${String(call.body.channel).slice(1)}`,
          ts: `1800000000.${String(dms).padStart(6, "0")}`,
        },
      };
    });
  }

  callsTo(method: string): RecordedCall[] {
    return this.calls.filter((call) => call.method === method);
  }

  async waitForCalls(method: string, count: number, timeoutMs = 5_000): Promise<RecordedCall[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.callsTo(method).length < count) {
      if (Date.now() > deadline) {
        throw new Error(`expected ${count} call(s) to ${method}, got ${this.callsTo(method).length}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    return this.callsTo(method);
  }

  async start(): Promise<void> {
    startedFakes.add(this);
    this.server = createServer(async (req, res) => {
      const body = await readBody(req);
      const path = new URL(req.url ?? "/", "http://localhost").pathname;
      const method = path.startsWith("/api/") ? path.slice("/api/".length) : path;
      const call = { method, body };
      this.calls.push(call);
      const violations = checkSlackCall(method, body);
      if (violations.length > 0) this.limitViolations.push({ method, violations });
      const answer: Answer =
        this.responders.map((responder) => responder(call)).find(Boolean) ?? this.defaultAnswer(call);
      res.writeHead(answer.status ?? 200, { "content-type": "application/json", ...answer.headers });
      res.end(JSON.stringify(answer.body));
    });
    this.server.listen(0, "127.0.0.1");
    await once(this.server, "listening");
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }

  private defaultAnswer(call: RecordedCall): Answer {
    switch (call.method) {
      case "auth.test":
        return { body: { ok: true, user_id: "UBOT", bot_id: "BBOT", team_id: "T111", user: "arendebot" } };
      case "chat.postMessage":
        this.messageCounter += 1;
        return {
          body: {
            ok: true,
            channel: call.body.channel,
            ts: `1700000000.${String(this.messageCounter).padStart(6, "0")}`,
          },
        };
      case "chat.postEphemeral":
        return { body: { ok: true, message_ts: "1700000000.999999" } };
      default:
        return { body: { ok: true } };
    }
  }
}

async function readBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks).toString("utf8");
  if (raw === "") return {};
  if ((req.headers["content-type"] ?? "").includes("application/json")) return JSON.parse(raw);
  const form = Object.fromEntries(new URLSearchParams(raw));
  // The Web API client sends blocks as a JSON string inside a form body.
  for (const [key, value] of Object.entries(form)) {
    if (value.startsWith("[") || value.startsWith("{")) {
      try {
        form[key] = JSON.parse(value);
      } catch {}
    }
  }
  return form;
}
