import { describe, expect, it } from "vitest";
import type { Role, UserRoles } from "../../src/modules/access/roles.js";
import {
  type Audience,
  audienceFor,
  IN_CHANNEL,
  isEntitled,
  personReading,
  titleFor,
} from "../../src/modules/cases/audience.js";

const RESPONSIBLE = 7;
const ANSWERING = 3;

function person(slackUserId: string, roles: [number, Role][] = [], isAdmin = false): UserRoles {
  const byBody = new Map<number, Set<Role>>();
  for (const [body, role] of roles) byBody.set(body, new Set([...(byBody.get(body) ?? []), role]));
  return { slackUserId, isAdmin, byBody };
}

const secretCase = {
  restricted: true,
  officerSlackUserId: "UOFFICER",
  responsibleBody: { id: RESPONSIBLE },
  title: "Placering av ett barn med skyddad identitet",
  publicTitle: "Sekretess",
};
const openCase = { ...secretCase, restricted: false, publicTitle: "Placering av barn" };

/** Who reads × what they are to the case → the audience of a restricted case. */
const readers: [string, UserRoles, Audience][] = [
  ["the case officer", person("UOFFICER"), "full"],
  ["an admin", person("UADMIN", [], true), "full"],
  ["a registrator of the responsible body", person("U1", [[RESPONSIBLE, "registrator"]]), "full"],
  ["a handläggare of the responsible body", person("U2", [[RESPONSIBLE, "handlaggare"]]), "full"],
  ["a godkännare of the responsible body", person("U3", [[RESPONSIBLE, "godkannare"]]), "full"],
  ["a godkännare of the body the case was sent to", person("U4", [[ANSWERING, "godkannare"]]), "public"],
  ["a handläggare of the body the case was sent to", person("U5", [[ANSWERING, "handlaggare"]]), "public"],
  ["someone with no role", person("U6"), "public"],
];

describe("audienceFor", () => {
  for (const [who, roles, audience] of readers) {
    it(`a restricted case, read alone by ${who}: ${audience}`, () => {
      expect(audienceFor(personReading(roles), secretCase)).toBe(audience);
      expect(isEntitled(roles, secretCase)).toBe(audience === "full");
    });
    it(`an open case, read alone by ${who}: full`, () => {
      expect(audienceFor(personReading(roles), openCase)).toBe("full");
    });
  }

  it("a channel gets a restricted case's public data whoever is in it, an open case in full", () => {
    expect(audienceFor(IN_CHANNEL, secretCase)).toBe("public");
    expect(audienceFor(IN_CHANNEL, openCase)).toBe("full");
  });

  it("a case without responsible body or officer is full only for admins", () => {
    const orphan = { ...secretCase, officerSlackUserId: null, responsibleBody: null };
    expect(audienceFor(personReading(person("UADMIN", [], true)), orphan)).toBe("full");
    expect(audienceFor(personReading(person("U1", [[RESPONSIBLE, "registrator"]])), orphan)).toBe("public");
    // An empty user id is no officer, even of a case whose officer is unknown.
    expect(isEntitled(person(""), { ...orphan, officerSlackUserId: "" })).toBe(false);
  });

  it("titleFor: the full title for the full audience, the public title otherwise", () => {
    expect(titleFor("full", secretCase)).toBe("Placering av ett barn med skyddad identitet");
    expect(titleFor("public", secretCase)).toBe("Sekretess");
  });
});
