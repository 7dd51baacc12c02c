import { describe, expect, it } from "vitest";
import { fixedClock } from "../../src/clock.js";
import { createToken } from "../../src/modules/api-tokens/tokens.js";
import { createContext } from "../../src/modules/shared/context.js";
import { botForThisFile } from "../support/running-bot.js";
import { seedDemoCases } from "../support/scenarios.js";
import { sendArende } from "../support/slash-command.js";

let token = "";

const { bot } = botForThisFile({
  given: async (_seed, database) => {
    await seedDemoCases(database.db);
    const ctx = createContext({
      db: database.db,
      clock: fixedClock("2017-04-03T06:00:00Z"),
      actor: { type: "cli", user: "drift" },
    });
    const made = await createToken(ctx, { name: "synk", right: "write" });
    if (!made.ok) throw new Error("no token");
    token = made.secret;
  },
});

function batch(from: number, count: number) {
  return {
    cases: Array.from({ length: count }, (_, index) => ({
      registry: "stockholm-ks",
      dnr: `200-${from + index}/2017`,
      kind: "skrivelse",
      title: `Skrivelse nummer ${from + index}`,
      raised_on: "2017-01-10",
      responsible_body: "kommunstyrelsen",
    })),
  };
}

describe("the API beside Slack", () => {
  it("answers Slack in time while integrations write batches and read the feed at once", async () => {
    const writes = Array.from({ length: 4 }, (_, writer) =>
      fetch(`${bot.baseUrl}/api/v1/cases`, {
        method: "PUT",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: JSON.stringify(batch(writer * 1000, 60)),
      }),
    );
    const reads = Array.from({ length: 8 }, () =>
      fetch(`${bot.baseUrl}/api/v1/changes?limit=1000`, { headers: { authorization: `Bearer ${token}` } }),
    );
    // While that runs, officials ask in Slack; each is answered with the card within Slack's 3 s.
    await new Promise((resolve) => setTimeout(resolve, 100));
    for (let asked = 0; asked < 3; asked += 1) {
      const started = performance.now();
      const { answer } = await sendArende(bot, "status Dnr 108-1642/2017");
      expect(performance.now() - started).toBeLessThan(3_000);
      expect(JSON.stringify(answer)).toContain("Bristerna inom socialtjänsten");
    }

    const written = await Promise.all(writes);
    for (const response of written) {
      expect(response.status).toBe(200);
      const result = (await response.json()) as { cases: { status: string }[] };
      expect(result.cases.filter((item) => item.status === "created")).toHaveLength(60);
    }
    for (const response of await Promise.all(reads)) expect(response.status).toBe(200);
  });
});
