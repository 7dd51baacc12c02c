import { createHmac, randomBytes } from "node:crypto";
import { once } from "node:events";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Clock } from "../src/clock.js";
import { BOT_HANDLE, BOT_USER_ID, type DemoChannel, type DemoUser } from "./demo-workspace.js";
import { checkMessage, checkView, type LimitViolation } from "./slack-limits.js";

type Json = Record<string, unknown>;

export type Message = {
  ts: string;
  channel: string;
  /** Who wrote it: a person, the bot, or "USLACKBOT" for the workspace's own notices. */
  user: string;
  text: string;
  blocks?: unknown[];
  threadTs?: string;
  /** Set for an ephemeral message: the one person who sees it. */
  ephemeralTo?: string;
  /** The workspace clock's time when it was posted (or last updated). */
  postedAt: string;
  edited: boolean;
  violations: LimitViolation[];
};

export type ChannelInfo = { id: string; name: string; kind: "channel" | "im"; userId?: string };

export type ViewRecord = {
  id: string;
  hash: string;
  userId: string;
  view: Json;
  /** From a view_submission answered with response_action: errors, by block_id. */
  errors: Record<string, string>;
  violations: LimitViolation[];
};

/** Where a response_url's answers go, and the message they may replace or delete. */
type ResponseTarget = { channel: string; userId: string; threadTs?: string; sourceTs?: string };

export type BotConnection = {
  eventsUrl: string;
  /** Runs the bot's digest and reminder jobs now, on the workspace clock. */
  runDuePosts(): Promise<void>;
};

/** The virtual time of the workspace: real time running from a start instant, and jumps ahead. */
export class WorkspaceClock implements Clock {
  private offsetMs: number;

  constructor(start: Date) {
    this.offsetMs = start.getTime() - Date.now();
  }

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  advance(ms: number): void {
    this.offsetMs += ms;
  }
}

const SLACKBOT = "USLACKBOT";
const TEAM = { id: "T0WORKSPACE", domain: "arendebot-lokal" };
const APP_ID = "A0ARENDEBOT";

/**
 * A Slack workspace in one process, for trying the bot without Slack: it speaks Slack's protocol to
 * the unchanged bot (signed requests to /slack/events; the Web API at /api/ and response_url sinks at
 * /response/), and serves the browser page and its small JSON API (/ws/…). All state is in memory.
 */
export class SlackWorkspace {
  readonly users: DemoUser[];
  readonly channels: ChannelInfo[];
  readonly messages: Message[] = [];
  private readonly modals = new Map<string, ViewRecord[]>();
  private readonly homes = new Map<string, ViewRecord>();
  private readonly triggers = new Map<string, string>();
  private readonly responseTargets = new Map<string, ResponseTarget>();
  private readonly listeners = new Set<ServerResponse>();
  private server: Server | undefined;
  private bot: BotConnection | undefined;
  private sequence = 0;

  constructor(
    private readonly options: {
      users: DemoUser[];
      channels: DemoChannel[];
      clock: WorkspaceClock;
      signingSecret: string;
      botToken: string;
      /** Serves the page and its scripts: GET requests outside /api/, /response/ and /ws/. */
      page: (path: string) => Promise<{ type: string; body: string } | undefined>;
    },
  ) {
    this.users = options.users;
    this.channels = [
      ...options.channels.map((channel) => ({
        id: channel.id,
        name: channel.name,
        kind: "channel" as const,
      })),
      ...options.users.map((user) => ({
        id: dmOf(user.id),
        name: BOT_HANDLE,
        kind: "im" as const,
        userId: user.id,
      })),
    ];
  }

  get url(): string {
    const address = this.server?.address() as AddressInfo | null;
    if (!address) throw new Error("the workspace is not listening");
    return `http://127.0.0.1:${address.port}`;
  }

  async listen(port: number, host = "127.0.0.1"): Promise<void> {
    this.server = createServer((req, res) => {
      this.route(req, res).catch((error: unknown) => {
        if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain; charset=utf-8" });
        res.end(error instanceof Error ? error.message : String(error));
      });
    });
    this.server.listen(port, host);
    await once(this.server, "listening");
  }

  connectBot(bot: BotConnection): void {
    this.bot = bot;
    this.changed();
  }

  async stop(): Promise<void> {
    for (const listener of this.listeners) listener.end();
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }

  /**
   * The page and its API answer this machine's browser only: the Host must name the loopback address
   * (a page elsewhere whose name resolves to 127.0.0.1 is refused), and a POST must come from the page
   * itself (its Origin, as JSON, which a form on another site cannot send without asking first).
   */
  private fromThisMachine(req: IncomingMessage): boolean {
    const port = (this.server?.address() as AddressInfo | null)?.port;
    const own = [`127.0.0.1:${port}`, `localhost:${port}`];
    if (!own.includes(req.headers.host ?? "")) return false;
    if (req.method !== "POST") return true;
    const origin = req.headers.origin;
    if (origin !== undefined && !own.some((host) => origin === `http://${host}`)) return false;
    return (req.headers["content-type"] ?? "").startsWith("application/json");
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://workspace");
    const path = url.pathname;
    if (path.startsWith("/api/")) {
      const method = path.slice("/api/".length);
      const body = await readSlackBody(req);
      const token = (req.headers.authorization ?? "").replace(/^Bearer /, "") || String(body.token ?? "");
      const answer =
        token === this.options.botToken ? this.webApi(method, body) : { ok: false, error: "invalid_auth" };
      return sendJson(res, answer);
    }
    if (path.startsWith("/response/")) {
      return sendJson(res, this.responseUrl(path.slice("/response/".length), await readSlackBody(req)));
    }
    if (!this.fromThisMachine(req)) {
      res.writeHead(403, { "content-type": "text/plain; charset=utf-8" });
      return void res.end("Arbetsytan svarar bara sidor från den här datorn (127.0.0.1 eller localhost).");
    }
    if (path === "/ws/events") return this.openEventStream(res);
    if (path === "/ws/state") return sendJson(res, this.stateFor(url.searchParams.get("user") ?? ""));
    if (path.startsWith("/ws/") && req.method === "POST") {
      const body = JSON.parse((await readRaw(req)) || "{}") as Json;
      return sendJson(res, await this.fromBrowser(path.slice("/ws/".length), body));
    }
    const page = req.method === "GET" ? await this.options.page(path) : undefined;
    if (!page) {
      res.writeHead(404, { "content-type": "text/plain; charset=utf-8" });
      return void res.end("Finns inte");
    }
    res.writeHead(200, { "content-type": page.type, "cache-control": "no-store" });
    res.end(page.body);
  }

  // ---- Slack's Web API, as the bot calls it ----

  private webApi(method: string, body: Json): Json {
    switch (method) {
      case "auth.test":
        return {
          ok: true,
          url: `${this.url}/`,
          team: "arendebot lokalt",
          user: BOT_HANDLE,
          team_id: TEAM.id,
          user_id: BOT_USER_ID,
          bot_id: "B0ARENDEBOT",
        };
      case "chat.postMessage": {
        const channel = this.channelFor(String(body.channel ?? ""));
        if (!channel) return { ok: false, error: "channel_not_found" };
        const message = this.addMessage({
          channel: channel.id,
          user: BOT_USER_ID,
          ...messageContent(body),
          ...(body.thread_ts ? { threadTs: String(body.thread_ts) } : {}),
        });
        return {
          ok: true,
          channel: channel.id,
          ts: message.ts,
          message: { text: message.text, ts: message.ts },
        };
      }
      case "chat.postEphemeral": {
        const channel = this.channelFor(String(body.channel ?? ""));
        if (!channel) return { ok: false, error: "channel_not_found" };
        if (!this.user(String(body.user ?? ""))) return { ok: false, error: "user_not_found" };
        const message = this.addMessage({
          channel: channel.id,
          user: BOT_USER_ID,
          ephemeralTo: String(body.user),
          ...messageContent(body),
          ...(body.thread_ts ? { threadTs: String(body.thread_ts) } : {}),
        });
        return { ok: true, message_ts: message.ts };
      }
      case "chat.update": {
        const message = this.messages.find((m) => m.channel === body.channel && m.ts === body.ts);
        if (!message) return { ok: false, error: "message_not_found" };
        if (message.user !== BOT_USER_ID) return { ok: false, error: "cant_update_message" };
        this.replaceContent(message, body);
        return { ok: true, channel: message.channel, ts: message.ts, text: message.text };
      }
      case "views.open":
      case "views.push": {
        const userId = this.triggers.get(String(body.trigger_id ?? ""));
        if (!userId) return { ok: false, error: "invalid_trigger_id" };
        if (!isObject(body.view)) return { ok: false, error: "invalid_arguments" };
        const stack = method === "views.open" ? [] : (this.modals.get(userId) ?? []);
        if (method === "views.push" && stack.length === 0) return { ok: false, error: "not_found" };
        if (stack.length >= 3) return { ok: false, error: "push_limit_reached" };
        const record = this.newView(userId, body.view);
        this.modals.set(userId, [...stack, record]);
        this.changed();
        return { ok: true, view: viewAnswer(record) };
      }
      case "views.update": {
        const record = this.findView(body);
        if (!record) return { ok: false, error: "not_found" };
        if (body.hash && body.hash !== record.hash) return { ok: false, error: "hash_conflict" };
        if (!isObject(body.view)) return { ok: false, error: "invalid_arguments" };
        this.updateView(record, body.view);
        return { ok: true, view: viewAnswer(record) };
      }
      case "views.publish": {
        const userId = String(body.user_id ?? "");
        if (!this.user(userId)) return { ok: false, error: "user_not_found" };
        if (!isObject(body.view)) return { ok: false, error: "invalid_arguments" };
        const existing = this.homes.get(userId);
        if (existing && body.hash && body.hash !== existing.hash)
          return { ok: false, error: "hash_conflict" };
        const record = existing ?? this.newView(userId, body.view);
        this.updateView(record, body.view);
        this.homes.set(userId, record);
        return { ok: true, view: viewAnswer(record) };
      }
      default:
        // Said out loud, so that a method the bot starts to use shows up here first.
        this.notice(undefined, `arendebot anropade ${method}, som den lokala arbetsytan inte kan.`);
        return { ok: false, error: "unknown_method" };
    }
  }

  private responseUrl(id: string, body: Json): Json {
    const target = this.responseTargets.get(id);
    if (!target) return { ok: false, error: "expired_url" };
    const source = target.sourceTs
      ? this.messages.find((m) => m.channel === target.channel && m.ts === target.sourceTs)
      : undefined;
    if (body.delete_original === true) {
      if (source) this.messages.splice(this.messages.indexOf(source), 1);
      this.changed();
      return { ok: true };
    }
    if (body.replace_original === true && source) {
      this.replaceContent(source, body);
      return { ok: true };
    }
    const threadTs = typeof body.thread_ts === "string" ? body.thread_ts : target.threadTs;
    const message = this.addMessage({
      channel: target.channel,
      user: BOT_USER_ID,
      ...messageContent(body),
      ...(body.response_type === "in_channel" ? {} : { ephemeralTo: target.userId }),
      ...(threadTs ? { threadTs } : {}),
    });
    // A command's first answer is the one its later answers replace ("Ett ögonblick…").
    target.sourceTs ??= message.ts;
    return { ok: true };
  }

  // ---- What a person does in the browser, sent to the bot as Slack would ----

  private async fromBrowser(action: string, body: Json): Promise<Json> {
    const user = this.user(String(body.user ?? ""));
    if (action === "clock") return this.clockAction(String(body.what));
    if (!user) return { ok: false, error: "Okänd användare" };
    switch (action) {
      case "send":
        return this.send(
          user,
          String(body.channel ?? ""),
          String(body.text ?? ""),
          optionalString(body.threadTs),
        );
      case "action":
        return this.blockAction(user, body);
      case "submit":
        return this.submitView(user, String(body.viewId ?? ""), isObject(body.values) ? body.values : {});
      case "close": {
        const stack = this.modals.get(user.id) ?? [];
        this.modals.set(user.id, body.all ? [] : stack.slice(0, -1));
        this.changed();
        return { ok: true };
      }
      case "home":
        return this.postToBot(
          "event",
          this.eventCallback({
            type: "app_home_opened",
            user: user.id,
            channel: dmOf(user.id),
            tab: "home",
            event_ts: this.nextTs(),
            ...(this.homes.has(user.id) ? { view: viewAnswer(this.homes.get(user.id) as ViewRecord) } : {}),
          }),
        );
      default:
        return { ok: false, error: `okänd åtgärd ${action}` };
    }
  }

  private async send(user: DemoUser, channelId: string, typed: string, threadTs?: string): Promise<Json> {
    const channel = this.channels.find((c) => c.id === channelId);
    if (!channel) return { ok: false, error: "Okänd kanal" };
    const text = typed.trim();
    if (text === "") return { ok: true };
    const command = /^\/(\S+)\s*([\s\S]*)$/.exec(text);
    if (command) {
      const [, name = "", rest = ""] = command;
      if (name !== "arende") {
        this.notice(channel.id, `/${name} är inget kommando här. Prova /arende hjälp.`, user.id);
        return { ok: true };
      }
      return this.slashCommand(user, channel, escapeMentions(rest, this.users, true));
    }
    const message = this.addMessage({
      channel: channel.id,
      user: user.id,
      text: escapeMentions(text, this.users, false),
      ...(threadTs ? { threadTs } : {}),
    });
    if (channel.kind === "im") {
      return this.postToBot(
        "event",
        this.eventCallback({
          type: "message",
          channel: channel.id,
          channel_type: "im",
          user: user.id,
          text: message.text,
          ts: message.ts,
          event_ts: message.ts,
          ...(threadTs ? { thread_ts: threadTs } : {}),
        }),
      );
    }
    if (message.text.includes(`<@${BOT_USER_ID}>`)) {
      return this.postToBot(
        "event",
        this.eventCallback({
          type: "app_mention",
          channel: channel.id,
          user: user.id,
          text: message.text,
          ts: message.ts,
          event_ts: message.ts,
          ...(threadTs ? { thread_ts: threadTs } : {}),
        }),
      );
    }
    return { ok: true };
  }

  private async slashCommand(user: DemoUser, channel: ChannelInfo, text: string): Promise<Json> {
    const responseId = this.responseTarget({ channel: channel.id, userId: user.id });
    const form = new URLSearchParams({
      token: "workspace",
      team_id: TEAM.id,
      team_domain: TEAM.domain,
      channel_id: channel.id,
      channel_name: channel.kind === "im" ? "directmessage" : channel.name,
      user_id: user.id,
      user_name: user.handle,
      command: "/arende",
      text,
      api_app_id: APP_ID,
      is_enterprise_install: "false",
      response_url: `${this.url}/response/${responseId}`,
      trigger_id: this.trigger(user.id),
    }).toString();
    const answer = await this.signedPost(form, "application/x-www-form-urlencoded");
    if (answer.failed) {
      this.notice(channel.id, `/arende misslyckades: ${answer.failed}`, user.id);
      return { ok: true };
    }
    if (answer.body && (answer.body.text !== undefined || answer.body.blocks !== undefined)) {
      this.responseUrl(responseId, { replace_original: false, ...answer.body });
    }
    return { ok: true };
  }

  private async blockAction(user: DemoUser, body: Json): Promise<Json> {
    const action = {
      action_id: String(body.actionId ?? ""),
      block_id: String(body.blockId ?? ""),
      type: String(body.type ?? "button"),
      action_ts: this.nextTs(),
      ...(isObject(body.fields) ? body.fields : {}),
    };
    const base = {
      type: "block_actions",
      user: { id: user.id, username: user.handle, name: user.handle, team_id: TEAM.id },
      api_app_id: APP_ID,
      token: "workspace",
      team: TEAM,
      trigger_id: this.trigger(user.id),
      actions: [action],
    };
    if (body.viewId) {
      const record = this.viewById(String(body.viewId));
      if (!record || record.userId !== user.id) return { ok: false, error: "Vyn finns inte längre" };
      const view = { ...viewAnswer(record), state: { values: isObject(body.values) ? body.values : {} } };
      return this.postToBot("interaction", {
        ...base,
        container: { type: "view", view_id: record.id },
        view,
      });
    }
    const message = this.messages.find((m) => m.channel === body.channel && m.ts === body.ts);
    if (!message) return { ok: false, error: "Meddelandet finns inte längre" };
    const channel = this.channels.find((c) => c.id === message.channel) as ChannelInfo;
    const responseId = this.responseTarget({
      channel: message.channel,
      userId: user.id,
      sourceTs: message.ts,
      ...(message.threadTs ? { threadTs: message.threadTs } : {}),
    });
    const ephemeral = message.ephemeralTo !== undefined;
    return this.postToBot("interaction", {
      ...base,
      container: {
        type: "message",
        message_ts: message.ts,
        channel_id: message.channel,
        is_ephemeral: ephemeral,
      },
      channel: { id: channel.id, name: channel.kind === "im" ? "directmessage" : channel.name },
      ...(ephemeral
        ? {}
        : {
            message: {
              type: "message",
              user: message.user,
              ts: message.ts,
              text: message.text,
              blocks: message.blocks ?? [],
            },
          }),
      response_url: `${this.url}/response/${responseId}`,
    });
  }

  private async submitView(user: DemoUser, viewId: string, values: Json): Promise<Json> {
    const stack = this.modals.get(user.id) ?? [];
    const record = stack.find((v) => v.id === viewId);
    if (!record) return { ok: false, error: "Formuläret är redan stängt" };
    const view = { ...viewAnswer(record), state: { values } };
    const answer = await this.signedPost(
      new URLSearchParams({
        payload: JSON.stringify({
          type: "view_submission",
          team: TEAM,
          user: { id: user.id, username: user.handle, name: user.handle, team_id: TEAM.id },
          api_app_id: APP_ID,
          token: "workspace",
          trigger_id: this.trigger(user.id),
          view,
          response_urls: [],
        }),
      }).toString(),
      "application/x-www-form-urlencoded",
    );
    if (answer.failed) {
      record.errors = { "": `arendebot svarade inte som Slack väntar sig: ${answer.failed}` };
      this.changed();
      return { ok: true };
    }
    const current = this.modals.get(user.id) ?? [];
    const reply = answer.body ?? {};
    switch (reply.response_action) {
      case "errors":
        record.errors = isObject(reply.errors) ? (reply.errors as Record<string, string>) : {};
        break;
      case "update":
        if (isObject(reply.view)) this.updateView(record, reply.view);
        break;
      case "push":
        if (isObject(reply.view)) this.modals.set(user.id, [...current, this.newView(user.id, reply.view)]);
        break;
      case "clear":
        this.modals.set(user.id, []);
        break;
      default:
        this.modals.set(
          user.id,
          current.filter((v) => v.id !== record.id),
        );
    }
    this.changed();
    return { ok: true };
  }

  private async clockAction(what: string): Promise<Json> {
    if (!this.bot) return { ok: false, error: "arendebot har inte startat än" };
    if (what === "day") this.options.clock.advance(24 * 60 * 60 * 1000);
    this.changed();
    await this.bot.runDuePosts();
    this.changed();
    return { ok: true };
  }

  // ---- Signed requests to the bot ----

  private eventCallback(event: Json): Json {
    this.sequence += 1;
    return {
      token: "workspace",
      team_id: TEAM.id,
      api_app_id: APP_ID,
      event,
      type: "event_callback",
      event_id: `Ev0WS${String(this.sequence).padStart(6, "0")}`,
      event_time: Math.floor(Date.now() / 1000),
      authorizations: [{ team_id: TEAM.id, user_id: BOT_USER_ID, is_bot: true }],
    };
  }

  private async postToBot(kind: "event" | "interaction", payload: Json): Promise<Json> {
    const answer =
      kind === "event"
        ? await this.signedPost(JSON.stringify(payload), "application/json")
        : await this.signedPost(
            new URLSearchParams({ payload: JSON.stringify(payload) }).toString(),
            "application/x-www-form-urlencoded",
          );
    if (answer.failed) {
      this.notice(undefined, `arendebot svarade inte som Slack väntar sig: ${answer.failed}`);
      return { ok: false, error: answer.failed };
    }
    return { ok: true };
  }

  /** Slack's request signing (v0 HMAC-SHA256 of "v0:{timestamp}:{body}") with the generated secret. */
  private async signedPost(body: string, contentType: string): Promise<{ body?: Json; failed?: string }> {
    if (!this.bot) return { failed: "arendebot har inte startat än" };
    const timestamp = String(Math.floor(Date.now() / 1000));
    const signature = createHmac("sha256", this.options.signingSecret)
      .update(`v0:${timestamp}:${body}`)
      .digest("hex");
    const started = Date.now();
    let response: Response;
    try {
      response = await fetch(this.bot.eventsUrl, {
        method: "POST",
        headers: {
          "content-type": contentType,
          "x-slack-request-timestamp": timestamp,
          "x-slack-signature": `v0=${signature}`,
        },
        body,
        signal: AbortSignal.timeout(3_000),
      });
    } catch (error) {
      return {
        failed:
          error instanceof Error && error.name === "TimeoutError" ? "inget svar inom 3 s" : String(error),
      };
    }
    const raw = await response.text();
    if (!response.ok) return { failed: `HTTP ${response.status}` };
    if (Date.now() - started > 3_000) return { failed: `svaret kom efter ${Date.now() - started} ms` };
    if (raw.trim() === "") return {};
    try {
      const parsed: unknown = JSON.parse(raw);
      return isObject(parsed) ? { body: parsed } : {};
    } catch {
      // Slack shows a plain-text acknowledgement as the command's answer.
      return { body: { text: raw } };
    }
  }

  // ---- State ----

  private addMessage(fields: Omit<Message, "ts" | "postedAt" | "edited" | "violations">): Message {
    const message: Message = {
      ...fields,
      ts: this.nextTs(),
      postedAt: this.options.clock.now().toISOString(),
      edited: false,
      violations: fields.user === BOT_USER_ID ? checkMessage(messageBody(fields)) : [],
    };
    this.messages.push(message);
    this.changed();
    return message;
  }

  private replaceContent(message: Message, body: Json): void {
    const content = messageContent(body);
    message.text = content.text;
    if (content.blocks) message.blocks = content.blocks;
    else delete message.blocks;
    message.edited = true;
    message.postedAt = this.options.clock.now().toISOString();
    message.violations = checkMessage(messageBody(message));
    this.changed();
  }

  private notice(channel: string | undefined, text: string, userId?: string): void {
    if (!channel) {
      for (const user of this.users)
        this.addMessage({ channel: dmOf(user.id), user: SLACKBOT, text, ephemeralTo: user.id });
      return;
    }
    this.addMessage({ channel, user: SLACKBOT, text, ...(userId ? { ephemeralTo: userId } : {}) });
  }

  private newView(userId: string, view: Json): ViewRecord {
    this.sequence += 1;
    return {
      id: `V0WS${String(this.sequence).padStart(6, "0")}`,
      hash: this.nextTs(),
      userId,
      view,
      errors: {},
      violations: checkView(view),
    };
  }

  private updateView(record: ViewRecord, view: Json): void {
    record.view = view;
    record.hash = this.nextTs();
    record.errors = {};
    record.violations = checkView(view);
    this.changed();
  }

  private viewById(id: string): ViewRecord | undefined {
    for (const stack of this.modals.values()) {
      const found = stack.find((v) => v.id === id);
      if (found) return found;
    }
    return [...this.homes.values()].find((v) => v.id === id);
  }

  private findView(body: Json): ViewRecord | undefined {
    if (body.view_id) return this.viewById(String(body.view_id));
    if (body.external_id) {
      for (const stack of this.modals.values()) {
        const found = stack.find((v) => v.view.external_id === body.external_id);
        if (found) return found;
      }
    }
    return undefined;
  }

  /** A user id (U…) means the user's DM with the bot, as chat.postMessage does in Slack. */
  private channelFor(id: string): ChannelInfo | undefined {
    if (this.user(id)) return this.channels.find((c) => c.id === dmOf(id));
    return this.channels.find((c) => c.id === id);
  }

  private user(id: string): DemoUser | undefined {
    return this.users.find((u) => u.id === id);
  }

  private trigger(userId: string): string {
    const id = `${this.nextTs()}.${randomBytes(6).toString("hex")}`;
    this.triggers.set(id, userId);
    return id;
  }

  private responseTarget(target: ResponseTarget): string {
    const id = randomBytes(8).toString("hex");
    this.responseTargets.set(id, target);
    return id;
  }

  private nextTs(): string {
    this.sequence += 1;
    return `${Math.floor(Date.now() / 1000)}.${String(this.sequence).padStart(6, "0")}`;
  }

  private stateFor(userId: string): Json {
    const visible = this.messages.filter(
      (m) =>
        (m.ephemeralTo === undefined || m.ephemeralTo === userId) &&
        (!m.channel.startsWith("D") || m.channel === dmOf(userId)),
    );
    return {
      botUserId: BOT_USER_ID,
      ready: this.bot !== undefined,
      now: this.options.clock.now().toISOString(),
      users: this.users.map(({ id, name, handle, description }) => ({ id, name, handle, description })),
      channels: this.channels.filter((c) => c.kind === "channel" || c.userId === userId),
      messages: visible,
      home: this.homes.get(userId) ?? null,
      modals: this.modals.get(userId) ?? [],
    };
  }

  private openEventStream(res: ServerResponse): void {
    res.writeHead(200, {
      "content-type": "text/event-stream",
      "cache-control": "no-store",
      connection: "keep-alive",
    });
    res.write("retry: 1000\n\n");
    this.listeners.add(res);
    res.on("close", () => this.listeners.delete(res));
  }

  private changed(): void {
    for (const listener of this.listeners) listener.write("data: changed\n\n");
  }
}

export function dmOf(userId: string): string {
  return `D${userId.slice(1)}`;
}

/**
 * Slack turns "@rita" into "<@U0RITA>" in a message, and, for a command that escapes user names, into
 * "<@U0RITA|rita>"; "&", "<" and ">" arrive as "&amp;", "&lt;" and "&gt;".
 */
function escapeMentions(typed: string, users: DemoUser[], forCommand: boolean): string {
  // Slack escapes these three in what a person types, before it marks the mentions up.
  const text = typed.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  return text.replace(/@([\p{L}\d_.-]+)/gu, (whole, handle: string) => {
    const lower = handle.toLowerCase();
    if (lower === BOT_HANDLE) return forCommand ? `<@${BOT_USER_ID}|${BOT_HANDLE}>` : `<@${BOT_USER_ID}>`;
    const user = users.find((u) => u.handle === lower);
    if (!user) return whole;
    return forCommand ? `<@${user.id}|${user.handle}>` : `<@${user.id}>`;
  });
}

function messageContent(body: Json): { text: string; blocks?: unknown[] } {
  return {
    text: typeof body.text === "string" ? body.text : "",
    ...(Array.isArray(body.blocks) ? { blocks: body.blocks } : {}),
  };
}

function messageBody(message: { text: string; blocks?: unknown[] }): Json {
  return { text: message.text, ...(message.blocks ? { blocks: message.blocks } : {}) };
}

function viewAnswer(record: ViewRecord): Json {
  return {
    ...record.view,
    id: record.id,
    hash: record.hash,
    team_id: TEAM.id,
    app_id: APP_ID,
    bot_id: "B0ARENDEBOT",
    state: { values: {} },
    private_metadata: record.view.private_metadata ?? "",
    callback_id: record.view.callback_id ?? "",
  };
}

function optionalString(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function sendJson(res: ServerResponse, body: unknown): void {
  res.writeHead(200, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" });
  res.end(JSON.stringify(body));
}

async function readRaw(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/** The Web API takes a form whose nested fields (blocks, view) are JSON strings, or JSON itself. */
async function readSlackBody(req: IncomingMessage): Promise<Json> {
  const raw = await readRaw(req);
  if (raw === "") return {};
  if ((req.headers["content-type"] ?? "").includes("application/json")) return JSON.parse(raw) as Json;
  const form: Json = Object.fromEntries(new URLSearchParams(raw));
  for (const [key, value] of Object.entries(form)) {
    if (typeof value === "string" && (value.startsWith("[") || value.startsWith("{"))) {
      try {
        form[key] = JSON.parse(value);
      } catch {}
    }
  }
  return form;
}
