import type {
  AllMiddlewareArgs,
  AnyMiddlewareArgs,
  BlockButtonAction,
  MessageShortcut,
  SlackActionMiddlewareArgs,
  SlackCommandMiddlewareArgs,
  SlackEventMiddlewareArgs,
  SlackShortcutMiddlewareArgs,
  SlackViewMiddlewareArgs,
  ViewSubmitAction,
} from "@slack/bolt";
import { unknownSlashCommandMessage } from "./blocks/replies.js";

export type CommandArgs = SlackCommandMiddlewareArgs & AllMiddlewareArgs;
export type ButtonArgs = SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs;
export type SubmissionArgs = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;
export type MessageShortcutArgs = SlackShortcutMiddlewareArgs<MessageShortcut> & AllMiddlewareArgs;
export type EventArgs<Type extends string = string> = SlackEventMiddlewareArgs<Type> & AllMiddlewareArgs;
/** What Bolt hands its global middleware: the same arguments its listeners would get. */
export type RequestArgs = AnyMiddlewareArgs & AllMiddlewareArgs;

type Handler<Args> = (args: Args) => Promise<void>;

/** Events Bolt's own `ignoreSelf` lets through although the bot user caused them. */
const OWN_EVENTS_KEPT = new Set(["member_joined_channel", "member_left_channel"]);

/**
 * The bot's listeners, each found by one lookup on its id: a command by name, a button by action
 * id, a form by callback id, a message shortcut by callback id, an event by type. The app's one
 * global middleware hands every request to `route`; no Bolt listener is registered. Bolt runs every
 * registered listener's middleware chain on every request, each with its own copy of the arguments,
 * its own matching middleware and their promises: with one listener per surface that was a fifth of
 * what a status lookup allocated, and more CPU than the lookup's own work.
 *
 * Also the safety net for what is not here: an unknown button, form, shortcut, option request or
 * command (an old message, a forged id) is acknowledged at once instead of Slack waiting 3 s and
 * showing an error (a command with a line saying what the bot answers); an event is ignored (Bolt
 * acknowledged it already).
 */
export class SlackRouter {
  private readonly commands = new Map<string, Handler<CommandArgs>>();
  private readonly buttons = new Map<string, Handler<ButtonArgs>>();
  private readonly submissions = new Map<string, Handler<SubmissionArgs>>();
  private readonly messageShortcuts = new Map<string, Handler<MessageShortcutArgs>>();
  private readonly events = new Map<string, Handler<EventArgs>>();

  command(name: string, handler: Handler<CommandArgs>): void {
    add(this.commands, name, handler);
  }

  button(actionId: string, handler: Handler<ButtonArgs>): void {
    add(this.buttons, actionId, handler);
  }

  submission(callbackId: string, handler: Handler<SubmissionArgs>): void {
    add(this.submissions, callbackId, handler);
  }

  messageShortcut(callbackId: string, handler: Handler<MessageShortcutArgs>): void {
    add(this.messageShortcuts, callbackId, handler);
  }

  event<Type extends string>(type: Type, handler: Handler<EventArgs<Type>>): void {
    add(this.events, type, handler as Handler<EventArgs>);
  }

  /** What is registered, by surface (the manifest must subscribe to exactly these). */
  registered(): Record<"commands" | "buttons" | "submissions" | "messageShortcuts" | "events", string[]> {
    return {
      commands: [...this.commands.keys()],
      buttons: [...this.buttons.keys()],
      submissions: [...this.submissions.keys()],
      messageShortcuts: [...this.messageShortcuts.keys()],
      events: [...this.events.keys()],
    };
  }

  /** Runs the request's listener; what has none is acknowledged (see the class). */
  async route(args: RequestArgs): Promise<void> {
    const found = this.find(args);
    if (found === "ignored") return;
    if (found) return found(args);
    if ("ack" in args && typeof args.ack === "function") {
      const { kind, id } = describe(args);
      args.logger.info(`acknowledged an unknown ${kind} ${JSON.stringify(id)}`);
      const ack = args.ack as (answer?: unknown) => Promise<void>;
      // The asker of a command reads why nothing happened; a select asking for options gets none.
      if (kind === "command") await ack({ response_type: "ephemeral", ...unknownSlashCommandMessage(id) });
      else if (kind === "block_suggestion") await ack({ options: [] });
      else await ack();
    }
  }

  private find(args: RequestArgs): Handler<RequestArgs> | "ignored" | undefined {
    if ("command" in args && args.command) return untyped(this.commands.get(args.command.command));
    if ("event" in args && args.event) {
      return fromThisBot(args as EventArgs) ? "ignored" : untyped(this.events.get(args.event.type));
    }
    const body = args.body as { type?: unknown };
    if ("action" in args && args.action && body.type === "block_actions") {
      // Only buttons: a select or date picker forged with a button's id is not handed to its listener.
      const action = args.action as { type?: string; action_id: string };
      return action.type === "button" ? untyped(this.buttons.get(action.action_id)) : undefined;
    }
    if ("view" in args && args.view && body.type === "view_submission") {
      return untyped(this.submissions.get(args.view.callback_id));
    }
    if ("shortcut" in args && args.shortcut && args.shortcut.type === "message_action") {
      return untyped(this.messageShortcuts.get(args.shortcut.callback_id));
    }
    return undefined;
  }
}

function add<Args>(table: Map<string, Handler<Args>>, id: string, handler: Handler<Args>): void {
  if (table.has(id)) throw new Error(`two listeners for ${JSON.stringify(id)}`);
  table.set(id, handler);
}

/** The router checked the request's kind and id before it took the handler. */
function untyped<Args>(handler: Handler<Args> | undefined): Handler<RequestArgs> | undefined {
  return handler as Handler<RequestArgs> | undefined;
}

/** Bolt's `ignoreSelf`: the bot's own posts and the events its own user caused are not answered. */
function fromThisBot({ event, context }: EventArgs): boolean {
  const own = event as { type: string; subtype?: string; bot_id?: string; user?: string };
  if (own.type === "message" && own.subtype === "bot_message" && own.bot_id === context.botId) return true;
  return context.botUserId !== undefined && own.user === context.botUserId && !OWN_EVENTS_KEPT.has(own.type);
}

function describe(args: RequestArgs): { kind: string; id: string } {
  const body = args.body as {
    type?: string;
    command?: string;
    actions?: { action_id?: string }[];
    view?: { callback_id?: string };
    callback_id?: string;
    action_id?: string;
  };
  if (typeof body.command === "string") return { kind: "command", id: body.command };
  switch (body.type) {
    case "block_actions":
      return { kind: "action", id: String(body.actions?.[0]?.action_id ?? "") };
    case "view_submission":
    case "view_closed":
      return { kind: "view", id: String(body.view?.callback_id ?? "") };
    case "shortcut":
    case "message_action":
      return { kind: "shortcut", id: String(body.callback_id ?? "") };
    default:
      return { kind: String(body.type ?? "request"), id: String(body.action_id ?? body.callback_id ?? "") };
  }
}
