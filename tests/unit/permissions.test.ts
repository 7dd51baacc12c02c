import { describe, expect, it } from "vitest";
import { type Action, may, mayForSomeBody } from "../../src/modules/access/permissions.js";
import type { Role, UserRoles } from "../../src/modules/access/roles.js";
import { refusal } from "../support/worded.js";

const SOCIAL = 1;
const BROMMA = 2;

function user(byBody: Record<number, Role[]> = {}, isAdmin = false): UserRoles {
  return {
    slackUserId: "U0USER01",
    isAdmin,
    byBody: new Map(Object.entries(byBody).map(([id, roles]) => [Number(id), new Set(roles)])),
  };
}

const people = {
  nobody: user(),
  admin: user({}, true),
  registrator: user({ [SOCIAL]: ["registrator"] }),
  handlaggare: user({ [SOCIAL]: ["handlaggare"] }),
  godkannare: user({ [SOCIAL]: ["godkannare"] }),
};

/** [action, who] → allowed for Socialnämnden (body id 1). */
const matrix: Record<Action, Record<keyof typeof people, boolean>> = {
  configure_digests: { nobody: false, admin: true, registrator: true, handlaggare: false, godkannare: false },
  send_on_remiss: { nobody: false, admin: true, registrator: true, handlaggare: false, godkannare: false },
  record_response: { nobody: false, admin: false, registrator: true, handlaggare: true, godkannare: false },
  approve_response: { nobody: false, admin: false, registrator: false, handlaggare: false, godkannare: true },
  manage_roles: { nobody: false, admin: true, registrator: false, handlaggare: false, godkannare: false },
  follow_in_channel: { nobody: false, admin: true, registrator: true, handlaggare: false, godkannare: false },
};

describe("may", () => {
  for (const [action, row] of Object.entries(matrix) as [Action, Record<keyof typeof people, boolean>][]) {
    for (const [who, allowed] of Object.entries(row) as [keyof typeof people, boolean][]) {
      it(`${action} by ${who}: ${allowed ? "allowed" : "refused"}`, () => {
        expect(may(people[who], action, SOCIAL)).toBe(allowed);
      });
    }
  }

  it("binds body roles to their body: a godkännare for one body cannot approve for another", () => {
    expect(may(people.godkannare, "approve_response", BROMMA)).toBe(false);
    expect(may(people.handlaggare, "record_response", BROMMA)).toBe(false);
    expect(may(people.registrator, "record_response", BROMMA)).toBe(false);
  });

  it("refuses body-bound actions without a body", () => {
    expect(may(people.godkannare, "approve_response")).toBe(false);
    expect(may(people.handlaggare, "record_response")).toBe(false);
  });

  it("lets a registrator of any body configure digests", () => {
    const bromma = user({ [BROMMA]: ["registrator"] });
    expect(may(bromma, "configure_digests")).toBe(true);
  });

  it("lets only the registrators of the case's responsible body, and admins, send it on remiss", () => {
    const bromma = user({ [BROMMA]: ["registrator"] });
    expect(may(bromma, "send_on_remiss", SOCIAL)).toBe(false);
    expect(may(bromma, "send_on_remiss", BROMMA)).toBe(true);
    // A case without a responsible body: only an admin.
    expect(may(bromma, "send_on_remiss")).toBe(false);
    expect(may(people.admin, "send_on_remiss")).toBe(true);
    expect(may(people.admin, "send_on_remiss", BROMMA)).toBe(true);
  });

  it("mayForSomeBody: whether any body (or being an admin) allows it, asked before the case is known", () => {
    expect(mayForSomeBody(user({ [BROMMA]: ["registrator"] }), "send_on_remiss")).toBe(true);
    expect(mayForSomeBody(people.admin, "send_on_remiss")).toBe(true);
    expect(mayForSomeBody(people.handlaggare, "send_on_remiss")).toBe(false);
    expect(mayForSomeBody(people.handlaggare, "record_response")).toBe(true);
    expect(mayForSomeBody(people.admin, "record_response")).toBe(false);
  });

  it("reads several roles in one body", () => {
    const both = user({ [SOCIAL]: ["handlaggare", "godkannare"] });
    expect(may(both, "record_response", SOCIAL)).toBe(true);
    expect(may(both, "approve_response", SOCIAL)).toBe(true);
  });
});

describe("refusal", () => {
  it("says who may approve, for which body, and how to get the role", () => {
    expect(refusal("approve_response", "Socialnämnden")).toBe(
      "Bara godkännare för Socialnämnden kan godkänna remissvaret. Be en administratör ge dig rollen med `/arende roll ge @namn godkännare Socialnämnden` (`/arende roll lista` visar vilka som är administratörer).",
    );
  });

  it("has a Swedish message for every action that names the role and the /arende roll command", () => {
    const expected: Record<Action, string> = {
      configure_digests: "Bara registratorer och administratörer kan ändra bevakningsutskicket.",
      send_on_remiss:
        "Bara registratorer för Socialnämnden, som ansvarar för ärendet, och administratörer kan skicka ärendet på remiss.",
      record_response: "Bara handläggare och registratorer för Socialnämnden kan registrera remissvaret.",
      approve_response: "Bara godkännare för Socialnämnden kan godkänna remissvaret.",
      manage_roles: "Bara administratörer kan ge och ta roller.",
      follow_in_channel: "Bara registratorer och administratörer kan låta en kanal bevaka ett ärende.",
    };
    for (const [action, start] of Object.entries(expected) as [Action, string][]) {
      const message = refusal(action, "Socialnämnden");
      expect(message.startsWith(start)).toBe(true);
      expect(message).toContain("/arende roll");
    }
  });

  it("still reads well without a body name", () => {
    expect(refusal("approve_response")).toContain("Bara godkännare för organet kan godkänna remissvaret.");
    expect(refusal("manage_roles")).toContain("ARENDE_ADMINS");
    expect(refusal("send_on_remiss")).toContain(
      "Bara registratorer för ärendets ansvariga organ och administratörer kan skicka ärenden på remiss.",
    );
  });
});
