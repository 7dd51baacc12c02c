import { describe, expect, it } from "vitest";
import { MORE_SEARCH_HITS_ACTION, OPEN_SEARCH_HIT_ACTION } from "../../src/slack/blocks/search-results.js";
import type { RecordedCall } from "../support/fake-slack.js";
import { botForThisFile } from "../support/running-bot.js";
import { SECRET_TITLE, seedStatusCases } from "../support/scenarios.js";
import { sendSigned } from "../support/signed-request.js";
import { blockActions, buttonIn, interact } from "../support/slack-payloads.js";
import { type SlackAnswer, sendArende } from "../support/slash-command.js";

const { bot } = botForThisFile({
  given: async (seed) => {
    await seedStatusCases(seed);
    for (let day = 1; day <= 12; day += 1) {
      const title = `Skrivelse om snöröjningen i Bromma, del ${day}`;
      await seed.case({
        dnr: `108-${300 + day}/2017`,
        kind: "skrivelse",
        title,
        publicTitle: title,
        raisedOn: `2017-01-${String(day).padStart(2, "0")}`,
        status: "in_progress",
      });
    }
    // Found by its full title only by those entitled (its officer): never in a channel.
    await seed.case({
      dnr: "108-399/2017",
      kind: "skrivelse",
      title: "Skrivelse om snöröjningen i Bromma, hemlig bilaga",
      publicTitle: "Sekretess",
      restricted: true,
      officerSlackUserId: "UOFFICER",
      raisedOn: "2016-12-01",
      status: "in_progress",
    });
  },
});

const shown = (answer: { text?: unknown; blocks?: unknown } | null | undefined) =>
  `${answer?.text}\n${JSON.stringify(answer?.blocks)}`;

async function sok(text: string, user = "WNOBODY"): Promise<SlackAnswer> {
  const { answer } = await sendArende(bot, `sök ${text}`, { user });
  if (!answer) throw new Error("no answer");
  return answer;
}

describe("/arende sök", () => {
  it("answers the asker alone with the hits: identifier, title, kind, stage and date", async () => {
    const answer = await sok("socialsekreterarna");
    expect(answer.response_type).toBe("ephemeral");
    expect(answer.text).toBe("Träffar 1–1 för «socialsekreterarna» (alla):");
    expect(shown(answer)).toContain(
      "*Motion 2016:114* Motion om en kompetensutvecklingspeng för socialsekreterare\\nMotion · Under beredning",
    );
    expect(bot.slack.callsTo("chat.postMessage")).toEqual([]);
  });

  it("opens a hit's card for the clicker alone", async () => {
    const answer = await sok("bristerna");
    const click = blockActions(bot, {
      user: "WNOBODY",
      button: buttonIn(answer.blocks, OPEN_SEARCH_HIT_ACTION),
      channel: "C111",
      ephemeral: true,
    });
    await interact(bot, click.payload);
    const [card] = await bot.slack.waitForCalls(click.responsePath, 1);
    expect(card?.body).toMatchObject({ response_type: "ephemeral", replace_original: false });
    expect(shown(card?.body)).toContain("Dnr 108-1642/2017");
    expect(shown(card?.body)).toContain("Skrivelsen anses besvarad");
  });

  it("shows the next ten with Visa fler, in place of the first", async () => {
    const answer = await sok("snöröjningen");
    expect(answer.text).toBe("Träffar 1–10 för «snöröjningen»:");
    const click = blockActions(bot, {
      user: "WNOBODY",
      button: buttonIn(answer.blocks, MORE_SEARCH_HITS_ACTION),
      channel: "C111",
      ephemeral: true,
    });
    await interact(bot, click.payload);
    const [next] = await bot.slack.waitForCalls(click.responsePath, 1);
    expect(next?.body).toMatchObject({ response_type: "ephemeral", replace_original: true });
    expect(String(next?.body.text)).toBe("Träffar 11–12 för «snöröjningen» (alla):");
    expect(shown(next?.body)).toContain("del 2");
    expect(shown(next?.body)).not.toContain("Visa fler");
  });

  it("says what was wrong with a filter, and what to type instead", async () => {
    const answer = await sok("bromma typ:motioner_och_skrivelser");
    expect(answer.text).toContain("«motioner_och_skrivelser» är ingen ärendetyp. Skriv `typ:motion`");
    expect((await sok("")).text).toContain("Vad vill du söka efter?");
  });

  it("a restricted case: its secret words find it only for those entitled, shown in full only to them", async () => {
    expect(shown(await sok("Drottninggatan", "WNOBODY"))).toContain("Inga ärenden matchar «Drottninggatan»");
    expect(shown(await sok("Drottninggatan", "UOFFICER"))).toContain(SECRET_TITLE);
    const byPublic = await sok("sekretess", "WNOBODY");
    expect(shown(byPublic)).toContain("*Dnr 108-2001/2017* Sekretess");
    expect(shown(byPublic)).not.toContain("Drottninggatan");
  });
});

describe("sök in a mention", () => {
  it("answers in the thread with public data only, even when the asker may see more", async () => {
    const ts = "1515449522.000901";
    const response = await sendSigned(
      bot.eventsUrl,
      JSON.stringify({
        type: "event_callback",
        team_id: "T111",
        api_app_id: "A111",
        event_id: "Ev0SEARCH01",
        event_time: 1515449522,
        event: {
          type: "app_mention",
          user: "UOFFICER",
          text: "<@UBOT> sök Drottninggatan",
          ts,
          channel: "C222",
          event_ts: ts,
        },
      }),
      { contentType: "application/json" },
    );
    expect(response.status).toBe(200);
    const [posted] = (await bot.slack.waitForCalls("chat.postMessage", 1)) as RecordedCall[];
    expect(posted?.body).toMatchObject({ channel: "C222", thread_ts: ts });
    expect(shown(posted?.body)).toContain("Inga ärenden matchar «Drottninggatan»");
  });

  it("keeps the next page public too when someone entitled clicks Visa fler in the channel", async () => {
    const ts = "1515449522.000902";
    const before = bot.slack.callsTo("chat.postMessage").length;
    await sendSigned(
      bot.eventsUrl,
      JSON.stringify({
        type: "event_callback",
        team_id: "T111",
        api_app_id: "A111",
        event_id: "Ev0SEARCH02",
        event_time: 1515449522,
        event: {
          type: "app_mention",
          user: "UOFFICER",
          text: "<@UBOT> sök snöröjningen bromma",
          ts,
          channel: "C222",
          event_ts: ts,
        },
      }),
      { contentType: "application/json" },
    );
    const posted = (await bot.slack.waitForCalls("chat.postMessage", before + 1)).at(-1);
    const click = blockActions(bot, {
      user: "UOFFICER",
      button: buttonIn(posted?.body.blocks, MORE_SEARCH_HITS_ACTION),
      channel: "C222",
      messageTs: "1700000000.000777",
    });
    await interact(bot, click.payload);
    const [next] = await bot.slack.waitForCalls(click.responsePath, 1);
    expect(shown(next?.body)).toContain("Skrivelse om snöröjningen i Bromma, del 1");
    expect(shown(next?.body)).not.toContain("hemlig bilaga");
    // The same click where only the officer reads it does find it.
    const own = await sok("snöröjningen bromma", "UOFFICER");
    const mine = blockActions(bot, {
      user: "UOFFICER",
      button: buttonIn(own.blocks, MORE_SEARCH_HITS_ACTION),
      channel: "C111",
      ephemeral: true,
    });
    await interact(bot, mine.payload);
    const [privately] = await bot.slack.waitForCalls(mine.responsePath, 1);
    expect(shown(privately?.body)).toContain("hemlig bilaga");
  });
});
