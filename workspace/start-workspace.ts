import { randomBytes } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ts from "typescript";
import { startBot } from "../src/bot.js";
import { parseConfig } from "../src/config.js";
import { type DatabaseHandle, openDatabase } from "../src/db/client.js";
import { grantRole } from "../src/modules/access/grant-role.js";
import { importRegistry } from "../src/modules/import/import-registry.js";
import { jsonSource } from "../src/modules/import/read-import-file.js";
import { createContext } from "../src/modules/shared/context.js";
import { DEMO_CHANNELS, DEMO_USERS } from "./demo-workspace.js";
import { SlackWorkspace, WorkspaceClock } from "./slack-workspace.js";

const DEMO_FILE = new URL("../db/seed/demo.json", import.meta.url);
const WEB_DIR = new URL("./web/", import.meta.url);
/** A Monday in the demo registry's spring, when its motion's remisser are open and one is overdue. */
export const DEFAULT_START = "2017-04-03T09:00:00+02:00";

export type RunningWorkspace = {
  url: string;
  /** The bot's own HTTP server, which the workspace signs Slack's requests to. */
  botUrl: string;
  clock: WorkspaceClock;
  stop(): Promise<void>;
};

/**
 * The local workspace: the unchanged bot on a fresh embedded database holding the demo registry,
 * with the demo users' roles granted through the bot's own use case, talking to a SlackWorkspace
 * that stands in for Slack. Nothing is kept: the database lives in a temporary folder.
 */
export async function startWorkspace({
  port = 3001,
  host = "127.0.0.1",
  startAt = DEFAULT_START,
  logLevel = "warn",
}: {
  port?: number;
  host?: string;
  startAt?: string;
  logLevel?: string;
} = {}): Promise<RunningWorkspace> {
  const dataDir = await mkdtemp(join(tmpdir(), "arendebot-workspace-"));
  const clock = new WorkspaceClock(new Date(startAt));
  const signingSecret = randomBytes(16).toString("hex");
  const botToken = `xoxb-workspace-${randomBytes(8).toString("hex")}`;
  const slack = new SlackWorkspace({
    users: DEMO_USERS,
    channels: DEMO_CHANNELS,
    clock,
    signingSecret,
    botToken,
    page: servePage,
  });
  await slack.listen(port, host);
  const botPort = await freePort();
  const admins = DEMO_USERS.filter((user) => user.roles.some((r) => r.role === "admin")).map((u) => u.id);
  const config = parseConfig(
    {
      SLACK_BOT_TOKEN: botToken,
      SLACK_SIGNING_SECRET: signingSecret,
      SLACK_API_URL: `${slack.url}/api/`,
      PORT: String(botPort),
      DATA_DIR: dataDir,
      ARENDE_ADMINS: admins.join(","),
      LOG_LEVEL: logLevel,
    },
    "bot",
  );
  let database: DatabaseHandle | undefined;
  try {
    database = await openDatabase(config.database, { thread: "worker" });
    await database.migrate();
    await seedDemo(database, clock, admins);
    // The bot serves this machine alone, like the page.
    const bot = await startBot({ config, clock, database, host: "127.0.0.1" });
    slack.connectBot({
      eventsUrl: `http://127.0.0.1:${botPort}/slack/events`,
      runDuePosts: () => bot.runDuePosts(),
    });
    const opened = database;
    return {
      url: slack.url,
      botUrl: `http://127.0.0.1:${botPort}`,
      clock,
      stop: async () => {
        await bot.stop();
        await opened.close();
        await slack.stop();
        await rm(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await database?.close().catch(() => {});
    await slack.stop();
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
}

/**
 * db/seed/demo.json through the real importer, its bodies given the workspace's channels, then the
 * demo users' roles granted as the terminal would (`arendebot roll ge`).
 */
async function seedDemo(database: DatabaseHandle, clock: WorkspaceClock, admins: string[]): Promise<void> {
  const demo = JSON.parse(await readFile(DEMO_FILE, "utf8")) as { bodies: { code: string }[] };
  for (const body of demo.bodies) {
    const channel = DEMO_CHANNELS.find((c) => c.body === body.code);
    if (channel) Object.assign(body, { slack_channel_id: channel.id });
  }
  await importRegistry(
    { db: database.db, actor: { type: "import", source: "demo.json" }, clock },
    { source: jsonSource(JSON.stringify(demo), "demo.json") },
  );
  const ctx = createContext({ db: database.db, clock, admins, actor: { type: "cli", user: "arbetsytan" } });
  for (const user of DEMO_USERS) {
    for (const { role, body } of user.roles) {
      if (role === "admin") continue;
      const granted = await grantRole(ctx, { slackUserId: user.id, role, body });
      if (!granted.ok)
        throw new Error(`could not grant ${user.name} ${role} ${body}: ${JSON.stringify(granted)}`);
    }
  }
}

const transpiled = new Map<string, string>();

/** The page and its scripts; the front end's TypeScript is compiled by TypeScript's own transpiler. */
async function servePage(path: string): Promise<{ type: string; body: string } | undefined> {
  if (path === "/" || path === "/index.html") {
    return { type: "text/html; charset=utf-8", body: await readFile(new URL("index.html", WEB_DIR), "utf8") };
  }
  if (path === "/style.css") {
    return { type: "text/css; charset=utf-8", body: await readFile(new URL("style.css", WEB_DIR), "utf8") };
  }
  const script = /^\/([a-z-]+)\.js$/.exec(path)?.[1];
  if (!script) return undefined;
  let body = transpiled.get(script);
  if (body === undefined) {
    const source = await readFile(new URL(`${script}.ts`, WEB_DIR), "utf8").catch(() => undefined);
    if (source === undefined) return undefined;
    body = ts.transpileModule(source, {
      compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ES2022 },
    }).outputText;
    transpiled.set(script, body);
  }
  return { type: "text/javascript; charset=utf-8", body };
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
