import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import {
  App,
  type CustomRoute,
  HTTPReceiver,
  type Receiver,
  type ReceiverEvent,
  SocketModeReceiver,
} from "@slack/bolt";
import type { SlackConfig } from "../config.js";
import {
  boltLogger,
  currentLogger,
  currentRequestId,
  inRequestScope,
  type Logger,
} from "../observability/logger.js";
import { collectProcessMetrics, measureRequest, registry, surfaceOf } from "../observability/metrics.js";
import { registerActions } from "./actions/register.js";
import { registerCommands } from "./commands/register.js";
import type { SlackDeps } from "./deps.js";
import { registerEvents } from "./events/register.js";
import { guardSlackEndpoint } from "./http-guard.js";
import { SlackRouter } from "./router.js";
import { answerUnexpectedErrors } from "./safety-middleware.js";
import { registerShortcuts } from "./shortcuts/register.js";
import { verifyBotToken } from "./verify-token.js";
import { registerViews } from "./views/register.js";
import { countingRetries } from "./web-poster.js";

export type SlackAppOptions = {
  slack: SlackConfig;
  port: number;
  /** The interface to listen on (HTTP mode); every interface when left out, as a server behind a proxy. */
  host?: string;
  /** Largest request body read from Slack (HTTP mode). */
  maxBodyBytes: number;
  /** The process's logger; each Slack request logs through a child carrying its request id. */
  logger: Logger;
  deps: SlackDeps;
  /** Resolves when the database answers; backs /readyz. */
  isReady: () => Promise<boolean>;
  /**
   * Served on PORT before Slack's endpoint and the health routes, in both modes (the HTTP API for
   * integration platforms): true when it took the request.
   */
  before?: (req: IncomingMessage, res: ServerResponse) => boolean;
};

export type RunningSlackApp = {
  mode: "http" | "socket";
  /** Stops taking requests, then waits for listeners still at work. */
  stop(): Promise<void>;
};

const EVENTS_PATH = "/slack/events";
const LISTENER_RETRIES = { retries: 2, factor: 2, minTimeout: 500, maxTimeout: 2_000 };
/** On shutdown, listeners still at work get this long to finish. */
const STOP_WAIT_MS = 10_000;

/** The same listeners serve HTTP mode (POST /slack/events) and Socket Mode (when an app token is set). */
export async function startSlackApp(options: SlackAppOptions): Promise<RunningSlackApp> {
  const { slack, port } = options;
  // Before anything is served: a token Slack refuses stops start-up with a line naming it.
  const identity = await verifyBotToken({ botToken: slack.botToken, apiUrl: slack.apiUrl });
  collectProcessMetrics();
  const customRoutes = healthRoutes(options.isReady, options.logger);
  const socketMode = slack.appToken !== undefined;
  let receiver: Receiver;
  if (socketMode) {
    receiver = new SocketModeReceiver({
      appToken: slack.appToken as string,
      customRoutes,
      logger: boltLogger(options.logger, "socket-mode"),
      // Socket Mode asks the Web API for its socket URL (apps.connections.open): SLACK_API_URL too.
      installerOptions: { port, ...(slack.apiUrl ? { clientOptions: { slackApiUrl: slack.apiUrl } } : {}) },
    });
  } else {
    const http = new HTTPReceiver({
      signingSecret: slack.signingSecret ?? "",
      endpoints: EVENTS_PATH,
      customRoutes,
      processBeforeResponse: false,
      // guardSlackEndpoint below checks every signature before Bolt sees the request.
      signatureVerification: false,
      logger: boltLogger(options.logger, "http-receiver"),
    });
    http.requestListener = inFront(
      options.before,
      guardSlackEndpoint(http.requestListener, {
        path: EVENTS_PATH,
        signingSecret: slack.signingSecret ?? "",
        maxBodyBytes: options.maxBodyBytes,
      }),
    );
    receiver = http;
  }

  const app = new App({
    token: slack.botToken,
    ...identity,
    receiver,
    // No listener keeps conversation state; Bolt's store would otherwise look it up (and fail with a
    // new Error) on every request.
    convoStore: false,
    // The router leaves out the bot's own events, as Bolt's global middleware for it would.
    ignoreSelf: false,
    logger: boltLogger(options.logger, "bolt"),
    clientOptions: {
      ...(slack.apiUrl ? { slackApiUrl: slack.apiUrl } : {}),
      logger: boltLogger(options.logger, "web-api"),
      // The Web API client's default keeps retrying a failing Slack for half an hour; a listener
      // answering a person gives up within seconds instead and says so.
      retryConfig: countingRetries(LISTENER_RETRIES, "listener"),
    },
  });
  measureEveryRequest(app, options.logger);

  // One global middleware and no Bolt listeners (see SlackRouter): Bolt copies every middleware's
  // arguments into a new object and a new promise on each request. In order: listeners find the
  // request's id and logger on `context` (Bolt's `logger` argument writes through the same child, see
  // boltLogger); the work is tracked so that stop() can wait for it; unexpected errors are answered;
  // the router runs the listener, or acknowledges what has none.
  const inFlight = new Set<Promise<unknown>>();
  const router = new SlackRouter();
  registerCommands(router, options.deps);
  registerEvents(router, options.deps);
  registerActions(router, options.deps);
  registerViews(router, options.deps);
  registerShortcuts(router, options.deps);
  const answeringErrors = answerUnexpectedErrors();
  app.use(async (args) => {
    args.context.requestId = currentRequestId();
    // Made when first read: most requests log nothing.
    Object.defineProperty(args.context, "log", {
      get: () => currentLogger(options.logger),
      enumerable: true,
    });
    const work = answeringErrors({ ...args, next: () => router.route(args) });
    inFlight.add(work);
    try {
      await work;
    } finally {
      inFlight.delete(work);
    }
  });
  // Bolt's default handler rethrows, which in Socket Mode nobody catches; errors reaching it are logged.
  app.error(async (error) => {
    app.logger.error("unhandled error in a Slack listener", error);
  });

  if (socketMode) {
    // Socket Mode's receiver serves the health routes on PORT but listens without an error
    // handler, so a taken port would end the process; the port is tried first, and the failure is
    // taken here instead.
    await portIsFree(port);
    const healthServer = (receiver as unknown as { httpServer?: Server }).httpServer;
    if (healthServer && options.before) {
      // The receiver's server takes its handler when made; it is put behind the one in front here.
      const [own] = healthServer.listeners("request") as Listener[];
      healthServer.removeAllListeners("request");
      if (own) healthServer.on("request", inFront(options.before, own));
    }
    const listening = healthServer ? listenedOrFailed(healthServer) : Promise.resolve();
    await Promise.all([app.start(), listening]);
  } else {
    // A client that sends its request slowly, or never finishes it, loses the connection.
    const listenOn = options.host === undefined ? port : { port, host: options.host };
    await app.start(listenOn, { requestTimeout: 15_000, headersTimeout: 10_000 });
  }
  return {
    mode: socketMode ? "socket" : "http",
    stop: async () => {
      await app.stop();
      await settledWithin(Promise.allSettled([...inFlight]), STOP_WAIT_MS);
    },
  };
}

/**
 * Every request Bolt processes, from either receiver, runs in its own scope: a child logger with a
 * short request id (every line logged while it is handled carries it, Bolt's own included) and the
 * metrics' record of it (surface, outcome, time to ack and to the end). This wraps App.processEvent,
 * the one entry both receivers call, because the acknowledgement is the receiver's `ack` on the event,
 * which no middleware can see, and because authorization runs before the first middleware.
 */
function measureEveryRequest(app: App, base: Logger): void {
  const processEvent = app.processEvent.bind(app);
  app.processEvent = (event: ReceiverEvent) => {
    const surface = surfaceOf(event.body);
    return inRequestScope(base, { surface }, () =>
      measureRequest(surface, (acked) => {
        const ack = event.ack;
        return processEvent({
          ...event,
          ack: (response) => {
            acked();
            return ack(response);
          },
        });
      }),
    );
  };
}

type Listener = (req: IncomingMessage, res: ServerResponse) => void;

function inFront(
  before: ((req: IncomingMessage, res: ServerResponse) => boolean) | undefined,
  listener: Listener,
): Listener {
  if (!before) return listener;
  return (req, res) => {
    if (!before(req, res)) listener(req, res);
  };
}

function healthRoutes(isReady: () => Promise<boolean>, logger: Logger): CustomRoute[] {
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
    {
      path: "/metrics",
      method: ["GET"],
      handler: async (_req: IncomingMessage, res: ServerResponse) => {
        try {
          const body = await registry.metrics();
          res.writeHead(200, { "content-type": registry.contentType });
          res.end(body);
        } catch (error) {
          logger.warn({ err: error }, "metrics could not be collected");
          reply(res, 500, "metrics unavailable\n");
        }
      },
    },
  ];
}

async function settledWithin(work: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([work, new Promise((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}

function listenedOrFailed(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("listening", () => resolve());
    server.once("error", reject);
  });
}

/** Rejects with the listen error (EADDRINUSE, EACCES) when `port` cannot be opened. */
function portIsFree(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(port, () => probe.close(() => resolve()));
  });
}
