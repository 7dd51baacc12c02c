import { asc, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditEvents, memberships } from "../../src/db/schema.js";
import { botForThisFile } from "../support/running-bot.js";
import { sendArende } from "../support/slash-command.js";

const ADMIN = "U0ADMIN01";
const MEMBER = "U0MEMBER1";
const ANNA = "U0ANNA001";

let socialnamnden: number;

const { bot, database } = botForThisFile({
  env: { ARENDE_ADMINS: ADMIN },
  given: async (seed) => {
    socialnamnden = await seed.body("Socialnämnden");
    await seed.body("Bromma stadsdelsnämnd", "district_board");
  },
});

type Message = { response_type?: string; text: string; blocks: unknown[] };

/** Sends `/arende <text>` signed like Slack (text escaped, as with should_escape: true) and returns the private answer. */
async function arende(text: string, userId = ADMIN) {
  return (
    await sendArende(bot, text, {
      user: userId,
      userName: userId === ADMIN ? "admin" : "medlem",
      channel: "C0ROLES",
    })
  ).answer as Message;
}

const shown = (message: Message | undefined) => `${message?.text}\n${JSON.stringify(message?.blocks)}`;

const roleEvents = () =>
  database.db
    .select()
    .from(auditEvents)
    .where(eq(auditEvents.entityType, "membership"))
    .orderBy(asc(auditEvents.id));

describe("/arende roll", () => {
  it("an ARENDE_ADMINS admin grants godkännare for socialnämnden: stored, audited, confirmed privately", async () => {
    const answer = await arende(`roll ge <@${ANNA}|anna> godkännare socialnamnden`);
    expect(answer.response_type).toBe("ephemeral");
    expect(answer.text).toBe(`Klart: <@${ANNA}> är nu godkännare för Socialnämnden.`);

    const rows = await database.db.select().from(memberships).where(eq(memberships.slackUserId, ANNA));
    expect(rows).toMatchObject([{ bodyId: socialnamnden, role: "godkannare", grantedBy: ADMIN }]);
    expect(await roleEvents()).toMatchObject([
      {
        action: "role.granted",
        actorType: "slack_user",
        actorId: ADMIN,
        changes: { slack_user_id: ANNA, role: "godkannare", body: { name: "Socialnämnden" } },
      },
    ]);
    expect(bot.slack.callsTo("chat.postMessage")).toEqual([]);
  });

  it("granting it again says so and writes nothing", async () => {
    const answer = await arende(`roll tilldela <@${ANNA}|anna> godkannare Socialnämnden`);
    expect(answer.text).toBe(`<@${ANNA}> är redan godkännare för Socialnämnden, så inget ändrades.`);
    expect(await roleEvents()).toHaveLength(1);
  });

  it("a non-admin is refused privately with who may do it, and nothing changes", async () => {
    const answer = await arende(`roll ge <@${MEMBER}|medlem> admin`, MEMBER);
    expect(answer.response_type).toBe("ephemeral");
    expect(shown(answer)).toContain("Bara administratörer kan ge och ta roller.");
    const revoke = await arende(`roll ta <@${ANNA}|anna> godkännare socialnämnden`, MEMBER);
    expect(shown(revoke)).toContain("Bara administratörer kan ge och ta roller.");
    expect(await database.db.select().from(memberships)).toHaveLength(1);
    expect(await roleEvents()).toHaveLength(1);
  });

  it("lists roles: everyone, one person, one body", async () => {
    const all = await arende("roll lista", MEMBER);
    expect(all.response_type).toBe("ephemeral");
    expect(shown(all)).toContain(`• Administratörer: <@${ADMIN}> (ARENDE_ADMINS)`);
    expect(shown(all)).toContain(`• Socialnämnden, godkännare: <@${ANNA}>`);
    expect(shown(await arende(`roll lista <@${ANNA}|anna>`))).toContain(`*Roller för <@${ANNA}>*`);
    const body = shown(await arende("roll lista socialnämnden"));
    expect(body).toContain("*Roller för Socialnämnden*");
    expect(body).not.toContain("Administratörer");
  });

  it("bad input is answered in Swedish with what to type instead", async () => {
    expect(shown(await arende("roll ge @anna godkännare socialnämnden"))).toContain(
      "Välj personen i listan som kommer upp när du skriver @",
    );
    expect(shown(await arende(`roll ge <@${ANNA}|anna> godkännare Bromma`))).toContain(
      "Jag hittar inget organ som heter «Bromma». Menade du `Bromma stadsdelsnämnd`?",
    );
    expect(shown(await arende("roll"))).toContain("/arende roll ge @namn godkännare socialnämnden");
  });

  it("the admin revokes the role; the godkännare is audited as revoked", async () => {
    const answer = await arende(`roll ta bort <@${ANNA}|anna> godkännare socialnämnden`);
    expect(answer.text).toBe(`Klart: <@${ANNA}> är inte längre godkännare för Socialnämnden.`);
    expect(await database.db.select().from(memberships)).toEqual([]);
    expect((await roleEvents()).map((event) => event.action)).toEqual(["role.granted", "role.revoked"]);
  });

  it("the general help names the role commands", async () => {
    expect(shown(await arende("hjälp"))).toContain("/arende roll lista");
  });
});
