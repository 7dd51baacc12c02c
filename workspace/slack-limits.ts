/**
 * Slack's published limits for what an app sends (https://docs.slack.dev/reference/block-kit): a
 * message or view past them is refused by Slack (invalid_blocks, msg_too_long) or cut silently.
 * Pure, so the local workspace shows each violation on its message and the end-to-end tests fail on
 * any message the bot sends past them.
 */

export type LimitViolation = { path: string; problem: string };

type Json = Record<string, unknown>;

const MESSAGE_BLOCKS = 50;
const VIEW_BLOCKS = 100;
const MESSAGE_TEXT = 40_000;

export type Surface = "message" | "modal" | "home";

/** A chat.postMessage / postEphemeral / update or response_url body. */
export function checkMessage(message: Json): LimitViolation[] {
  const found: LimitViolation[] = [];
  if (typeof message.text === "string" && message.text.length > MESSAGE_TEXT) {
    found.push(tooLong("text", message.text.length, MESSAGE_TEXT));
  }
  if (message.blocks !== undefined) checkBlocks(message.blocks, "blocks", MESSAGE_BLOCKS, found);
  else if (typeof message.text !== "string" || message.text.trim() === "") {
    found.push({ path: "text", problem: "ett meddelande utan block måste ha text" });
  }
  if (Array.isArray(message.attachments)) {
    message.attachments.forEach((attachment, index) => {
      if (isObject(attachment) && attachment.blocks !== undefined) {
        checkBlocks(attachment.blocks, `attachments[${index}].blocks`, MESSAGE_BLOCKS, found);
      }
    });
  }
  return found;
}

/** A view for views.open / push / update / publish, or a view_submission's response_action. */
export function checkView(view: Json): LimitViolation[] {
  const found: LimitViolation[] = [];
  const type = view.type;
  if (type !== "modal" && type !== "home") {
    found.push({ path: "type", problem: `okänd vytyp ${JSON.stringify(type)} (modal eller home)` });
  }
  if (type === "modal") {
    plainText(view.title, "title", 24, found, true);
    if (view.submit !== undefined) plainText(view.submit, "submit", 24, found);
    if (view.close !== undefined) plainText(view.close, "close", 24, found);
    const needsSubmit =
      Array.isArray(view.blocks) && view.blocks.some((b) => isObject(b) && b.type === "input");
    if (needsSubmit && view.submit === undefined) {
      found.push({ path: "submit", problem: "en modal med input-block måste ha submit" });
    }
  }
  maxString(view.private_metadata, "private_metadata", 3_000, found);
  maxString(view.callback_id, "callback_id", 255, found);
  maxString(view.external_id, "external_id", 255, found);
  checkBlocks(view.blocks, "blocks", VIEW_BLOCKS, found);
  return found;
}

function checkBlocks(blocks: unknown, path: string, max: number, found: LimitViolation[]): void {
  if (!Array.isArray(blocks)) {
    found.push({ path, problem: "blocks måste vara en lista" });
    return;
  }
  if (blocks.length > max) found.push({ path, problem: `${blocks.length} block, högst ${max}` });
  const blockIds = new Set<string>();
  blocks.forEach((block, index) => {
    const at = `${path}[${index}]`;
    if (!isObject(block)) {
      found.push({ path: at, problem: "ett block måste vara ett objekt" });
      return;
    }
    if (typeof block.block_id === "string") {
      maxString(block.block_id, `${at}.block_id`, 255, found);
      if (blockIds.has(block.block_id))
        found.push({ path: `${at}.block_id`, problem: "block_id finns två gånger" });
      blockIds.add(block.block_id);
    }
    checkBlock(block, at, found);
  });
}

function checkBlock(block: Json, at: string, found: LimitViolation[]): void {
  switch (block.type) {
    case "section": {
      if (block.text === undefined && block.fields === undefined) {
        found.push({ path: at, problem: "en section måste ha text eller fields" });
      }
      if (block.text !== undefined) textObject(block.text, `${at}.text`, 3_000, found, { minLength: 1 });
      if (block.fields !== undefined) {
        if (!Array.isArray(block.fields))
          found.push({ path: `${at}.fields`, problem: "fields måste vara en lista" });
        else {
          if (block.fields.length > 10) {
            found.push({ path: `${at}.fields`, problem: `${block.fields.length} fält, högst 10` });
          }
          block.fields.forEach((field, index) => {
            textObject(field, `${at}.fields[${index}]`, 2_000, found, { minLength: 1 });
          });
        }
      }
      if (block.accessory !== undefined) element(block.accessory, `${at}.accessory`, found);
      return;
    }
    case "header":
      plainText(block.text, `${at}.text`, 150, found, true);
      return;
    case "context": {
      const elements = listOf(block.elements, `${at}.elements`, 10, found);
      elements.forEach((item, index) => {
        const path = `${at}.elements[${index}]`;
        if (isObject(item) && item.type === "image") image(item, path, found);
        else textObject(item, path, 3_000, found, { minLength: 1 });
      });
      return;
    }
    case "actions": {
      const elements = listOf(block.elements, `${at}.elements`, 25, found);
      elements.forEach((item, index) => {
        element(item, `${at}.elements[${index}]`, found);
      });
      return;
    }
    case "input":
      plainText(block.label, `${at}.label`, 2_000, found, true);
      if (block.hint !== undefined) plainText(block.hint, `${at}.hint`, 2_000, found);
      element(block.element, `${at}.element`, found);
      return;
    case "image":
      image(block, at, found);
      if (block.title !== undefined) plainText(block.title, `${at}.title`, 2_000, found);
      return;
    case "divider":
    case "rich_text":
      return;
    default:
      found.push({ path: `${at}.type`, problem: `okänd blocktyp ${JSON.stringify(block.type)}` });
  }
}

function element(value: unknown, at: string, found: LimitViolation[]): void {
  if (!isObject(value)) {
    found.push({ path: at, problem: "elementet saknas" });
    return;
  }
  maxString(value.action_id, `${at}.action_id`, 255, found);
  if (value.placeholder !== undefined) plainText(value.placeholder, `${at}.placeholder`, 150, found);
  if (value.confirm !== undefined) confirmDialog(value.confirm, `${at}.confirm`, found);
  switch (value.type) {
    case "button":
      plainText(value.text, `${at}.text`, 75, found, true);
      maxString(value.value, `${at}.value`, 2_000, found);
      maxString(value.url, `${at}.url`, 3_000, found);
      if (value.style !== undefined && value.style !== "primary" && value.style !== "danger") {
        found.push({ path: `${at}.style`, problem: `okänd stil ${JSON.stringify(value.style)}` });
      }
      return;
    case "static_select":
    case "multi_static_select":
      options(value, at, 100, found);
      return;
    case "radio_buttons":
    case "checkboxes":
      options(value, at, 10, found);
      return;
    case "overflow":
      options(value, at, 5, found);
      return;
    case "plain_text_input":
      maxString(value.initial_value, `${at}.initial_value`, 3_000, found);
      return;
    case "image":
      image(value, at, found);
      return;
    case "datepicker":
    case "timepicker":
    case "users_select":
    case "multi_users_select":
    case "conversations_select":
    case "channels_select":
    case "url_text_input":
    case "email_text_input":
    case "number_input":
      return;
    default:
      found.push({ path: `${at}.type`, problem: `okänd elementtyp ${JSON.stringify(value.type)}` });
  }
}

function options(value: Json, at: string, max: number, found: LimitViolation[]): void {
  const list = value.option_groups === undefined ? listOf(value.options, `${at}.options`, max, found) : [];
  list.forEach((option, index) => {
    const path = `${at}.options[${index}]`;
    if (!isObject(option)) {
      found.push({ path, problem: "ett alternativ måste vara ett objekt" });
      return;
    }
    textObject(option.text, `${path}.text`, 75, found, { minLength: 1 });
    maxString(option.value, `${path}.value`, 150, found);
    if (option.description !== undefined) textObject(option.description, `${path}.description`, 75, found);
  });
}

function confirmDialog(value: unknown, at: string, found: LimitViolation[]): void {
  if (!isObject(value)) return void found.push({ path: at, problem: "confirm måste vara ett objekt" });
  plainText(value.title, `${at}.title`, 100, found, true);
  textObject(value.text, `${at}.text`, 300, found, { minLength: 1 });
  plainText(value.confirm, `${at}.confirm`, 30, found, true);
  plainText(value.deny, `${at}.deny`, 30, found, true);
}

function image(value: Json, at: string, found: LimitViolation[]): void {
  maxString(value.image_url, `${at}.image_url`, 3_000, found);
  if (typeof value.alt_text !== "string" || value.alt_text === "") {
    found.push({ path: `${at}.alt_text`, problem: "en bild måste ha alt_text" });
  } else maxString(value.alt_text, `${at}.alt_text`, 2_000, found);
}

function listOf(value: unknown, at: string, max: number, found: LimitViolation[]): unknown[] {
  if (!Array.isArray(value)) {
    found.push({ path: at, problem: "måste vara en lista" });
    return [];
  }
  if (value.length === 0) found.push({ path: at, problem: "tom lista" });
  if (value.length > max) found.push({ path: at, problem: `${value.length} st, högst ${max}` });
  return value;
}

function plainText(value: unknown, at: string, max: number, found: LimitViolation[], required = false): void {
  if (value === undefined && !required) return;
  if (isObject(value) && value.type !== "plain_text") {
    found.push({ path: `${at}.type`, problem: "måste vara plain_text" });
  }
  textObject(value, at, max, found, { minLength: 1 });
}

function textObject(
  value: unknown,
  at: string,
  max: number,
  found: LimitViolation[],
  { minLength = 0 }: { minLength?: number } = {},
): void {
  if (!isObject(value) || (value.type !== "plain_text" && value.type !== "mrkdwn")) {
    found.push({ path: at, problem: "ett textobjekt (plain_text eller mrkdwn) saknas" });
    return;
  }
  if (typeof value.text !== "string") return void found.push({ path: `${at}.text`, problem: "text saknas" });
  if (value.text.length < minLength) found.push({ path: `${at}.text`, problem: "tom text" });
  if (value.text.length > max) found.push(tooLong(`${at}.text`, value.text.length, max));
}

function maxString(value: unknown, at: string, max: number, found: LimitViolation[]): void {
  if (typeof value === "string" && value.length > max) found.push(tooLong(at, value.length, max));
}

function tooLong(path: string, length: number, max: number): LimitViolation {
  return { path, problem: `${swedishNumber(length)} tecken, högst ${swedishNumber(max)}` };
}

function swedishNumber(value: number): string {
  return value.toLocaleString("sv-SE");
}

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** What Slack's Web API methods and response_url carry, checked by method. */
export function checkSlackCall(method: string, body: Json): LimitViolation[] {
  switch (method) {
    case "chat.postMessage":
    case "chat.postEphemeral":
    case "chat.update":
      return checkMessage(body);
    case "views.open":
    case "views.push":
    case "views.update":
    case "views.publish":
      return isObject(body.view) ? checkView(body.view) : [{ path: "view", problem: "view saknas" }];
    default:
      if (method.startsWith("/response/")) {
        return body.delete_original === true ? [] : checkMessage(body);
      }
      return [];
  }
}

/**
 * The bot's HTTP answer to a request from Slack (the ack's body): an answer to a slash command or a
 * button carries a message; one to a form submission may update or push a view.
 */
export function checkAckBody(body: Json): LimitViolation[] {
  if (body.response_action === "update" || body.response_action === "push") {
    return isObject(body.view) ? checkView(body.view) : [{ path: "view", problem: "view saknas" }];
  }
  if (body.response_action !== undefined) return [];
  return "text" in body || "blocks" in body ? checkMessage(body) : [];
}
