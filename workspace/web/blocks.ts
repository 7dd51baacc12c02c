/**
 * Block Kit and mrkdwn as Slack shows them, close enough to use: every block the bot sends, and every
 * element its forms take. A block or element this does not know is shown as its JSON, never hidden.
 */

// biome-ignore lint/suspicious/noExplicitAny: Block Kit JSON from the bot, read field by field as Slack reads it
type Json = Record<string, any>;

export type Directory = {
  userName(id: string): string;
  channelName(id: string): string;
  /** The options of a users_select. */
  users: { id: string; name: string }[];
};

export type ActionEvent = {
  actionId: string;
  blockId: string;
  type: string;
  /** The fields of the action as Slack sends them: value, text, style, selected_option … */
  fields: Json;
};

export type RenderOptions = {
  directory: Directory;
  onAction(event: ActionEvent): void;
};

/**
 * Errors from a view_submission answered with response_action: errors, by block_id, under their
 * fields; set in place, so that what the person typed stays as it is (as in Slack).
 */
export function showInputErrors(root: HTMLElement, errors: Record<string, string>): void {
  for (const old of root.querySelectorAll(".b-input-error")) old.remove();
  for (const input of root.querySelectorAll<HTMLElement>("[data-input-block]")) {
    const error = errors[input.dataset.inputBlock ?? ""];
    input.classList.toggle("has-error", error !== undefined);
    if (!error) continue;
    const message = el("span", "b-input-error");
    message.setAttribute("role", "alert");
    message.textContent = error;
    input.append(message);
  }
}

const TIME_ZONE = "Europe/Stockholm";

export function renderBlocks(blocks: unknown[], options: RenderOptions): HTMLElement {
  const root = el("div", "blocks");
  blocks.forEach((block, index) => {
    root.append(renderBlock(block as Json, index, options));
  });
  return root;
}

function renderBlock(block: Json, index: number, options: RenderOptions): HTMLElement {
  const blockId = typeof block.block_id === "string" ? block.block_id : `b${index}`;
  switch (block.type) {
    case "header": {
      const header = el("div", "b-header");
      header.append(text(block.text, options.directory));
      return header;
    }
    case "section": {
      const section = el("div", "b-section");
      const body = el("div", "b-section-body");
      if (block.text) body.append(text(block.text, options.directory));
      if (Array.isArray(block.fields)) {
        const fields = el("div", "b-fields");
        for (const field of block.fields) {
          const cell = el("div", "b-field");
          cell.append(text(field, options.directory));
          fields.append(cell);
        }
        body.append(fields);
      }
      section.append(body);
      if (block.accessory) {
        const accessory = el("div", "b-accessory");
        accessory.append(renderElement(block.accessory, blockId, options, "action"));
        section.append(accessory);
      }
      return section;
    }
    case "context": {
      const context = el("div", "b-context");
      for (const item of block.elements ?? []) {
        context.append(
          item.type === "image" ? image(item, "b-context-image") : text(item, options.directory),
        );
      }
      return context;
    }
    case "divider":
      return el("hr", "b-divider");
    case "image": {
      const figure = el("figure", "b-image");
      if (block.title) {
        const caption = el("figcaption");
        caption.append(text(block.title, options.directory));
        figure.append(caption);
      }
      figure.append(image(block, ""));
      return figure;
    }
    case "actions": {
      const actions = el("div", "b-actions");
      for (const element of block.elements ?? []) {
        actions.append(renderElement(element, blockId, options, "action"));
      }
      return actions;
    }
    case "input": {
      const input = el("div", "b-input");
      const label = el("label", "b-input-label");
      label.textContent = plain(block.label) + (block.optional ? " (valfritt)" : "");
      const element = renderElement(block.element, blockId, options, "input");
      const id = `input-${blockId}`;
      label.id = `${id}-label`;
      if (element.classList.contains("choice-group")) {
        element.setAttribute("role", "group");
        element.setAttribute("aria-labelledby", label.id);
      } else {
        element.id = id;
        (label as HTMLLabelElement).htmlFor = id;
      }
      input.append(label, element);
      if (block.hint) {
        const hint = el("span", "b-input-hint");
        hint.textContent = plain(block.hint);
        input.append(hint);
      }
      input.dataset.inputBlock = blockId;
      return input;
    }
    default:
      return unknown(`Okänd blocktyp ${JSON.stringify(block.type)}`, block);
  }
}

/**
 * An interactive element. In an actions block or an accessory it acts at once (block_actions); in an
 * input block its value is read when the form is submitted (see readViewState).
 */
function renderElement(
  element: Json,
  blockId: string,
  options: RenderOptions,
  place: "action" | "input",
): HTMLElement {
  const actionId = String(element?.action_id ?? "");
  const tag = (node: HTMLElement) => {
    node.dataset.blockId = blockId;
    node.dataset.actionId = actionId;
    node.dataset.type = String(element.type);
    if (place === "input") node.classList.add("state-input");
    return node;
  };
  const act = (fields: Json) => options.onAction({ actionId, blockId, type: String(element.type), fields });
  switch (element?.type) {
    case "button": {
      const button = tag(el("button", `btn${element.style ? ` ${element.style}` : ""}`)) as HTMLButtonElement;
      button.type = "button";
      button.textContent = plain(element.text);
      button.addEventListener("click", async () => {
        if (element.confirm && !(await confirmDialog(element.confirm, options.directory))) return;
        if (element.url) window.open(element.url, "_blank", "noopener");
        act({
          ...(element.value !== undefined ? { value: element.value } : {}),
          text: element.text,
          ...(element.style ? { style: element.style } : {}),
        });
      });
      return button;
    }
    case "image":
      return image(element, "b-accessory-image");
    case "plain_text_input":
    case "url_text_input":
    case "email_text_input":
    case "number_input": {
      const multiline = element.type === "plain_text_input" && element.multiline;
      const input = tag(el(multiline ? "textarea" : "input", "field")) as HTMLInputElement;
      if (!multiline) {
        input.type =
          { url_text_input: "url", email_text_input: "email", number_input: "number" }[
            element.type as string
          ] ?? "text";
      }
      if (element.placeholder) input.placeholder = plain(element.placeholder);
      if (element.initial_value !== undefined) input.value = String(element.initial_value);
      if (element.max_length) input.maxLength = element.max_length;
      return input;
    }
    case "datepicker": {
      const input = tag(el("input", "field")) as HTMLInputElement;
      input.type = "date";
      if (element.initial_date) input.value = element.initial_date;
      if (place === "action")
        input.addEventListener("change", () => act({ selected_date: input.value || null }));
      return input;
    }
    case "static_select":
    case "multi_static_select":
    case "users_select":
    case "multi_users_select": {
      const multi = element.type.startsWith("multi_");
      const select = tag(el("select", "field")) as HTMLSelectElement;
      select.multiple = multi;
      const userOptions = element.type.includes("users");
      if (!multi) {
        const none = el("option") as HTMLOptionElement;
        none.value = "";
        none.textContent = element.placeholder ? plain(element.placeholder) : "Välj …";
        select.append(none);
      }
      const choices: { value: string; label: string; selected: boolean }[] = userOptions
        ? options.directory.users.map((user) => ({
            value: user.id,
            label: user.name,
            selected: element.initial_user === user.id || (element.initial_users ?? []).includes(user.id),
          }))
        : allOptions(element).map((option) => ({
            value: String(option.value),
            label: plain(option.text),
            selected:
              element.initial_option?.value === option.value ||
              (element.initial_options ?? []).some((initial: Json) => initial.value === option.value),
          }));
      for (const choice of choices) {
        const option = el("option") as HTMLOptionElement;
        option.value = choice.value;
        option.textContent = choice.label;
        option.selected = choice.selected;
        select.append(option);
      }
      if (multi) select.size = Math.min(choices.length, 8);
      if (place === "action") {
        select.addEventListener("change", () => act(selectionOf(element, select) ?? {}));
      }
      return select;
    }
    case "radio_buttons":
    case "checkboxes": {
      const group = tag(el("div", `choice-group ${element.type}`));
      const name = `${blockId}-${actionId}`;
      for (const option of element.options ?? []) {
        const row = el("label", "choice");
        const input = el("input") as HTMLInputElement;
        input.type = element.type === "radio_buttons" ? "radio" : "checkbox";
        input.name = name;
        input.value = String(option.value);
        input.checked =
          element.initial_option?.value === option.value ||
          (element.initial_options ?? []).some((initial: Json) => initial.value === option.value);
        const label = el("span");
        label.append(text(option.text, options.directory));
        row.append(input, label);
        if (option.description) {
          const description = el("span", "choice-description");
          description.append(text(option.description, options.directory));
          row.append(description);
        }
        group.append(row);
      }
      return group;
    }
    default:
      return unknown(`Okänt element ${JSON.stringify(element?.type)}`, element);
  }
}

/**
 * The view's state.values as Slack sends them with view_submission and block_actions: by block_id,
 * then action_id, each with its type and the value in the field Slack names for that type.
 */
export function readViewState(root: HTMLElement, view: Json): Json {
  const values: Json = {};
  const elements = new Map<string, Json>();
  for (const block of view.blocks ?? []) {
    if (block.type === "input" && block.element)
      elements.set(`${block.block_id}/${block.element.action_id}`, block.element);
  }
  for (const node of root.querySelectorAll<HTMLElement>(".state-input")) {
    const { blockId = "", actionId = "", type = "" } = node.dataset;
    const element = elements.get(`${blockId}/${actionId}`) ?? { type };
    const value = stateValueOf(element, node);
    values[blockId] = { ...(values[blockId] ?? {}), [actionId]: { type, ...value } };
  }
  return values;
}

function stateValueOf(element: Json, node: HTMLElement): Json {
  switch (element.type) {
    case "datepicker":
      return { selected_date: (node as HTMLInputElement).value || null };
    case "static_select":
    case "multi_static_select":
    case "users_select":
    case "multi_users_select":
      return selectionOf(element, node as HTMLSelectElement) ?? {};
    case "radio_buttons": {
      const checked = node.querySelector<HTMLInputElement>("input:checked");
      const option = (element.options ?? []).find((o: Json) => String(o.value) === checked?.value);
      return { selected_option: option ?? null };
    }
    case "checkboxes": {
      const checked = [...node.querySelectorAll<HTMLInputElement>("input:checked")].map(
        (input) => input.value,
      );
      return {
        selected_options: (element.options ?? []).filter((o: Json) => checked.includes(String(o.value))),
      };
    }
    default: {
      const value = (node as HTMLInputElement).value;
      return { value: value === "" ? null : value };
    }
  }
}

function selectionOf(element: Json, select: HTMLSelectElement): Json | undefined {
  const chosen = [...select.selectedOptions].map((option) => option.value).filter((value) => value !== "");
  switch (element.type) {
    case "users_select":
      return { selected_user: chosen[0] ?? null };
    case "multi_users_select":
      return { selected_users: chosen };
    case "static_select":
      return { selected_option: allOptions(element).find((o) => String(o.value) === chosen[0]) ?? null };
    case "multi_static_select":
      return { selected_options: allOptions(element).filter((o) => chosen.includes(String(o.value))) };
    default:
      return undefined;
  }
}

function allOptions(element: Json): Json[] {
  if (Array.isArray(element.option_groups))
    return element.option_groups.flatMap((group: Json) => group.options ?? []);
  return element.options ?? [];
}

/** Slack's confirm dialog: title, text, and the two buttons; resolves true on confirm. */
function confirmDialog(confirm: Json, directory: Directory): Promise<boolean> {
  return new Promise((resolve) => {
    const dialog = el("dialog", "confirm-dialog") as HTMLDialogElement;
    const title = el("h2");
    title.textContent = plain(confirm.title);
    const body = el("div", "confirm-text");
    body.append(text(confirm.text, directory));
    const deny = el("button", "btn") as HTMLButtonElement;
    deny.textContent = confirm.deny ? plain(confirm.deny) : "Avbryt";
    const yes = el("button", `btn ${confirm.style === "danger" ? "danger" : "primary"}`) as HTMLButtonElement;
    yes.textContent = confirm.confirm ? plain(confirm.confirm) : "Ja";
    const buttons = el("div", "dialog-buttons");
    buttons.append(deny, yes);
    dialog.append(title, body, buttons);
    const done = (answer: boolean) => {
      dialog.close();
      dialog.remove();
      resolve(answer);
    };
    deny.addEventListener("click", () => done(false));
    yes.addEventListener("click", () => done(true));
    dialog.addEventListener("cancel", () => done(false));
    document.body.append(dialog);
    dialog.showModal();
  });
}

function image(item: Json, className: string): HTMLElement {
  const img = el("img", className) as HTMLImageElement;
  img.src = String(item.image_url ?? "");
  img.alt = String(item.alt_text ?? "");
  return img;
}

function unknown(title: string, value: unknown): HTMLElement {
  const box = el("div", "b-unknown");
  const label = el("div", "b-unknown-title");
  label.textContent = title;
  const json = el("pre");
  json.textContent = JSON.stringify(value, null, 2);
  box.append(label, json);
  return box;
}

/** A text object: plain_text as it is (emoji names as emoji), mrkdwn formatted. */
export function text(object: Json | undefined, directory: Directory): HTMLElement {
  const span = el("span", "text");
  if (!object) return span;
  if (object.type === "mrkdwn") span.innerHTML = mrkdwn(String(object.text ?? ""), directory);
  else span.textContent = emoji(String(object.text ?? ""));
  return span;
}

function plain(object: Json | undefined): string {
  return emoji(String(object?.text ?? ""));
}

/**
 * Slack's mrkdwn to HTML: <@U…>, <#C…|name>, <!date^…>, <url|text>; *bold*, _italic_, ~strike~,
 * `code`, ```pre```, > quotes; &amp; &lt; &gt; as Slack escapes them. Everything else is escaped.
 */
export function mrkdwn(source: string, directory: Directory): string {
  const saved: string[] = [];
  const keep = (html: string) => `\uE000${saved.push(html) - 1}\uE000`;
  let work = source.replace(/```([\s\S]*?)```/g, (_, code: string) =>
    keep(`<pre class="code">${escapeHtml(decode(code))}</pre>`),
  );
  work = work.replace(/`([^`\n]+)`/g, (_, code: string) => keep(`<code>${escapeHtml(decode(code))}</code>`));
  work = work.replace(/<([^<>\n]+)>/g, (_, inner: string) => keep(special(inner, directory)));
  work = escapeHtml(decode(work));
  const before = "(^|[\\s(\\uE000>\"'])";
  const after = "(?=$|[\\s.,!?:;)\\uE000<\"'])";
  work = work.replace(new RegExp(`${before}\\*(?! )([^*\\n]+?)\\*${after}`, "g"), "$1<strong>$2</strong>");
  work = work.replace(new RegExp(`${before}_(?! )([^_\\n]+?)_${after}`, "g"), "$1<em>$2</em>");
  work = work.replace(new RegExp(`${before}~(?! )([^~\\n]+?)~${after}`, "g"), "$1<del>$2</del>");
  work = work.replace(/(^|\n)&gt; ?([^\n]*)/g, '$1<span class="quote">$2</span>');
  work = emoji(work).replace(/\n/g, "<br>");
  return work.replace(/\uE000(\d+)\uE000/g, (_, index: string) => saved[Number(index)] ?? "");
}

function special(inner: string, directory: Directory): string {
  const [target = "", label] = splitOnce(inner, "|");
  if (target.startsWith("@")) {
    return `<span class="mention">@${escapeHtml(label ?? directory.userName(target.slice(1)))}</span>`;
  }
  if (target.startsWith("#")) {
    return `<span class="mention">#${escapeHtml(label ?? directory.channelName(target.slice(1)))}</span>`;
  }
  if (target.startsWith("!date^")) {
    const [, seconds = "0", format = "{date}", link] = target.split("^");
    return `<time>${escapeHtml(formatDate(Number(seconds), format, link) || (label ?? ""))}</time>`;
  }
  if (target.startsWith("!")) return `<span class="mention">@${escapeHtml(label ?? target.slice(1))}</span>`;
  const url = decode(target);
  if (!/^(https?:|mailto:)/.test(url)) return escapeHtml(decode(label ?? target));
  return `<a href="${escapeHtml(url)}" target="_blank" rel="noopener">${escapeHtml(decode(label ?? target))}</a>`;
}

function formatDate(seconds: number, format: string, _link: string | undefined): string {
  const date = new Date(seconds * 1000);
  const part = (options: Intl.DateTimeFormatOptions) =>
    new Intl.DateTimeFormat("sv-SE", { timeZone: TIME_ZONE, ...options }).format(date);
  const tokens: Record<string, string> = {
    date_num: part({ year: "numeric", month: "2-digit", day: "2-digit" }),
    date: part({ day: "numeric", month: "long", year: "numeric" }),
    date_short: part({ day: "numeric", month: "short", year: "numeric" }),
    date_long: part({ weekday: "long", day: "numeric", month: "long", year: "numeric" }),
    date_pretty: part({ day: "numeric", month: "long", year: "numeric" }),
    date_short_pretty: part({ day: "numeric", month: "short", year: "numeric" }),
    date_long_pretty: part({ weekday: "long", day: "numeric", month: "long", year: "numeric" }),
    time: part({ hour: "2-digit", minute: "2-digit" }),
    time_secs: part({ hour: "2-digit", minute: "2-digit", second: "2-digit" }),
  };
  return format.replace(/\{(\w+)\}/g, (whole, token: string) => tokens[token] ?? whole);
}

const EMOJI: Record<string, string> = {
  warning: "⚠️",
  white_check_mark: "✅",
  x: "❌",
  hourglass: "⌛",
  hourglass_flowing_sand: "⏳",
  calendar: "📅",
  date: "📅",
  bell: "🔔",
  lock: "🔒",
  mag: "🔍",
  page_facing_up: "📄",
  memo: "📝",
  inbox_tray: "📥",
  outbox_tray: "📤",
  red_circle: "🔴",
  large_orange_circle: "🟠",
  large_green_circle: "🟢",
  information_source: "ℹ️",
  heavy_check_mark: "✔️",
  no_entry_sign: "🚫",
  arrow_right: "➡️",
  link: "🔗",
  clipboard: "📋",
  busts_in_silhouette: "👥",
  bust_in_silhouette: "👤",
  scroll: "📜",
  chart_with_upwards_trend: "📈",
  chart_with_downwards_trend: "📉",
};

function emoji(value: string): string {
  return value.replace(/:([a-z0-9_+-]+):/g, (whole, name: string) => EMOJI[name] ?? whole);
}

function splitOnce(value: string, separator: string): [string, string | undefined] {
  const at = value.indexOf(separator);
  return at === -1 ? [value, undefined] : [value.slice(0, at), value.slice(at + 1)];
}

function decode(value: string): string {
  return value.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
}

function escapeHtml(value: string): string {
  return value
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

export function el(tag: string, className = ""): HTMLElement {
  const node = document.createElement(tag);
  if (className) node.className = className;
  return node;
}
