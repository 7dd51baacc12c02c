import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { referralResponses } from "../../src/db/schema.js";
import { HOME_SEARCH_ACTION } from "../../src/slack/blocks/app-home.js";
import { APPROVE_RESPONSE_ACTION } from "../../src/slack/blocks/approval-ids.js";
import { SEARCH_QUERY_BLOCK, SEARCH_QUERY_INPUT, SEARCH_VIEW } from "../../src/slack/blocks/search-modal.js";
import { OPEN_SEARCH_HIT_ACTION } from "../../src/slack/blocks/search-results.js";
import type { RecordedCall } from "../support/fake-slack.js";
import { botForThisFile } from "../support/running-bot.js";
import { pendingRemissvar, SECRET_TITLE } from "../support/scenarios.js";
import { sendSigned } from "../support/signed-request.js";
import {
  appHomeOpenedEvent,
  buttonIn,
  buttonsOf,
  type CapturedView,
  interact,
  viewBlockActions,
  viewSubmission,
} from "../support/slack-payloads.js";
import { sendArende } from "../support/slash-command.js";

const OFFICER = "U0HANDL01";
const APPROVER = "U0GODK001";
const NOBODY = "U0NOROLE1";
const OWN_SECRET = "Utredning om ekonomiskt bistånd till familjen på Hornsgatan";

// The bot's clock: Monday 3 April 2017, 10:00 in Stockholm.
const ADMIN = "U0ADMIN01";

const { bot, database } = botForThisFile({
  env: { ARENDE_ADMINS: ADMIN },
  given: async (seed) => {
    await seed.body("Socialnämnden", "board", "C0SOCIAL");
    await seed.body("Kommunstyrelsen", "board", "C0KS");
    await seed.roles([
      { user: OFFICER, role: "handlaggare", body: "Socialnämnden" },
      { user: APPROVER, role: "godkannare", body: "Socialnämnden" },
    ]);
    await seed.case({
      dnr: "108-2101/2017",
      kind: "skrivelse",
      title: "Skrivelse om hemtjänstens nattpatruller",
      publicTitle: "Skrivelse om hemtjänstens nattpatruller",
      responsibleBody: "Kommunstyrelsen",
      status: "in_progress",
      referrals: [{ body: "Socialnämnden", sentOn: "2017-03-20", dueOn: "2017-04-20", state: "open" }],
    });
    // Kommunstyrelsen's secret: a role in Socialnämnden, the body it went to, gives no right to it.
    await seed.case({
      dnr: "108-2102/2017",
      kind: "other",
      title: SECRET_TITLE,
      publicTitle: "Sekretess",
      restricted: true,
      responsibleBody: "Kommunstyrelsen",
      status: "in_progress",
      referrals: [{ body: "Socialnämnden", sentOn: "2017-02-15", dueOn: "2017-03-15", state: "open" }],
    });
    await pendingRemissvar(seed, {
      dnr: "108-2103/2017",
      title: "Skrivelse om avgifter i äldreomsorgen",
      body: "Socialnämnden",
      submittedBy: OFFICER,
      copies: [{ channelId: "C0SOCIAL", messageTs: "1700000200.000001" }],
    });
    // The officer's own restricted case: theirs to read in full.
    await seed.case({
      dnr: "108-2104/2017",
      kind: "other",
      title: OWN_SECRET,
      publicTitle: "Sekretess",
      restricted: true,
      responsibleBody: "Kommunstyrelsen",
      officerName: "Kim Handläggare",
      officerSlackUserId: OFFICER,
      raisedOn: "2017-03-01",
      status: "in_progress",
    });
  },
});

type PublishedHome = {
  user_id: string;
  view: { type: string; blocks: { type: string; text?: { text: string } }[] };
};

function homesOf(user: string): PublishedHome[] {
  return bot.slack
    .callsTo("views.publish")
    .map((call: RecordedCall) => call.body as unknown as PublishedHome)
    .filter((home) => home.user_id === user);
}

/** The view's text, block by block, as the user reads it. */
function textOf(home: PublishedHome | undefined): string {
  return JSON.stringify(home?.view.blocks ?? []);
}

async function openHome(user: string, { shown = false }: { shown?: boolean } = {}): Promise<PublishedHome> {
  const before = homesOf(user).length;
  const response = await sendSigned(bot.eventsUrl, JSON.stringify(appHomeOpenedEvent({ user, shown })), {
    contentType: "application/json",
  });
  expect(response.status).toBe(200);
  await waitFor(() => homesOf(user).length > before);
  return homesOf(user).at(-1) as PublishedHome;
}

async function waitFor(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("waited in vain");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** The count once it has stayed the same for 300 ms. */
async function settledCount(count: () => number): Promise<number> {
  let seen = count();
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 300));
    if (count() === seen) return seen;
    seen = count();
  }
}

describe("the Home tab", () => {
  it("shows a handläggare the remisser their body must answer, overdue first, each with its due date and button", async () => {
    const home = await openHome(OFFICER);
    expect(home.view.type).toBe("home");
    const text = textOf(home);
    const order = ["108-2102/2017", "108-2103/2017", "108-2101/2017"].map((dnr) => text.indexOf(dnr));
    expect(order.every((at) => at > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(text).toContain("*Försenad*, skulle besvarats 15 mars 2017");
    expect(text).toContain("Svar senast 20 april 2017");
    // The remiss already answered waits for approval: no second remissvar is offered for it.
    expect(text).toContain("Remissvar inväntar godkännande");
    const respondButtons = home.view.blocks.filter(
      (block) =>
        (block as { accessory?: { action_id?: string } }).accessory?.action_id === "response.open_modal",
    );
    expect(respondButtons).toHaveLength(2);
  });

  it("shows another body's restricted case by its public title only, and the officer's own in full", async () => {
    const text = textOf(await openHome(OFFICER));
    expect(text).not.toContain(SECRET_TITLE);
    expect(text).toContain("*Dnr 108-2102/2017* Sekretess");
    expect(text).toContain("Mina ärenden");
    expect(text).toContain(OWN_SECRET);
  });

  it("publishes the tab each time it is opened, and nothing for the Messages tab", async () => {
    await openHome(OFFICER);
    await openHome(OFFICER, { shown: true });
    // What else may publish (the five-minute refresh) is let land first: the count is then the Messages tab's.
    const count = await settledCount(() => homesOf(OFFICER).length);
    await sendSigned(
      bot.eventsUrl,
      JSON.stringify(appHomeOpenedEvent({ user: OFFICER, tab: "messages", shown: false })),
      { contentType: "application/json" },
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(homesOf(OFFICER)).toHaveLength(count);
  });

  it("tells someone without a role how roles are given", async () => {
    const text = textOf(await openHome(NOBODY));
    expect(text).toContain("Du har ingen roll i någon nämnd ännu");
    expect(text).toContain("/arende roll ge");
  });

  it("lets a godkännare approve from the tab; their tab and the handläggare's are published again without it", async () => {
    const home = await openHome(APPROVER);
    expect(textOf(home)).toContain("Remissvar att godkänna");
    expect(textOf(home)).toContain("Skrivelse om avgifter i äldreomsorgen");
    await openHome(OFFICER);
    const officerHomes = homesOf(OFFICER).length;
    const approverHomes = homesOf(APPROVER).length;

    const click = viewBlockActions({
      user: APPROVER,
      button: buttonIn(home.view.blocks, APPROVE_RESPONSE_ACTION),
      view: { id: "V0HOMEGODK", type: "home" },
    });
    await interact(bot, click.payload);

    await waitFor(() => homesOf(APPROVER).length > approverHomes && homesOf(OFFICER).length > officerHomes);
    const [response] = await database.db
      .select({ state: referralResponses.approvalState, by: referralResponses.decidedBySlackUserId })
      .from(referralResponses);
    expect(response).toEqual({ state: "approved", by: APPROVER });
    expect(textOf(homesOf(APPROVER).at(-1))).not.toContain("Remissvar att godkänna");
    expect(textOf(homesOf(OFFICER).at(-1))).not.toContain("108-2103/2017");
    // Nothing was sent to a response_url the tab does not have.
    expect(bot.slack.calls.filter((call) => call.method.startsWith("/response/"))).toEqual([]);
  });

  it("answers a refused click in the tab in a small modal, since the tab has no conversation", async () => {
    const before = bot.slack.callsTo("views.open").length;
    const [pending] = await database.db
      .select({ id: referralResponses.id })
      .from(referralResponses)
      .where(eq(referralResponses.approvalState, "approved"));
    const click = viewBlockActions({
      user: NOBODY,
      button: { actionId: APPROVE_RESPONSE_ACTION, value: JSON.stringify({ responseId: pending?.id }) },
      view: { id: "V0HOMENOBODY", type: "home" },
    });
    await interact(bot, click.payload);
    const [opened] = (await bot.slack.waitForCalls("views.open", before + 1)).slice(before);
    expect(opened?.body.trigger_id).toBe(click.triggerId);
    expect(JSON.stringify(opened?.body.view)).toContain("godkännare");
  });

  it("answers in a direct message when the click's trigger has expired before the answer", async () => {
    bot.slack.respondWith((call) =>
      call.method === "views.open" && call.body.trigger_id === "444.expired.trigger"
        ? { body: { ok: false, error: "expired_trigger_id" } }
        : undefined,
    );
    const before = bot.slack.callsTo("chat.postMessage").length;
    const click = viewBlockActions({
      user: NOBODY,
      button: { actionId: APPROVE_RESPONSE_ACTION, value: JSON.stringify({ responseId: 1 }) },
      view: { id: "V0HOMENOBODY", type: "home" },
    });
    await interact(bot, { ...click.payload, trigger_id: "444.expired.trigger" });
    const [told] = (await bot.slack.waitForCalls("chat.postMessage", before + 1)).slice(before);
    expect(told?.body.channel).toBe(NOBODY);
    expect(JSON.stringify(told?.body)).toContain("godkännare");
  });

  it("is published again for someone given a role, who then has work in it", async () => {
    await openHome(NOBODY);
    const count = homesOf(NOBODY).length;
    const { answer } = await sendArende(bot, `roll ge <@${NOBODY}|ny> handläggare socialnämnden`, {
      user: ADMIN,
    });
    expect(answer?.text).toContain("handläggare");
    await waitFor(() => homesOf(NOBODY).length > count);
    const text = textOf(homesOf(NOBODY).at(-1));
    expect(text).not.toContain("Du har ingen roll");
    expect(text).toContain("Skrivelse om hemtjänstens nattpatruller");
  });

  it("lists the cases the user follows, published again when they follow one, a restricted one in full for its officer", async () => {
    const before = textOf(await openHome(OFFICER));
    expect(before).toContain("Du bevakar inga ärenden.");
    for (const dnr of ["108-2101/2017", "108-2104/2017"]) {
      const count = homesOf(OFFICER).length;
      const { answer } = await sendArende(bot, `bevaka Dnr ${dnr}`, { user: OFFICER });
      expect(answer?.text).not.toMatch(/inte|fel/i);
      await waitFor(() => homesOf(OFFICER).length > count);
    }
    const text = textOf(homesOf(OFFICER).at(-1));
    const followed = text.slice(text.indexOf("Bevakade ärenden"), text.indexOf("Mina ärenden"));
    expect(followed).toContain("*Dnr 108-2101/2017* Skrivelse om hemtjänstens nattpatruller");
    expect(followed).toContain(`*Dnr 108-2104/2017* ${OWN_SECRET}`);
    // Seeded rows carry no audit trail: nothing has happened to them since.
    expect(followed).toContain("Inga ändringar ännu");
  });

  it("opens a search modal whose hits open the case's card on top of it", async () => {
    const home = await openHome(OFFICER, { shown: false });
    const before = bot.slack.callsTo("views.open").length;
    await interact(
      bot,
      viewBlockActions({
        user: OFFICER,
        button: buttonIn(home.view.blocks, HOME_SEARCH_ACTION),
        view: { id: "V0HOMEHANDL", type: "home" },
      }).payload,
    );
    const [opened] = (await bot.slack.waitForCalls("views.open", before + 1)).slice(before);
    const form = opened?.body.view as CapturedView;
    expect(form.callback_id).toBe(SEARCH_VIEW);

    const answer = await interact(
      bot,
      viewSubmission(form, OFFICER, {
        [SEARCH_QUERY_BLOCK]: { [SEARCH_QUERY_INPUT]: { type: "plain_text_input", value: "nattpatruller" } },
      }),
    );
    expect(answer.response_action).toBe("update");
    const results = answer.view as CapturedView;
    expect(JSON.stringify(results.blocks)).toContain("Skrivelse om hemtjänstens nattpatruller");

    const pushes = bot.slack.callsTo("views.push").length;
    await interact(
      bot,
      viewBlockActions({
        user: OFFICER,
        button: buttonIn(results.blocks, OPEN_SEARCH_HIT_ACTION),
        view: { id: "V0SEARCH", type: "modal" },
      }).payload,
    );
    const [pushed] = (await bot.slack.waitForCalls("views.push", pushes + 1)).slice(pushes);
    const cardView = pushed?.body.view as CapturedView | undefined;
    expect(JSON.stringify(cardView?.blocks)).toContain("Skrivelse om hemtjänstens nattpatruller");
    expect(buttonsOf(cardView?.blocks)).toEqual([]);
  });

  it("refuses an empty search on the form's field, in Swedish", async () => {
    const answer = await interact(
      bot,
      viewSubmission({ callback_id: SEARCH_VIEW, private_metadata: "", blocks: [] }, OFFICER, {
        [SEARCH_QUERY_BLOCK]: { [SEARCH_QUERY_INPUT]: { type: "plain_text_input", value: "  " } },
      }),
    );
    expect(answer.response_action).toBe("errors");
    expect(answer.errors?.[SEARCH_QUERY_BLOCK]).toMatch(/sök/i);
  });
});
