import { describe, expect, it } from "vitest";
import { botForThisFile } from "../support/running-bot.js";
import { SECRET_SUMMARY, SECRET_TITLE, seedStatusCases } from "../support/scenarios.js";
import { sendArende } from "../support/slash-command.js";

const { bot } = botForThisFile({
  env: { ARENDE_ADMINS: "UADMIN" },
  given: async (seed) => {
    await seedStatusCases(seed);
    // One dnr in two registries: each municipality's diarium numbers its own cases.
    await seed.registry("sdn-bromma", "Bromma stadsdelsförvaltning");
    for (const [registry, title] of [
      ["sdn-bromma", "Lekplatsen i Åkeshov"],
      ["stockholm-ks", "Parkeringsnormen i Bromma"],
    ] as const) {
      await seed.case({ registry, dnr: "108-777/2017", kind: "other", title, publicTitle: title });
    }
    await seed.roles([
      { user: "USOCREG", role: "registrator", body: "socialnämnden", grantedBy: "UADMIN" },
      { user: "UKSREG", role: "registrator", body: "kommunstyrelsen", grantedBy: "UADMIN" },
    ]);
  },
});

type Answer = { response_type: string; text: string; blocks: unknown[] };

/** Sends `/arende <text>` and returns the answer, whether it came in the ack or (if slow) by response_url. */
async function arende(text: string, userId = "W111"): Promise<Answer> {
  return (await sendArende(bot, text, { user: userId })).answer as Answer;
}

const shown = (answer: Answer) => `${answer.text}\n${JSON.stringify(answer.blocks)}`;

describe("/arende status", () => {
  it("answers the asker privately with the case card and a share button", async () => {
    const answer = await arende("status Dnr 108-1642/2017");
    expect(answer.response_type).toBe("ephemeral");
    expect(answer.text).toContain("Dnr 108-1642/2017");
    const texts = JSON.stringify(answer.blocks);
    expect(texts).toContain("Bristerna inom socialtjänsten");
    expect(texts).toContain("Besvarad i kommunstyrelsen");
    expect(texts).toContain("Lotta Edholm (L), 26 oktober 2016");
    expect(texts).toContain("case_card.share");
    expect(texts).toContain("Dela i kanalen");
  });

  it("finds a case by its series number, with its referrals and how late they are", async () => {
    // The bot's clock says 3 April 2017: socialnämnden's answer was due 31 March.
    const answer = await arende("status motion 2016:114");
    expect(answer.response_type).toBe("ephemeral");
    const texts = shown(answer);
    expect(texts).toContain("Motion 2016:114");
    expect(texts).toContain("Socialnämnden: svar senast 31 mars 2017, försenad 3 dagar");
    expect(texts).toContain("Bromma stadsdelsnämnd: inget svarsdatum angivet, väntar på svar");
  });

  it("a bare identifier is a status question too", async () => {
    const answer = await arende("PM 2017:95");
    expect(shown(answer)).toContain("Bristerna inom socialtjänsten");
  });

  it("a dnr found in two registries lists both, in the order they were registered", async () => {
    const answer = await arende("status Dnr 108-777/2017");
    expect(answer.text).toBe(
      "Numret finns i flera diarier:\n" +
        "• Bromma stadsdelsförvaltning: Dnr 108-777/2017 Lekplatsen i Åkeshov\n" +
        "• Stockholms stad, kommunstyrelsen: Dnr 108-777/2017 Parkeringsnormen i Bromma",
    );
  });

  it("posts nothing to the channel: the answer is only for the asker", async () => {
    await arende("status Dnr 108-1642/2017");
    expect(bot.slack.callsTo("chat.postMessage")).toEqual([]);
    expect(bot.slack.callsTo("chat.postEphemeral")).toEqual([]);
  });
});

describe("/arende hjälp and mistakes", () => {
  it.each([["hjälp"], ["help"], [""]])("`/arende %s` lists the commands", async (text) => {
    const answer = await arende(text);
    expect(answer.response_type).toBe("ephemeral");
    const texts = shown(answer);
    expect(texts).toContain("/arende status Dnr 108-1642/2017");
    expect(texts).toContain("/arende status Motion 2016:114");
    expect(texts).toContain("/arende hjälp");
    expect(texts).toContain("Dela i kanalen");
  });

  it("a number not in the registry offers close matches", async () => {
    const answer = await arende("status Dnr 108-1643/2017");
    expect(answer.response_type).toBe("ephemeral");
    const texts = shown(answer);
    expect(texts).toContain("Jag hittar inget ärende med Dnr 108-1643/2017 i diariet.");
    expect(texts).toContain("Menade du något av dessa?");
    expect(texts).toContain("`Dnr 108-1642/2017` Bristerna inom socialtjänsten");
  });

  it("a close match that is restricted is offered by its public title only", async () => {
    const texts = shown(await arende("status Dnr 108-2001/2016"));
    expect(texts).toContain("`Dnr 108-2001/2017` Sekretess");
    expect(texts).not.toContain(SECRET_TITLE);
  });

  it("an invalid identifier says what was wrong and shows the accepted forms", async () => {
    const answer = await arende("status hej hopp");
    expect(answer.response_type).toBe("ephemeral");
    const texts = shown(answer);
    expect(texts).toContain("«hej hopp» ser inte ut som ett diarienummer eller dokumentnummer");
    expect(texts).toContain("Godtagna former:");
    for (const form of ["Dnr 108-1642/2017", "KS 2025/39", "Motion 2016:114", "PM 2017:95"]) {
      expect(texts).toContain(`\`${form}\``);
    }
  });

  it("`status` with nothing after it asks for a number", async () => {
    const texts = shown(await arende("status"));
    expect(texts).toContain("Ange ett diarienummer eller ett dokumentnummer");
  });

  it("an unknown word is named, with what to write instead", async () => {
    const texts = shown(await arende("visa 108"));
    expect(texts).toContain("Jag känner inte igen kommandot «visa»");
    expect(texts).toContain("hjälp");
  });
});

describe("/arende status on a restricted case", () => {
  it("shows the case officer the full card", async () => {
    const answer = await arende("status Dnr 108-2001/2017", "UOFFICER");
    expect(answer.response_type).toBe("ephemeral");
    const texts = shown(answer);
    expect(texts).toContain(SECRET_TITLE);
    expect(texts).toContain(SECRET_SUMMARY);
    expect(texts).toContain("Utredning inleds.");
    expect(texts).toContain("Sekretess: visa inte detta kort i en kanal.");
  });

  it("shows the full card to an admin and to those with a role for the responsible body", async () => {
    for (const user of ["UADMIN", "USOCREG"]) {
      const texts = shown(await arende("status Dnr 108-2001/2017", user));
      expect(texts).toContain(SECRET_TITLE);
      expect(texts).toContain("Sekretess: visa inte detta kort i en kanal.");
    }
  });

  it("shows a role for another body only the public data", async () => {
    const texts = shown(await arende("status Dnr 108-2001/2017", "UKSREG"));
    expect(texts).toContain("Ärendet omfattas av sekretess. Här visas endast offentliga uppgifter.");
    expect(texts).not.toContain(SECRET_TITLE);
  });

  it("shows anyone else only the public data", async () => {
    const answer = await arende("status Dnr 108-2001/2017", "W111");
    expect(answer.response_type).toBe("ephemeral");
    const texts = shown(answer);
    expect(texts).toContain("Dnr 108-2001/2017");
    expect(texts).toContain("Sekretess");
    expect(texts).toContain("1 februari 2017");
    expect(texts).toContain("Ärendet omfattas av sekretess. Här visas endast offentliga uppgifter.");
    for (const secret of [
      SECRET_TITLE,
      SECRET_SUMMARY,
      "Utredning inleds.",
      "Kim Handläggare",
      "socialnämnden",
    ]) {
      expect(texts).not.toContain(secret);
    }
  });
});
