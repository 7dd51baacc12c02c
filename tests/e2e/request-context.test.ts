import { eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { approvalMessages, memberships, referralResponses, referrals } from "../../src/db/schema.js";
import { membershipsOf } from "../../src/modules/access/access.repository.js";
import { APPROVE_RESPONSE_ACTION, REJECT_RESPONSE_ACTION } from "../../src/slack/blocks/approval-ids.js";
import { type BotUnderTest, startBotUnderTest } from "../support/running-bot.js";
import { Seeder } from "../support/seed-rows.js";
import { interactionBody, sendSigned } from "../support/signed-request.js";
import { createTestDatabase, type TestDatabase } from "../support/test-database.js";

// The roles of a Slack user are read by this one query; counting its calls counts the loads.
vi.mock("../../src/modules/access/access.repository.js", async (importOriginal) => {
  const original = await importOriginal<typeof import("../../src/modules/access/access.repository.js")>();
  return { ...original, membershipsOf: vi.fn(original.membershipsOf) };
});

const APPROVER = "U0GODK001";
const OFFICER = "U0HANDL01";
const ADMIN = "U0ADMIN01";

let database: TestDatabase;
let bot: BotUnderTest;
let seed: Seeder;
let socialnamnden: number;

beforeAll(async () => {
  database = await createTestDatabase();
  seed = new Seeder(database.db);
  socialnamnden = await seed.body("Socialnämnden", "board", "C0SOCIAL");
  await seed.body("Kommunstyrelsen", "board", "C0KS");
  const grantedAt = new Date("2017-01-01T00:00:00Z");
  await database.db.insert(memberships).values([
    { slackUserId: APPROVER, bodyId: socialnamnden, role: "godkannare", grantedBy: ADMIN, grantedAt },
    { slackUserId: OFFICER, bodyId: socialnamnden, role: "handlaggare", grantedBy: ADMIN, grantedAt },
  ]);
  bot = await startBotUnderTest(database, { env: { ARENDE_ADMINS: ADMIN } });
});

afterAll(async () => {
  await bot?.stop();
  await database?.destroy();
});

beforeEach(() => {
  vi.mocked(membershipsOf).mockClear();
});

/** How often the roles of `slackUserId` were read from the registry since the test began. */
const roleLoads = (slackUserId: string) =>
  vi.mocked(membershipsOf).mock.calls.filter(([, user]) => user === slackUserId).length;

let cases = 0;
/** A remissvar awaiting approval, its request posted to the body's channel and as a DM to APPROVER. */
async function pendingResponse() {
  cases += 1;
  const dnr = `108-${4000 + cases}/2017`;
  const caseId = await seed.case({
    dnr,
    kind: "skrivelse",
    title: `Skrivelse ${cases}`,
    publicTitle: `Skrivelse ${cases}`,
    responsibleBody: "Kommunstyrelsen",
    status: "in_progress",
    referrals: [
      {
        body: "Socialnämnden",
        sentOn: "2017-03-01",
        dueOn: "2017-03-31",
        dueStatement: "ska senast vara inlämnad 31 mars 2017",
        state: "open",
        responses: [
          {
            documentTitle: "Tjänsteutlåtande",
            summary: "Motionen kan anses besvarad.",
            answeredOn: "2017-03-22",
            submittedByName: "handlaggare",
            submittedBySlackUserId: OFFICER,
          },
        ],
      },
    ],
  });
  const [referral] = await database.db.select().from(referrals).where(eq(referrals.caseId, caseId));
  if (!referral) throw new Error("no referral");
  const [response] = await database.db
    .select()
    .from(referralResponses)
    .where(eq(referralResponses.referralId, referral.id));
  if (!response) throw new Error("no response");
  const serial = String(cases).padStart(6, "0");
  const channelCopy = { channelId: "C0SOCIAL", messageTs: `1700000200.${serial}` };
  await database.db.insert(approvalMessages).values([
    { ...channelCopy, responseId: response.id },
    {
      channelId: "D0GODK001",
      messageTs: `1700000300.${serial}`,
      responseId: response.id,
      recipientSlackUserId: APPROVER,
    },
  ]);
  return { dnr, responseId: response.id, channelCopy };
}

let clicks = 0;
/** Godkänn or Avslå clicked by `user` on the channel's copy of the approval request, as Slack sends it. */
async function click(
  actionId: string,
  { responseId, channelCopy }: Awaited<ReturnType<typeof pendingResponse>>,
  user: string,
): Promise<string> {
  clicks += 1;
  const responsePath = `/response/context-${clicks}`;
  const payload = {
    type: "block_actions",
    user: { id: user, username: user.toLowerCase(), name: user.toLowerCase(), team_id: "T111" },
    api_app_id: "A111",
    token: "verification_token",
    container: {
      type: "message",
      message_ts: channelCopy.messageTs,
      channel_id: channelCopy.channelId,
      is_ephemeral: false,
    },
    trigger_id: `555.666.${clicks}`,
    team: { id: "T111", domain: "workspace-domain" },
    channel: { id: channelCopy.channelId, name: "socialnamnden" },
    message: { type: "message", ts: channelCopy.messageTs, text: "Remissvar att godkänna", blocks: [] },
    response_url: bot.slack.responseUrl(`context-${clicks}`),
    actions: [
      {
        action_id: actionId,
        block_id: "approval_actions",
        text: { type: "plain_text", text: actionId === APPROVE_RESPONSE_ACTION ? "Godkänn" : "Avslå" },
        value: JSON.stringify({ responseId }),
        type: "button",
        action_ts: "1596530385.194939",
      },
    ],
  };
  const answer = await sendSigned(bot.eventsUrl, interactionBody(payload), {
    contentType: "application/x-www-form-urlencoded",
  });
  expect(answer.status).toBe(200);
  return responsePath;
}

async function waitUntil(check: () => boolean, what: string, timeoutMs = 5_000) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const formsOpenedFor = (dnr: string) =>
  bot.slack.callsTo("views.open").filter((call) => JSON.stringify(call.body.view).includes(dnr));

describe("one context per Slack request", () => {
  it("Avslå checks the clicker's right and shows them the answer with one read of their roles", async () => {
    const ids = await pendingResponse();
    await click(REJECT_RESPONSE_ACTION, ids, APPROVER);
    await waitUntil(() => formsOpenedFor(ids.dnr).length === 1, "the reason form");
    // The form shows the summary: the approver may read it, by the same roles that let them reject.
    expect(JSON.stringify(formsOpenedFor(ids.dnr)[0]?.body.view)).toContain("Motionen kan anses besvarad.");
    expect(roleLoads(APPROVER)).toBe(1);
  });

  it("Godkänn reads the approver's roles once for the check and their own copy; the submitter's are read for theirs", async () => {
    const ids = await pendingResponse();
    await click(APPROVE_RESPONSE_ACTION, ids, APPROVER);
    const told = () =>
      bot.slack
        .callsTo("chat.postMessage")
        .filter((call) => call.body.channel === OFFICER && JSON.stringify(call.body).includes(ids.dnr));
    await waitUntil(() => told().length === 1, "the submitter's notice");
    expect(roleLoads(APPROVER)).toBe(1);
    expect(roleLoads(OFFICER)).toBe(1);
  });

  it("the next request reads the roles again, so a role revoked in between counts at once", async () => {
    const first = await pendingResponse();
    await click(REJECT_RESPONSE_ACTION, first, APPROVER);
    await waitUntil(() => formsOpenedFor(first.dnr).length === 1, "the reason form");
    await database.db.delete(memberships).where(eq(memberships.slackUserId, APPROVER));
    try {
      const second = await pendingResponse();
      const refusal = await click(REJECT_RESPONSE_ACTION, second, APPROVER);
      await waitUntil(() => bot.slack.callsTo(refusal).length === 1, "the refusal");
      expect(JSON.stringify(bot.slack.callsTo(refusal)[0]?.body)).toContain(
        "Bara godkännare för Socialnämnden",
      );
      expect(formsOpenedFor(second.dnr)).toHaveLength(0);
      expect(roleLoads(APPROVER)).toBe(2);
    } finally {
      await database.db.insert(memberships).values({
        slackUserId: APPROVER,
        bodyId: socialnamnden,
        role: "godkannare",
        grantedBy: ADMIN,
        grantedAt: new Date("2017-01-01T00:00:00Z"),
      });
    }
  });
});
