import { randomBytes } from "node:crypto";
import type { AnyMiddlewareArgs, App, Middleware } from "@slack/bolt";
import type { View } from "@slack/types";
import { isRegistryError } from "../modules/shared/availability.js";
import { markRequest } from "../observability/metrics.js";
import type { SlackMessage } from "./blocks/message.js";
import { registryProblemMessage, unexpectedErrorMessage } from "./blocks/replies.js";
import { tellPrivately } from "./payload.js";

type Args = Parameters<Middleware<AnyMiddlewareArgs>>[0];
type Body = Record<string, unknown> & {
  type?: string;
  user?: { id?: string };
  user_id?: string;
  channel?: { id?: string };
  channel_id?: string;
  event?: { channel?: string; user?: string; ts?: string; thread_ts?: string };
  actions?: { action_id?: string }[];
  view?: { callback_id?: string };
  callback_id?: string;
  response_url?: string;
};

/**
 * The last line of defence: an error a listener did not expect is logged with a short reference,
 * Slack's request is acknowledged if the listener had not done so, and the person who asked is told
 * in Swedish, with the reference, instead of Slack's "did not respond". Nothing is rethrown, so no
 * single request can end the process.
 */
export function answerUnexpectedErrors(): Middleware<AnyMiddlewareArgs> {
  return async (args) => {
    try {
      await args.next();
    } catch (error) {
      const reference = randomBytes(3).toString("hex").toUpperCase();
      args.logger.error(`unexpected error (reference ${reference})`, error);
      // A registry refusal was counted as busy or unavailable when it was made.
      if (!isRegistryError(error)) markRequest("error");
      const message = isRegistryError(error)
        ? registryProblemMessage(error)
        : unexpectedErrorMessage(reference);
      try {
        await tellAboutFailure(args, message);
      } catch (telling) {
        args.logger.warn(`could not tell the user about the error (reference ${reference})`, telling);
      }
    }
  };
}

async function tellAboutFailure(args: Args, message: SlackMessage): Promise<void> {
  const body = args.body as Body;
  if ("ack" in args && typeof args.ack === "function") {
    const ack = args.ack as (response?: unknown) => Promise<void>;
    const answer =
      body.type === "view_submission"
        ? { response_action: "update", view: failureView(message) }
        : body.type === undefined && typeof body.command === "string"
          ? { response_type: "ephemeral", ...message }
          : undefined;
    try {
      await ack(answer);
      // The ack itself carried the message.
      if (answer) return;
    } catch {
      // Already acknowledged by the listener before it failed.
    }
  }
  if ("respond" in args && typeof args.respond === "function" && body.response_url) {
    await args.respond({ response_type: "ephemeral", replace_original: false, ...message });
    return;
  }
  const user = body.user?.id ?? body.user_id ?? body.event?.user;
  if (!user) return;
  const channel = body.channel?.id ?? body.channel_id ?? body.event?.channel;
  await tellPrivately(
    { client: args.client, logger: args.logger },
    { channel, user },
    message,
    "error notice",
  );
}

function failureView(message: SlackMessage): View {
  return {
    type: "modal",
    title: { type: "plain_text", text: "arendebot" },
    close: { type: "plain_text", text: "Stäng" },
    blocks: message.blocks,
  };
}

/**
 * Slack waits 3 s for an acknowledgement even of a button or form the bot no longer has a listener
 * for (an old message, a forged id), then shows an error. Such requests are acknowledged at once.
 */
export function acknowledgeUnknownInteractions(known: KnownListeners): Middleware<AnyMiddlewareArgs> {
  return async (args) => {
    const body = args.body as Body;
    const id = interactionId(body);
    if (id && !known.has(id.kind, id.value) && "ack" in args && typeof args.ack === "function") {
      args.logger.info(`acknowledged an unknown ${id.kind} ${JSON.stringify(id.value)}`);
      await (args.ack as () => Promise<void>)();
      return;
    }
    await args.next();
  };
}

function interactionId(body: Body): { kind: "action" | "view" | "shortcut"; value: string } | undefined {
  switch (body.type) {
    case "block_actions":
      return { kind: "action", value: String(body.actions?.[0]?.action_id ?? "") };
    case "view_submission":
    case "view_closed":
      return { kind: "view", value: String(body.view?.callback_id ?? "") };
    case "shortcut":
    case "message_action":
      return { kind: "shortcut", value: String(body.callback_id ?? "") };
    default:
      return undefined;
  }
}

/** The ids the bot's listeners were registered for, read off the registrations themselves. */
export class KnownListeners {
  private readonly ids = { action: [] as Matcher[], view: [] as Matcher[], shortcut: [] as Matcher[] };

  /** An App whose action, view and shortcut registrations are also recorded here. */
  recording(app: App): App {
    const record =
      (kind: keyof KnownListeners["ids"], method: "action" | "view" | "shortcut") =>
      (constraint: unknown, ...listeners: unknown[]) => {
        this.ids[kind].push(matcher(constraint));
        return (app[method] as (...args: unknown[]) => unknown).call(app, constraint, ...listeners);
      };
    const overrides: Record<string, unknown> = {
      action: record("action", "action"),
      view: record("view", "view"),
      shortcut: record("shortcut", "shortcut"),
    };
    return new Proxy(app, {
      get(target, property, receiver) {
        if (typeof property === "string" && property in overrides) return overrides[property];
        const value = Reflect.get(target, property, receiver);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
  }

  has(kind: keyof KnownListeners["ids"], id: string): boolean {
    return this.ids[kind].some((matches) => matches(id));
  }
}

type Matcher = (id: string) => boolean;

function matcher(constraint: unknown): Matcher {
  if (typeof constraint === "string") return (id) => id === constraint;
  if (constraint instanceof RegExp) return (id) => constraint.test(id);
  if (typeof constraint === "object" && constraint !== null) {
    const object = constraint as { action_id?: unknown; callback_id?: unknown };
    const inner = object.action_id ?? object.callback_id;
    if (inner !== undefined) return matcher(inner);
  }
  // A constraint on something else (block_id, type) may match any id: never treat those as unknown.
  return () => true;
}
