import { App, HTTPReceiver, LogLevel } from "@slack/bolt";
import { FakeSlack } from "../tests/support/fake-slack.js";
import { freePort } from "../tests/support/running-bot.js";
import { announce } from "./child.js";

/**
 * The floor: a bare Bolt app with the bot's HTTP receiver settings, answering /arende with a
 * constant. Whatever the bot costs on top of this is ours. With BENCH_FLOOR_ANSWER (a JSON body the
 * bot answered), it answers those very bytes instead: the floor for a card of that size.
 */
const answer = process.env.BENCH_FLOOR_ANSWER
  ? (JSON.parse(process.env.BENCH_FLOOR_ANSWER) as Record<string, unknown>)
  : { response_type: "ephemeral", text: "Golvet: ett fast svar." };
const slack = new FakeSlack(); // answers auth.test, which Bolt calls on start
await slack.start();
const port = await freePort();
const app = new App({
  token: "xoxb-bench-token",
  receiver: new HTTPReceiver({
    signingSecret: process.env.SLACK_SIGNING_SECRET ?? "",
    endpoints: "/slack/events",
    processBeforeResponse: false,
  }),
  logLevel: LogLevel.ERROR,
  clientOptions: { slackApiUrl: slack.apiUrl },
});
app.command("/arende", async ({ ack }) => ack(answer));
await app.start(port);

announce(port, async () => {
  await app.stop();
  await slack.stop();
});
