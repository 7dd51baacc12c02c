import {
  type ActionEvent,
  type Directory,
  el,
  mrkdwn,
  readViewState,
  renderBlocks,
  showInputErrors,
} from "./blocks.js";

/**
 * The page: channels, the DM with the bot and its Home tab on the left; the conversation or the Home
 * tab in the middle; modals on top. Its state is the workspace server's (GET /ws/state), fetched
 * again whenever the server says something changed (server-sent events on /ws/events).
 */

// biome-ignore lint/suspicious/noExplicitAny: Block Kit JSON from the bot, read field by field as Slack reads it
type Json = Record<string, any>;
type Violation = { path: string; problem: string };
type Message = {
  ts: string;
  channel: string;
  user: string;
  text: string;
  blocks?: unknown[];
  threadTs?: string;
  ephemeralTo?: string;
  postedAt: string;
  edited: boolean;
  violations: Violation[];
};
type View = { id: string; hash: string; view: Json; errors: Record<string, string>; violations: Violation[] };
type State = {
  botUserId: string;
  ready: boolean;
  now: string;
  users: { id: string; name: string; handle: string; description: string }[];
  channels: { id: string; name: string; kind: "channel" | "im" }[];
  messages: Message[];
  home: View | null;
  modals: View[];
};

const HOME = "home";
const TIME_ZONE = "Europe/Stockholm";

let me = localStorage.getItem("arendebot.user") ?? "U0RITA";
let place = localStorage.getItem("arendebot.place") ?? "C0ARENDEN";
let state: State | undefined;
/** The modal on screen, by id and hash: re-rendered only when the bot changed it, so typing survives. */
let shownModal = "";

const $ = <T extends HTMLElement>(selector: string) => document.querySelector(selector) as T;

const directory: Directory = {
  userName: (id) =>
    id === state?.botUserId ? "arendebot" : (state?.users.find((u) => u.id === id)?.handle ?? id),
  channelName: (id) => state?.channels.find((c) => c.id === id)?.name ?? id,
  get users() {
    return (state?.users ?? []).map(({ id, name }) => ({ id, name }));
  },
};

async function post(path: string, body: Json): Promise<void> {
  const response = await fetch(`/ws/${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ user: me, ...body }),
  });
  const answer = (await response.json()) as { ok: boolean; error?: string };
  if (!answer.ok) flash(answer.error ?? "Något gick fel");
}

async function refresh(): Promise<void> {
  const response = await fetch(`/ws/state?user=${encodeURIComponent(me)}`);
  state = (await response.json()) as State;
  render();
}

let pending: Promise<void> | undefined;
let again = false;
/** One fetch at a time; a change announced meanwhile fetches once more afterwards. */
function scheduleRefresh(): void {
  if (pending) {
    again = true;
    return;
  }
  pending = refresh().finally(() => {
    pending = undefined;
    if (again) {
      again = false;
      scheduleRefresh();
    }
  });
}

function render(): void {
  if (!state) return;
  document.body.dataset.ready = String(state.ready);
  renderTopBar(state);
  renderSidebar(state);
  if (place === HOME) renderHome(state);
  else renderConversation(state);
  renderModal(state);
}

function renderTopBar(current: State): void {
  const select = $<HTMLSelectElement>("#who");
  if (select.options.length === 0) {
    for (const user of current.users) {
      const option = el("option") as HTMLOptionElement;
      option.value = user.id;
      option.textContent = `${user.name} (${user.description})`;
      select.append(option);
    }
  }
  select.value = me;
  const now = new Date(current.now);
  $("#clock").textContent = new Intl.DateTimeFormat("sv-SE", {
    timeZone: TIME_ZONE,
    weekday: "long",
    day: "numeric",
    month: "long",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
  }).format(now);
}

function renderSidebar(current: State): void {
  const list = $("#places");
  list.replaceChildren();
  const heading = (label: string) => {
    const h = el("div", "sidebar-heading");
    h.textContent = label;
    list.append(h);
  };
  const item = (id: string, label: string) => {
    const button = el("button", `place${id === place ? " active" : ""}`) as HTMLButtonElement;
    button.textContent = label;
    button.addEventListener("click", () => go(id));
    list.append(button);
  };
  heading("Kanaler");
  for (const channel of current.channels.filter((c) => c.kind === "channel"))
    item(channel.id, `# ${channel.name}`);
  heading("Direktmeddelanden");
  for (const channel of current.channels.filter((c) => c.kind === "im")) item(channel.id, `● arendebot`);
  heading("Appar");
  item(HOME, "arendebot · Hem");
}

function go(id: string): void {
  place = id;
  localStorage.setItem("arendebot.place", id);
  if (id === HOME) void post("home", {});
  render();
}

function renderConversation(current: State): void {
  const channel = current.channels.find((c) => c.id === place) ?? current.channels[0];
  if (!channel) return;
  place = channel.id;
  $("#title").textContent = channel.kind === "im" ? "arendebot" : `# ${channel.name}`;
  $("#composer").hidden = false;
  ($("#message") as HTMLTextAreaElement).placeholder =
    channel.kind === "im"
      ? "Skriv till arendebot, t.ex. status Dnr 108-1642/2017"
      : `Skriv i #${channel.name}: /arende status Dnr 108-1642/2017 eller @arendebot hjälp`;
  const pane = $("#pane");
  const atBottom = pane.scrollHeight - pane.scrollTop - pane.clientHeight < 40;
  const mine = current.messages.filter((m) => m.channel === channel.id);
  const roots = mine.filter(
    (m) => !m.threadTs || m.threadTs === m.ts || !mine.some((p) => p.ts === m.threadTs),
  );
  const list = el("div", "messages");
  for (const root of roots) {
    const node = renderMessage(root);
    const replies = mine.filter((m) => m.threadTs === root.ts && m.ts !== root.ts);
    if (replies.length > 0) {
      const thread = el("div", "thread");
      const count = el("div", "thread-count");
      count.textContent = `${replies.length} ${replies.length === 1 ? "svar" : "svar"} i tråden`;
      thread.append(count, ...replies.map(renderMessage));
      node.append(thread);
    }
    list.append(node);
  }
  if (roots.length === 0) {
    const empty = el("p", "empty");
    empty.textContent = "Inga meddelanden här än.";
    list.append(empty);
  }
  pane.replaceChildren(list);
  if (atBottom || pane.dataset.place !== place) pane.scrollTop = pane.scrollHeight;
  pane.dataset.place = place;
}

function renderMessage(message: Message): HTMLElement {
  const node = el("article", `message${message.ephemeralTo ? " is-ephemeral" : ""}`);
  node.dataset.ts = message.ts;
  const head = el("div", "message-head");
  const author = el("strong", "author");
  const bot = message.user === state?.botUserId;
  author.textContent =
    message.user === "USLACKBOT"
      ? "Slackbot"
      : bot
        ? "arendebot"
        : (state?.users.find((u) => u.id === message.user)?.name ?? message.user);
  head.append(author);
  if (bot) head.append(tag("APP", "app-tag"));
  const time = el("time", "message-time");
  time.textContent = new Intl.DateTimeFormat("sv-SE", {
    timeZone: TIME_ZONE,
    day: "numeric",
    month: "short",
    hour: "2-digit",
    minute: "2-digit",
  }).format(new Date(message.postedAt));
  head.append(time);
  if (message.edited) head.append(tag("(redigerat)", "edited"));
  node.append(head);
  if (message.ephemeralTo) node.append(tag("👁 Endast synligt för dig", "ephemeral-label"));
  if (message.blocks && message.blocks.length > 0) {
    node.append(
      renderBlocks(message.blocks, {
        directory,
        onAction: (action) => void act(action, { channel: message.channel, ts: message.ts }),
      }),
    );
  } else {
    const body = el("div", "message-text");
    body.innerHTML = mrkdwn(message.text, directory);
    node.append(body);
  }
  if (message.violations.length > 0) node.append(violations(message.violations));
  return node;
}

function renderHome(current: State): void {
  $("#title").textContent = "arendebot · Hem";
  $("#composer").hidden = true;
  const pane = $("#pane");
  const home = current.home;
  const wrapper = el("div", "home");
  if (!home) {
    const empty = el("p", "empty");
    empty.textContent = "Hem-fliken laddas …";
    wrapper.append(empty);
  } else {
    if (home.violations.length > 0) wrapper.append(violations(home.violations));
    wrapper.append(
      renderBlocks(home.view.blocks ?? [], {
        directory,
        onAction: (action) =>
          void act(action, { viewId: home.id, values: readViewState(wrapper, home.view) }),
      }),
    );
  }
  pane.replaceChildren(wrapper);
  pane.dataset.place = HOME;
}

function renderModal(current: State): void {
  const top = current.modals.at(-1);
  const overlay = $("#modal");
  const key = top ? `${top.id}:${top.hash}` : "";
  if (key === shownModal) {
    // The same view: only its errors may have changed; what was typed stays.
    if (top) showModalErrors(overlay, top.errors);
    return;
  }
  shownModal = key;
  if (!top) {
    overlay.hidden = true;
    overlay.replaceChildren();
    return;
  }
  const box = el("form", "modal-box");
  box.setAttribute("role", "dialog");
  box.setAttribute("aria-label", String(top.view.title?.text ?? ""));
  const title = el("h2", "modal-title");
  title.textContent = String(top.view.title?.text ?? "");
  if (current.modals.length > 1) {
    const back = el("button", "modal-back") as HTMLButtonElement;
    back.type = "button";
    back.textContent = "←";
    back.title = "Tillbaka";
    back.addEventListener("click", () => void post("close", {}));
    title.prepend(back);
  }
  box.append(title);
  if (top.violations.length > 0) box.append(violations(top.violations));
  const general = el("p", "modal-error");
  general.setAttribute("role", "alert");
  box.append(general);
  const body = el("div", "modal-body");
  body.append(
    renderBlocks(top.view.blocks ?? [], {
      directory,
      onAction: (action) => void act(action, { viewId: top.id, values: readViewState(body, top.view) }),
    }),
  );
  box.append(body);
  const footer = el("div", "modal-footer");
  const close = el("button", "btn") as HTMLButtonElement;
  close.type = "button";
  close.textContent = String(top.view.close?.text ?? "Avbryt");
  close.addEventListener("click", () => void post("close", { all: true }));
  footer.append(close);
  if (top.view.submit) {
    const submit = el("button", "btn primary") as HTMLButtonElement;
    submit.type = "submit";
    submit.textContent = String(top.view.submit.text);
    footer.append(submit);
  }
  box.addEventListener("submit", (event) => {
    event.preventDefault();
    void post("submit", { viewId: top.id, values: readViewState(body, top.view) });
  });
  box.append(footer);
  overlay.replaceChildren(box);
  overlay.hidden = false;
  showModalErrors(overlay, top.errors);
}

/** Field errors under their fields; one the workspace itself reports (key "") above the form. */
function showModalErrors(overlay: HTMLElement, errors: Record<string, string>): void {
  showInputErrors(overlay, errors);
  const general = overlay.querySelector(".modal-error");
  if (general) general.textContent = errors[""] ?? "";
}

async function act(action: ActionEvent, where: Json): Promise<void> {
  await post("action", {
    ...where,
    actionId: action.actionId,
    blockId: action.blockId,
    type: action.type,
    fields: action.fields,
  });
}

function violations(list: Violation[]): HTMLElement {
  const box = el("div", "violations");
  box.setAttribute("role", "alert");
  const title = el("strong");
  title.textContent = "Över Slacks gränser – Slack skulle vägra eller klippa detta:";
  const items = el("ul");
  for (const violation of list) {
    const item = el("li");
    item.textContent = `${violation.path}: ${violation.problem}`;
    items.append(item);
  }
  box.append(title, items);
  return box;
}

function tag(label: string, className: string): HTMLElement {
  const span = el("span", className);
  span.textContent = label;
  return span;
}

function flash(message: string): void {
  const box = $("#flash");
  box.textContent = message;
  box.hidden = false;
  setTimeout(() => {
    box.hidden = true;
  }, 5_000);
}

function send(): void {
  const field = $("#message") as HTMLTextAreaElement;
  const typed = field.value;
  if (typed.trim() === "") return;
  field.value = "";
  void post("send", { channel: place, text: typed });
}

$("#composer").addEventListener("submit", (event) => {
  event.preventDefault();
  send();
});
$("#message").addEventListener("keydown", (event) => {
  const key = event as KeyboardEvent;
  if (key.key === "Enter" && !key.shiftKey) {
    key.preventDefault();
    send();
  }
});
$("#who").addEventListener("change", () => {
  me = ($("#who") as HTMLSelectElement).value;
  localStorage.setItem("arendebot.user", me);
  shownModal = "";
  if (place === HOME) void post("home", {});
  scheduleRefresh();
});
$("#run-now").addEventListener("click", () => void post("clock", { what: "now" }));
$("#next-day").addEventListener("click", () => void post("clock", { what: "day" }));

new EventSource("/ws/events").addEventListener("message", scheduleRefresh);
if (place === HOME) void post("home", {});
scheduleRefresh();
