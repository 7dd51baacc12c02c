import { describe, expect, it } from "vitest";
import { CONFIGURE_DIGESTS_REFUSAL, canConfigureDigests } from "../../src/modules/access/permissions.js";

describe("canConfigureDigests", () => {
  const admins = ["U0ADMIN01", "W0ADMIN02"];

  it("allows the Slack users listed in ARENDE_ADMINS", () => {
    expect(canConfigureDigests({ userId: "U0ADMIN01", admins })).toEqual({ allowed: true });
    expect(canConfigureDigests({ userId: "W0ADMIN02", admins })).toEqual({ allowed: true });
  });

  it("refuses anyone else with a Swedish message saying who may and how to get the right", () => {
    const decision = canConfigureDigests({ userId: "U0OTHER01", admins });
    expect(decision).toEqual({ allowed: false, message: CONFIGURE_DIGESTS_REFUSAL });
    expect(CONFIGURE_DIGESTS_REFUSAL).toBe(
      "Bara registratorer och administratörer kan ändra bevakningsutskicket. Be någon av dem, eller be driftansvarig lägga till dig i ARENDE_ADMINS.",
    );
  });

  it("refuses everyone when no admins are configured, and an empty user id always", () => {
    expect(canConfigureDigests({ userId: "U0ADMIN01", admins: [] }).allowed).toBe(false);
    expect(canConfigureDigests({ userId: "", admins: ["", ...admins] }).allowed).toBe(false);
  });

  it("compares ids exactly: Slack ids are upper case", () => {
    expect(canConfigureDigests({ userId: "u0admin01", admins }).allowed).toBe(false);
  });
});
