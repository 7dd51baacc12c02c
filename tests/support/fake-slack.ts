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
  /** The bytes sent to each upload URL (files.uploadV2's second step), by file id. */
  readonly uploadedFiles = new Map<string, Buffer>();
  private fileCounter = 0;
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
      const path = new URL(req.url ?? "/", "http://localhost").pathname;
      if (path.startsWith("/upload/")) {
        // files.uploadV2 posts each file to the URL files.getUploadURLExternal gave, as multipart.
        const fileId = path.slice("/upload/".length);
        this.uploadedFiles.set(
          fileId,
          multipartFile(await readRaw(req), String(req.headers["content-type"])),
        );
        this.calls.push({ method: "upload", body: { file_id: fileId } });
        res.writeHead(200, { "content-type": "text/plain" });
        res.end("OK");
        return;
      }
      const body = await readBody(req);
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
      case "files.getUploadURLExternal": {
        this.fileCounter += 1;
        const fileId = `F${String(this.fileCounter).padStart(8, "0")}`;
        return { body: { ok: true, file_id: fileId, upload_url: `${this.baseUrl}/upload/${fileId}` } };
      }
      case "files.completeUploadExternal": {
        const files = (call.body.files ?? []) as { id: string; title?: string }[];
        return { body: { ok: true, files: files.map((file) => ({ id: file.id, title: file.title })) } };
      }
      default:
        return { body: { ok: true } };
    }
  }
}

async function readRaw(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** The first part's content of a multipart/form-data body (the Web API client sends one file a request). */
function multipartFile(raw: Buffer, contentType: string): Buffer {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  if (!boundary) return raw;
  const delimiter = Buffer.from(`--${boundary[1] ?? boundary[2]}`);
  const start = raw.indexOf(delimiter);
  const headersEnd = raw.indexOf("\r\n\r\n", start);
  const end = raw.indexOf(Buffer.concat([Buffer.from("\r\n"), delimiter]), headersEnd);
  return raw.subarray(headersEnd + 4, end);
}

async function readBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const raw = (await readRaw(req)).toString("utf8");
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
