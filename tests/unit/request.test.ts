import { describe, expect, it } from "vitest";
import { parseBotRequest } from "../../src/slack/request.js";

describe("parseBotRequest", () => {
  it.each([
    ["status Dnr 108-1642/2017", "Dnr 108-1642/2017"],
    ["status Motion 2016:114", "Motion 2016:114"],
    ["Status PM 2017:95 RVI+VIII", "PM 2017:95 RVI+VIII"],
    ["STATUS   KS/2014/0073  ", "KS/2014/0073"],
  ])("reads `%s` as a status question", (text, query) => {
    expect(parseBotRequest(text)).toEqual({ type: "status", query });
  });

  it.each([["Dnr 108-1642/2017"], ["108-1642/2017"], ["Motion 2016:114"], ["KS 2025/39"]])(
    "reads a bare identifier `%s` as status",
    (text) => {
      expect(parseBotRequest(text)).toEqual({ type: "status", query: text });
    },
  );

  it.each([["hjälp"], ["Hjälp"], ["hjalp"], ["help"], ["HELP"], ["?"], [""], ["   "], ["\n\t"]])(
    "reads `%s` as a request for help",
    (text) => {
      expect(parseBotRequest(text)).toEqual({ type: "help" });
    },
  );

  it("strips the bot's mention before reading the request", () => {
    expect(parseBotRequest("<@U0LAN0Z89> status Dnr 108-1642/2017")).toEqual({
      type: "status",
      query: "Dnr 108-1642/2017",
    });
    expect(parseBotRequest("<@U0LAN0Z89|arendebot> Motion 2016:114")).toEqual({
      type: "status",
      query: "Motion 2016:114",
    });
    expect(parseBotRequest("status <@W0LAN0Z89> Dnr 108-1642/2017")).toEqual({
      type: "status",
      query: "Dnr 108-1642/2017",
    });
  });

  it("a mention alone, or a mention with hjälp, is a request for help", () => {
    expect(parseBotRequest("<@U0LAN0Z89>")).toEqual({ type: "help" });
    expect(parseBotRequest("<@U0LAN0Z89> hjälp")).toEqual({ type: "help" });
  });

  it("keeps a status question with nothing after it as status, so the lookup can say what is missing", () => {
    expect(parseBotRequest("status")).toEqual({ type: "status", query: "" });
    expect(parseBotRequest("<@U0LAN0Z89> status")).toEqual({ type: "status", query: "" });
  });

  it.each([
    ["is it everything a river should be?", "is"],
    ["<@U0LAN0Z89> visa 108", "visa"],
    ["Tjena!", "Tjena!"],
  ])("reports `%s` as an unknown word, as the user wrote it", (text, word) => {
    expect(parseBotRequest(text)).toEqual({ type: "unknown", word });
  });
});
