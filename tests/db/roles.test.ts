import { asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixedClock } from "../../src/clock.js";
import { auditEvents, memberships } from "../../src/db/schema.js";
import { say } from "../../src/messages/sv.js";
import { grantRole } from "../../src/modules/access/grant-role.js";
import { listRoles } from "../../src/modules/access/list-roles.js";
import { may } from "../../src/modules/access/permissions.js";
import { revokeRole } from "../../src/modules/access/revoke-role.js";
import type { RoleActor } from "../../src/modules/access/role-change.js";
import { type Role, rolesOf } from "../../src/modules/access/roles.js";
import { createContext } from "../../src/modules/shared/context.js";
import { Seeder } from "../support/seed-rows.js";
import { createTestDatabase, type TestDatabase } from "../support/test-database.js";
import { refusal, worded } from "../support/worded.js";

const BOOT = "U0BOOT001";
const bootstrapAdmins = [BOOT];
const clock = fixedClock("2017-04-03T08:00:00Z");
const bootAdmin: RoleActor = { type: "slack_user", userId: BOOT, name: "admin" };
const member: RoleActor = { type: "slack_user", userId: "U0MEMBER1", name: "medlem" };
const cli: RoleActor = { type: "cli", user: "drift" };

let database: TestDatabase;
let socialnamnden: number;

beforeAll(async () => {
  database = await createTestDatabase();
  const seed = new Seeder(database.db);
  socialnamnden = await seed.body("Socialnämnden");
  await seed.body("Bromma stadsdelsnämnd", "district_board");
  await seed.body("Kommunstyrelsen");
});
afterAll(() => database.destroy());

const grant = (
  by: RoleActor,
  slackUserId: string,
  role: Role,
  body: string | null,
  admins = bootstrapAdmins,
) => grantRole(createContext({ db: database.db, clock, admins, actor: by }), { slackUserId, role, body });
const revoke = (
  by: RoleActor,
  slackUserId: string,
  role: Role,
  body: string | null,
  admins = bootstrapAdmins,
) => revokeRole(createContext({ db: database.db, clock, admins, actor: by }), { slackUserId, role, body });

async function counts() {
  return {
    memberships: (await database.db.select().from(memberships)).length,
    audit: (await database.db.select().from(auditEvents)).length,
  };
}

async function roleAudit() {
  return database.db
    .select()
    .from(auditEvents)
    .where(eq(auditEvents.entityType, "membership"))
    .orderBy(asc(auditEvents.id));
}

describe("rolesOf", () => {
  it("makes an ARENDE_ADMINS id an admin without a stored row (bootstrap)", async () => {
    const roles = await rolesOf({ db: database.db, slackUserId: BOOT, bootstrapAdmins });
    expect(roles).toMatchObject({ slackUserId: BOOT, isAdmin: true });
    expect(roles.byBody.size).toBe(0);
    expect(may(roles, "manage_roles")).toBe(true);
  });

  it("gives nobody a role for an empty user id", async () => {
    const roles = await rolesOf({ db: database.db, slackUserId: "", bootstrapAdmins: ["", BOOT] });
    expect(roles.isAdmin).toBe(false);
  });
});

describe("granting a role", () => {
  it("stores it in one transaction with an audit event naming who did it", async () => {
    const result = await grant(bootAdmin, "U0ANNA001", "godkannare", "socialnamnden");
    expect(result).toMatchObject({
      ok: true,
      outcome: "granted",
      grant: {
        slackUserId: "U0ANNA001",
        role: "godkannare",
        body: { id: socialnamnden, name: "Socialnämnden" },
      },
    });
    const [row] = await database.db
      .select()
      .from(memberships)
      .where(eq(memberships.slackUserId, "U0ANNA001"));
    expect(row).toMatchObject({
      bodyId: socialnamnden,
      role: "godkannare",
      grantedBy: BOOT,
      grantedAt: clock.now(),
    });
    const [event] = await roleAudit();
    expect(event).toMatchObject({
      action: "role.granted",
      actorType: "slack_user",
      actorId: BOOT,
      actorName: "admin",
      entityType: "membership",
      entityId: String(row?.id),
      changes: {
        slack_user_id: "U0ANNA001",
        body: { id: socialnamnden, code: "socialnämnden", name: "Socialnämnden" },
        role: "godkannare",
      },
    });

    const roles = await rolesOf({ db: database.db, slackUserId: "U0ANNA001", bootstrapAdmins });
    expect(roles.isAdmin).toBe(false);
    expect([...(roles.byBody.get(socialnamnden) ?? [])]).toEqual(["godkannare"]);
    expect(may(roles, "approve_response", socialnamnden)).toBe(true);
  });

  it("granting a role already held is a clean no-op, without audit", async () => {
    const before = await counts();
    expect(await grant(bootAdmin, "U0ANNA001", "godkannare", "Socialnämnden")).toMatchObject({
      ok: true,
      outcome: "already_granted",
    });
    expect(await counts()).toEqual(before);
  });

  it("refuses a non-admin with the Swedish refusal, and writes nothing", async () => {
    const before = await counts();
    expect(worded(await grant(member, "U0MEMBER1", "admin", null))).toEqual({
      ok: false,
      error: { code: "roles.not_allowed", message: refusal("manage_roles") },
    });
    // A godkännare is not an admin either.
    const approver: RoleActor = { type: "slack_user", userId: "U0ANNA001" };
    expect(await grant(approver, "U0OTHER01", "godkannare", "socialnamnden")).toMatchObject({
      ok: false,
      error: { code: "roles.not_allowed" },
    });
    expect(await revoke(member, "U0ANNA001", "godkannare", "socialnamnden")).toMatchObject({
      ok: false,
      error: { code: "roles.not_allowed" },
    });
    expect(await counts()).toEqual(before);
  });

  it("needs a body for body roles, forbids one for admin, and names close bodies for an unknown one", async () => {
    const before = await counts();
    const noBody = await grant(bootAdmin, "U0ANNA001", "handlaggare", null);
    expect(noBody).toMatchObject({ ok: false, error: { code: "roles.body_required" } });
    expect(noBody.ok ? "" : say(noBody.error)).toContain("/arende roll ge @namn handläggare socialnämnden");
    expect(await grant(bootAdmin, "U0ANNA001", "admin", "socialnamnden")).toMatchObject({
      ok: false,
      error: { code: "roles.body_forbidden" },
    });
    expect(worded(await grant(bootAdmin, "U0ANNA001", "handlaggare", "Bromma"))).toMatchObject({
      ok: false,
      error: {
        code: "roles.unknown_body",
        message: "Jag hittar inget organ som heter «Bromma». Menade du `Bromma stadsdelsnämnd`?",
      },
    });
    expect(await counts()).toEqual(before);
  });

  it("the CLI is trusted and audited as cli", async () => {
    expect(await grant(cli, "U0CLIADM1", "admin", null)).toMatchObject({ ok: true, outcome: "granted" });
    const events = await roleAudit();
    expect(events.at(-1)).toMatchObject({
      action: "role.granted",
      actorType: "cli",
      actorId: "drift",
      changes: { slack_user_id: "U0CLIADM1", body: null, role: "admin" },
    });
    const [row] = await database.db
      .select()
      .from(memberships)
      .where(eq(memberships.slackUserId, "U0CLIADM1"));
    expect(row).toMatchObject({ bodyId: null, grantedBy: "cli:drift" });
    expect((await rolesOf({ db: database.db, slackUserId: "U0CLIADM1", bootstrapAdmins: [] })).isAdmin).toBe(
      true,
    );
  });
});

describe("revoking a role", () => {
  it("removes it with an audit event", async () => {
    await grant(bootAdmin, "U0BERT001", "handlaggare", "kommunstyrelsen");
    const result = await revoke(bootAdmin, "U0BERT001", "handlaggare", "Kommunstyrelsen");
    expect(result).toMatchObject({ ok: true, outcome: "revoked", stillAdminByConfig: false });
    expect(
      await database.db.select().from(memberships).where(eq(memberships.slackUserId, "U0BERT001")),
    ).toEqual([]);
    expect((await roleAudit()).at(-1)).toMatchObject({
      action: "role.revoked",
      actorId: BOOT,
      changes: { slack_user_id: "U0BERT001", role: "handlaggare", body: { name: "Kommunstyrelsen" } },
    });
  });

  it("revoking a role not held is a clean no-op, without audit", async () => {
    const before = await counts();
    expect(await revoke(bootAdmin, "U0BERT001", "handlaggare", "kommunstyrelsen")).toMatchObject({
      ok: true,
      outcome: "not_granted",
    });
    expect(await counts()).toEqual(before);
  });

  it("will not remove the last admin; another admin or ARENDE_ADMINS counts", async () => {
    // Without ARENDE_ADMINS, U0CLIADM1 is the only admin.
    const before = await counts();
    const last = await revoke(cli, "U0CLIADM1", "admin", null, []);
    expect(last).toMatchObject({ ok: false, error: { code: "roles.last_admin" } });
    expect(last.ok ? "" : say(last.error)).toContain("/arende roll ge @namn admin");
    expect(await counts()).toEqual(before);

    // With a bootstrap admin left, the stored admin may go.
    expect(await revoke(bootAdmin, "U0CLIADM1", "admin", null)).toMatchObject({
      ok: true,
      outcome: "revoked",
    });
  });

  it("a stored admin may be revoked when another stored admin remains", async () => {
    await grant(cli, "U0ADM0001", "admin", null, []);
    await grant(cli, "U0ADM0002", "admin", null, []);
    const first: RoleActor = { type: "slack_user", userId: "U0ADM0001" };
    expect(await revoke(first, "U0ADM0002", "admin", null, [])).toMatchObject({
      ok: true,
      outcome: "revoked",
    });
    expect(await revoke(first, "U0ADM0001", "admin", null, [])).toMatchObject({
      ok: false,
      error: { code: "roles.last_admin" },
    });
  });

  it("an ARENDE_ADMINS admin cannot be revoked here; a stored row of theirs can, and they stay admin", async () => {
    const before = await counts();
    expect(await revoke(bootAdmin, BOOT, "admin", null)).toMatchObject({
      ok: false,
      error: { code: "roles.bootstrap_admin" },
    });
    expect(await counts()).toEqual(before);

    expect(await grant(bootAdmin, BOOT, "admin", null)).toMatchObject({ ok: true, outcome: "granted" });
    expect(await revoke(bootAdmin, BOOT, "admin", null)).toMatchObject({
      ok: true,
      outcome: "revoked",
      stillAdminByConfig: true,
    });
    expect((await rolesOf({ db: database.db, slackUserId: BOOT, bootstrapAdmins })).isAdmin).toBe(true);
  });
});

describe("listing roles", () => {
  it("lists admins first (ARENDE_ADMINS marked), then body roles", async () => {
    const result = await listRoles({ db: database.db, admins: bootstrapAdmins }, { filter: null });
    if (!result.ok) throw new Error(say(result.error));
    expect(
      result.entries.map((entry) => [
        entry.slackUserId,
        entry.role,
        entry.body?.name ?? null,
        entry.byConfig,
      ]),
    ).toEqual([
      ["U0ADM0001", "admin", null, false],
      [BOOT, "admin", null, true],
      ["U0ANNA001", "godkannare", "Socialnämnden", false],
    ]);
  });

  it("lists one user's roles, or one body's", async () => {
    const anna = await listRoles(
      { db: database.db, admins: bootstrapAdmins },
      { filter: { userId: "U0ANNA001" } },
    );
    expect(anna).toMatchObject({
      ok: true,
      filter: { userId: "U0ANNA001" },
      entries: [{ role: "godkannare" }],
    });
    const boot = await listRoles({ db: database.db, admins: bootstrapAdmins }, { filter: { userId: BOOT } });
    expect(boot).toMatchObject({ ok: true, entries: [{ role: "admin", byConfig: true, grantedBy: null }] });
    const body = await listRoles(
      { db: database.db, admins: bootstrapAdmins },
      { filter: { body: "socialnamnden" } },
    );
    expect(body).toMatchObject({
      ok: true,
      filter: { body: { name: "Socialnämnden" } },
      entries: [{ slackUserId: "U0ANNA001", role: "godkannare" }],
    });
    expect(
      await listRoles({ db: database.db, admins: bootstrapAdmins }, { filter: { body: "brommma" } }),
    ).toMatchObject({
      ok: false,
      error: { code: "roles.unknown_body" },
    });
  });
});
