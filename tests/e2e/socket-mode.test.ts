import { once } from "node:events";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type WebSocket, WebSocketServer } from "ws";
import { FakeSlack } from "../support/fake-slack.js";
import { type BotUnderTest, startBotUnderTest } from "../support/running-bot.js";
import { Seeder } from "../support/seed-rows.js";
import { createTestDatabase, type TestDatabase } from "../support/test-database.js";

/**
 * Socket Mode as Slack runs it: the bot asks the Web API (at SLACK_API_URL) for a socket URL with its
 * app token, opens the socket, waits for `hello`, then answers each envelope by sending its
 * envelope_id back. The health and metrics routes are served on PORT meanwhile.
 */

type Envelope = { envelope_id: string; payload?: Record<string, unknown> };

class FakeSocket {
  readonly server = new WebSocketServer({ host: "127.0.0.1", port: 0 });
  readonly received: Envelope[] = [];
  private socket: WebSocket | undefined;

  get url(): string {
    return `ws://127.0.0.1:${(this.server.address() as AddressInfo).port}/link`;
  }

  async connected(): Promise<void> {
    const [socket] = (await once(this.server, "connection")) as [WebSocket];
    this.socket = socket;
    socket.on("message", (data) => this.received.push(JSON.parse(String(data)) as Envelope));
    socket.send(JSON.stringify({ type: "hello", num_connections: 1, connection_info: { app_id: "A111" } }));
  }

  /** Sends an envelope the way Slack does and waits for the bot to acknowledge it. */
  async deliver(type: string, envelopeId: string, payload: Record<string, unknown>): Promise<Envelope> {
    if (!this.socket) throw new Error("no socket connected");
    this.socket.send(
      JSON.stringify({ envelope_id: envelopeId, type, payload, accepts_response_payload: true }),
    );
    const deadline = Date.now() + 5_000;
    for (;;) {
      const acked = this.received.find((envelope) => envelope.envelope_id === envelopeId);
      if (acked) return acked;
      if (Date.now() > deadline) throw new Error(`envelope ${envelopeId} was not acknowledged`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  async close(): Promise<void> {
    for (const client of this.server.clients) client.terminate();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

let database: TestDatabase;
let socket: FakeSocket;
let bot: BotUnderTest;

beforeAll(async () => {
  database = await createTestDatabase();
  await new Seeder(database.db).case({
    dnr: "108-1642/2017",
    kind: "skrivelse",
    title: "Bristerna inom socialtjänsten",
    publicTitle: "Bristerna inom socialtjänsten",
    status: "closed",
    outcome: "Skrivelsen anses besvarad",
  });
  socket = new FakeSocket();
  await once(socket.server, "listening");
  const connected = socket.connected();
  const slack = new FakeSlack();
  await slack.start();
  slack.respondWith((call) =>
    call.method === "apps.connections.open" ? { body: { ok: true, url: socket.url } } : undefined,
  );
  bot = await startBotUnderTest(database, { slack, env: { SLACK_APP_TOKEN: "xapp-1-A111-test" } });
  await connected;
});

afterAll(async () => {
  await bot?.stop();
  await socket?.close();
  await database?.destroy();
});

describe("Socket Mode", () => {
  it("asks the Web API at SLACK_API_URL for its socket, with the app token", () => {
    const opened = bot.slack.callsTo("apps.connections.open");
    expect(opened).toHaveLength(1);
  });

  it("answers /arende status over the socket with the case card", async () => {
    const ack = await socket.deliver("slash_commands", "env-1", {
      team_id: "T111",
      channel_id: "C111",
      user_id: "W111",
      user_name: "w111",
      command: "/arende",
      text: "status Dnr 108-1642/2017",
      response_url: bot.slack.responseUrl("socket-1"),
      trigger_id: "111.1.trigger",
    });
    const answer = JSON.stringify(ack.payload);
    expect(answer).toContain("Bristerna inom socialtjänsten");
    expect(answer).toContain("*Läge:* Besvarad.");
  });

  it("serves /healthz, /readyz and /metrics on PORT", async () => {
    expect((await fetch(`${bot.baseUrl}/healthz`)).status).toBe(200);
    expect((await fetch(`${bot.baseUrl}/readyz`)).status).toBe(200);
    const metrics = await fetch(`${bot.baseUrl}/metrics`);
    expect(metrics.status).toBe(200);
    const text = await metrics.text();
    // The command above was counted like one arriving over HTTP.
    expect(text).toMatch(/arendebot_slack_requests_total\{surface="command",outcome="[a-z_]+"\} [1-9]/);
  });
});
