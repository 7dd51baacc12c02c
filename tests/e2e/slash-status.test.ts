import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BotUnderTest, startBotUnderTest } from "../support/running-bot.js";
import { Seeder } from "../support/seed-rows.js";
import { formBody, sendSigned } from "../support/signed-request.js";
import { createTestDatabase, type TestDatabase } from "../support/test-database.js";

let database: TestDatabase;
let bot: BotUnderTest;

beforeAll(async () => {
  database = await createTestDatabase();
  const seed = new Seeder(database.db);
  await seed.case({
    dnr: "108-1642/2017",
    kind: "skrivelse",
    title: "Bristerna inom socialtjänsten",
    publicTitle: "Bristerna inom socialtjänsten",
    raisedBy: [{ name: "Lotta Edholm", party: "L" }],
    raisedOn: "2016-10-26",
    status: "closed",
    outcome: "Skrivelsen anses besvarad",
    responsibleBody: "kommunstyrelsen",
    identifiers: ["PM 2017:95 RVI+VIII"],
    timeline: [{ kind: "decision", body: "kommunstyrelsen", text: "Skrivelsen anses besvarad." }],
  });
  bot = await startBotUnderTest(database);
});

afterAll(async () => {
  await bot?.stop();
  await database?.destroy();
});

function slashCommand(text: string) {
  return formBody({
    token: "verification_token",
    team_id: "T111",
    team_domain: "test-domain",
    channel_id: "C111",
    channel_name: "random",
    user_id: "W111",
    user_name: "primary-owner",
    command: "/arende",
    text,
    response_url: bot.slack.responseUrl("cmd"),
    trigger_id: "111.111.xxx",
  });
}

describe("/arende status", () => {
  it("answers the asker privately with the case card and a share button", async () => {
    const response = await sendSigned(bot.eventsUrl, slashCommand("status Dnr 108-1642/2017"), {
      contentType: "application/x-www-form-urlencoded",
    });
    expect(response.status).toBe(200);
    const answer = (await response.json()) as { response_type: string; text: string; blocks: unknown[] };
    expect(answer.response_type).toBe("ephemeral");
    expect(answer.text).toContain("Dnr 108-1642/2017");
    const texts = JSON.stringify(answer.blocks);
    expect(texts).toContain("Bristerna inom socialtjänsten");
    expect(texts).toContain("Besvarad i kommunstyrelsen");
    expect(texts).toContain("Lotta Edholm (L), 26 oktober 2016");
    expect(texts).toContain("case_card.share");
  });
});
