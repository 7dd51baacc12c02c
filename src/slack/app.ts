import type { IncomingMessage, ServerResponse } from "node:http";
import {
  App,
  type CustomRoute,
  HTTPReceiver,
  LogLevel,
  type Receiver,
  SocketModeReceiver,
} from "@slack/bolt";
import type { SlackConfig } from "../config.js";
import { registerActions } from "./actions/register.js";
import { registerCommands } from "./commands/register.js";
import type { SlackDeps } from "./deps.js";
import { registerEvents } from "./events/register.js";
import { registerViews } from "./views/register.js";

export type SlackAppOptions = {
  slack: SlackConfig;
  port: number;
  logLevel: "debug" | "info" | "warn" | "error";
  deps: SlackDeps;
  /** Resolves when the database answers; backs /readyz. */
  isReady: () => Promise<boolean>;
};

export type RunningSlackApp = {
  mode: "http" | "socket";
  /** Stops taking requests, then waits for listeners still at work. */
  stop(): Promise<void>;
};

const levels = { debug: LogLevel.DEBUG, info: LogLevel.INFO, warn: LogLevel.WARN, error: LogLevel.ERROR };

/** The same listeners serve HTTP mode (POST /slack/events) and Socket Mode (when an app token is set). */
export async function startSlackApp(options: SlackAppOptions): Promise<RunningSlackApp> {
  const { slack, port } = options;
  const customRoutes = healthRoutes(options.isReady);
  const socketMode = slack.appToken !== undefined;
  const logLevel = levels[options.logLevel];
  const receiver: Receiver = socketMode
    ? new SocketModeReceiver({
        appToken: slack.appToken as string,
        customRoutes,
        logLevel,
        installerOptions: { port },
      })
    : new HTTPReceiver({
        signingSecret: slack.signingSecret ?? "",
        endpoints: "/slack/events",
        customRoutes,
        processBeforeResponse: false,
        logLevel,
      });

  const app = new App({
    token: slack.botToken,
    receiver,
    logLevel,
    clientOptions: slack.apiUrl ? { slackApiUrl: slack.apiUrl } : {},
  });

  const inFlight = new Set<Promise<unknown>>();
  app.use(async ({ next }) => {
    const work = next();
    inFlight.add(work);
    try {
      await work;
    } finally {
      inFlight.delete(work);
    }
  });
  registerCommands(app, options.deps);
  registerEvents(app, options.deps);
  registerActions(app, options.deps);
  registerViews(app, options.deps);

  await (socketMode ? app.start() : app.start(port));
  return {
    mode: socketMode ? "socket" : "http",
    stop: async () => {
      await app.stop();
      await Promise.allSettled([...inFlight]);
    },
  };
}

function healthRoutes(isReady: () => Promise<boolean>): CustomRoute[] {
  const reply = (res: ServerResponse, status: number, body: string) => {
    res.writeHead(status, { "content-type": "text/plain; charset=utf-8" });
    res.end(body);
  };
  return [
    {
      path: "/healthz",
      method: ["GET"],
      handler: (_req: IncomingMessage, res: ServerResponse) => reply(res, 200, "ok\n"),
    },
    {
      path: "/readyz",
      method: ["GET"],
      handler: async (_req: IncomingMessage, res: ServerResponse) =>
        (await isReady()) ? reply(res, 200, "ready\n") : reply(res, 503, "database unavailable\n"),
    },
  ];
}
