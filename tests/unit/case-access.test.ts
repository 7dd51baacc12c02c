import { describe, expect, it } from "vitest";
import type { Role, UserRoles } from "../../src/modules/access/roles.js";
import { canSeeRestrictedCase } from "../../src/modules/cases/case-access.js";

const SOCIALNAMNDEN = 7;
const KOMMUNSTYRELSEN = 3;

function viewer(slackUserId: string, roles: [number, Role][] = [], isAdmin = false): UserRoles {
  const byBody = new Map<number, Set<Role>>();
  for (const [body, role] of roles) byBody.set(body, new Set([...(byBody.get(body) ?? []), role]));
  return { slackUserId, isAdmin, byBody };
}

const secret = {
  restricted: true,
  officerSlackUserId: "UOFFICER",
  responsibleBody: { id: SOCIALNAMNDEN, code: "socialnamnden", name: "socialnämnden" },
};

describe("who may see a restricted case in full", () => {
  it("its case officer, an admin, and anyone with a role for the responsible body", () => {
    expect(canSeeRestrictedCase(viewer("UOFFICER"), secret)).toBe(true);
    expect(canSeeRestrictedCase(viewer("UADMIN", [], true), secret)).toBe(true);
    for (const role of ["registrator", "handlaggare", "godkannare"] as const) {
      expect(canSeeRestrictedCase(viewer("UROLE", [[SOCIALNAMNDEN, role]]), secret)).toBe(true);
    }
  });

  it("not someone whose roles are for another body, nor someone without a role", () => {
    expect(canSeeRestrictedCase(viewer("UKS", [[KOMMUNSTYRELSEN, "registrator"]]), secret)).toBe(false);
    expect(canSeeRestrictedCase(viewer("UANYONE"), secret)).toBe(false);
    expect(canSeeRestrictedCase(viewer("UANYONE"), { ...secret, responsibleBody: null })).toBe(false);
  });

  it("anyone, when the case is not restricted", () => {
    expect(canSeeRestrictedCase(viewer("UANYONE"), { ...secret, restricted: false })).toBe(true);
  });
});
