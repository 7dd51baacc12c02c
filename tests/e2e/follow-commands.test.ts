import { describe, expect, it } from "vitest";
import { FOLLOW_CASE_ACTION } from "../../src/slack/blocks/follow-ids.js";
import { botForThisFile } from "../support/running-bot.js";
import { SECRET_TITLE, seedStatusCases } from "../support/scenarios.js";
import { blockActions, buttonIn, interact } from "../support/slack-payloads.js";
import { type SlackAnswer, sendArende } from "../support/slash-command.js";

/**
 * `/arende bevaka`, `bevakningar`, `sluta bevaka` and the card's Bevaka button, over signed HTTP
 * against the real bot; the restricted case's matrix: entitled person, person not entitled, channel.
 */
const ADMIN = "UADMIN01";
const REGISTRATOR = "UREGIST1";
const OFFICER = "UOFFICER";

const { bot } = botForThisFile({
  env: { ARENDE_ADMINS: ADMIN },
  given: async (seed) => {
    await seedStatusCases(seed);
    const socialnamnden = await seed.body("socialnämnden");
    await seed.roles([{ user: REGISTRATOR, role: "registrator", body: socialnamnden, grantedBy: ADMIN }]);
  },
});

const shown = (answer: SlackAnswer | null | undefined) =>
  `${answer?.text}\n${JSON.stringify(answer?.blocks)}`;
const arende = async (text: string, options: { user?: string; channel?: string } = {}) =>
  (await sendArende(bot, text, options)).answer;

describe("/arende bevaka", () => {
  it("follows a case for the asker, lists it, and ends the follow", async () => {
    const followed = await arende("bevaka Dnr 108-1642/2017", { user: "UFOLLOW1" });
    expect(followed?.response_type).toBe("ephemeral");
    expect(shown(followed)).toContain("Du bevakar nu Dnr 108-1642/2017 «Bristerna inom socialtjänsten»");
    expect(shown(followed)).toContain("direktmeddelande");

    expect(shown(await arende("bevaka dnr 108–1642/2017", { user: "UFOLLOW1" }))).toContain(
      "Du bevakar redan Dnr 108-1642/2017",
    );

    const listed = shown(await arende("bevakningar", { user: "UFOLLOW1" }));
    expect(listed).toContain("*Du bevakar*");
    expect(listed).toContain("Dnr 108-1642/2017");
    expect(listed).toContain("*Kanalen bevakar*");

    expect(shown(await arende("sluta bevaka Dnr 108-1642/2017", { user: "UFOLLOW1" }))).toContain(
      "Du bevakar inte längre Dnr 108-1642/2017.",
    );
    expect(shown(await arende("bevakningar", { user: "UFOLLOW1" }))).toContain("Inga ärenden.");
  });

  it("answers bad input in Swedish with what to type", async () => {
    expect(shown(await arende("bevaka"))).toContain(
      "Skriv vilket ärende du vill bevaka, till exempel `/arende bevaka Dnr 108-1642/2017`",
    );
    const unknown = shown(await arende("bevaka Dnr 999-1/2099"));
    expect(unknown).toContain("Jag hittar inget ärende med Dnr 999-1/2099 i diariet.");
    expect(unknown).toContain("`/arende bevaka Dnr 108-1642/2017`");
    expect(shown(await arende("bevaka hej hopp"))).toContain("/arende bevaka Dnr 108-1642/2017");
    expect(shown(await arende("sluta bevaka Dnr 108-1642/2017"))).toContain(
      "Du bevakar inte Dnr 108-1642/2017.",
    );
    expect(shown(await arende("bevakningar nu"))).toContain("Skriv bara `/arende bevakningar`.");
  });

  it("lets a registrator, not anyone, make the channel follow; never from a DM", async () => {
    expect(
      shown(await arende("bevaka Motion 2016:114 kanal", { user: "UNOBODY1", channel: "C0CHAN01" })),
    ).toContain("Bara registratorer och administratörer kan låta en kanal bevaka ett ärende.");
    expect(
      shown(await arende("bevaka Motion 2016:114 kanal", { user: REGISTRATOR, channel: "D0DIRECT" })),
    ).toContain("`kanal` går bara i en kanal");
    expect(
      shown(await arende("bevaka Motion 2016:114 kanal", { user: REGISTRATOR, channel: "C0CHAN01" })),
    ).toContain("Kanalen bevakar nu Motion 2016:114");
    const listed = shown(await arende("bevakningar", { user: "UNOBODY1", channel: "C0CHAN01" }));
    expect(listed).toMatch(/Kanalen bevakar\*\\n• \*Motion 2016:114\*/);
  });

  describe("a restricted case", () => {
    it("is followed by the entitled officer, with its full title in the answer only to them", async () => {
      const answer = shown(await arende("bevaka Dnr 108-2001/2017", { user: OFFICER }));
      expect(answer).toContain(`Du bevakar nu Dnr 108-2001/2017 «${SECRET_TITLE}»`);
    });

    it("is refused to a person not entitled, without its title", async () => {
      const answer = shown(await arende("bevaka Dnr 108-2001/2017", { user: "UNOBODY2" }));
      expect(answer).toContain("Dnr 108-2001/2017 omfattas av sekretess och du är inte behörig till ärendet");
      expect(answer).not.toContain(SECRET_TITLE);
    });

    it("is refused to a channel, even on an admin's word", async () => {
      const answer = shown(
        await arende("bevaka Dnr 108-2001/2017 kanal", { user: ADMIN, channel: "C0CHAN02" }),
      );
      expect(answer).toContain("Dnr 108-2001/2017 omfattas av sekretess, så en kanal kan inte bevaka det.");
      expect(answer).not.toContain(SECRET_TITLE);
    });
  });

  it("is listed in /arende hjälp", async () => {
    const help = shown(await arende("hjälp"));
    expect(help).toContain("/arende bevaka Dnr 108-1642/2017");
    expect(help).toContain("/arende bevakningar");
    expect(help).toContain("/arende sluta bevaka");
  });
});

describe("the card's Bevaka button", () => {
  it("makes whoever clicks follow the case by DM, answered to them alone", async () => {
    const card = await arende("status Dnr 108-1642/2017", { user: "UCLICKER" });
    const button = buttonIn(card?.blocks, FOLLOW_CASE_ACTION);
    expect(button.text).toBe("Bevaka");
    const click = blockActions(bot, { user: "UCLICKER", button, channel: "C111", ephemeral: true });
    await interact(bot, click.payload);
    const [answer] = await bot.slack.waitForCalls(click.responsePath, 1);
    expect(answer?.body).toMatchObject({ response_type: "ephemeral", replace_original: false });
    expect(shown(answer?.body as SlackAnswer)).toContain("Du bevakar nu Dnr 108-1642/2017");
    expect(shown(await arende("bevakningar", { user: "UCLICKER" }))).toContain("Dnr 108-1642/2017");
  });

  it("on a restricted case's card refuses one not entitled, without the title", async () => {
    const card = await arende("status Dnr 108-2001/2017", { user: "UNOBODY3" });
    const button = buttonIn(card?.blocks, FOLLOW_CASE_ACTION);
    const click = blockActions(bot, { user: "UNOBODY3", button, channel: "C111", ephemeral: true });
    await interact(bot, click.payload);
    const [answer] = await bot.slack.waitForCalls(click.responsePath, 1);
    expect(shown(answer?.body as SlackAnswer)).toContain("omfattas av sekretess");
    expect(shown(answer?.body as SlackAnswer)).not.toContain(SECRET_TITLE);
  });
});
