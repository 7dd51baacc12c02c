import { describe, expect, it } from "vitest";
import { say } from "../../src/messages/sv.js";
import {
  parseRoleCommand,
  parseRoleWord,
  parseSlackUserId,
} from "../../src/modules/access/parse-role-command.js";

const ANNA = "<@U0ANNA01|anna>";

describe("parseRoleCommand: help", () => {
  it.each(["", "  ", "hjälp", "hjalp", "help"])("«%s» asks for help", (text) => {
    expect(parseRoleCommand(text)).toEqual({ type: "help" });
  });
});

describe("parseRoleCommand: ge", () => {
  it("reads a picked user, a role and a body", () => {
    expect(parseRoleCommand(`ge ${ANNA} godkännare socialnamnden`)).toEqual({
      type: "grant",
      userId: "U0ANNA01",
      role: "godkannare",
      body: "socialnamnden",
    });
  });

  it("accepts tilldela, a mention without a name, and HTML-escaped text", () => {
    expect(parseRoleCommand("tilldela <@W0ANNA01> registrator Socialnämnden")).toMatchObject({
      type: "grant",
      userId: "W0ANNA01",
      role: "registrator",
    });
    expect(parseRoleCommand("ge &lt;@U0ANNA01|anna&gt; handläggare kommunstyrelsen")).toMatchObject({
      type: "grant",
      userId: "U0ANNA01",
      role: "handlaggare",
      body: "kommunstyrelsen",
    });
  });

  it("takes a body name of several words, quoted or not, with organ: or för in front", () => {
    const expected = {
      type: "grant",
      userId: "U0ANNA01",
      role: "handlaggare",
      body: "Bromma stadsdelsnämnd",
    };
    expect(parseRoleCommand(`ge ${ANNA} handläggare Bromma stadsdelsnämnd`)).toEqual(expected);
    expect(parseRoleCommand(`ge ${ANNA} handlaggare "Bromma stadsdelsnämnd"`)).toEqual(expected);
    expect(parseRoleCommand(`ge ${ANNA} rollen handläggare för Bromma   stadsdelsnämnd`)).toEqual(expected);
    expect(parseRoleCommand(`ge ${ANNA} handläggare organ:"Bromma stadsdelsnämnd"`)).toEqual(expected);
  });

  it("reads every role word, with or without å, ä, ö, and the admin role without a body", () => {
    const role = (word: string) => parseRoleCommand(`ge ${ANNA} ${word}`);
    expect(role("godkännare")).toMatchObject({ role: "godkannare", body: null });
    expect(role("GODKANNARE")).toMatchObject({ role: "godkannare" });
    expect(role("registrator")).toMatchObject({ role: "registrator" });
    expect(role("handläggare")).toMatchObject({ role: "handlaggare" });
    expect(role("handlaggare")).toMatchObject({ role: "handlaggare" });
    expect(role("admin")).toEqual({ type: "grant", userId: "U0ANNA01", role: "admin", body: null });
    expect(role("administratör")).toMatchObject({ role: "admin" });
    expect(role("Administrator")).toMatchObject({ role: "admin" });
  });

  it("accepts the role before the user", () => {
    expect(parseRoleCommand(`ge godkännare ${ANNA} socialnämnden`)).toEqual({
      type: "grant",
      userId: "U0ANNA01",
      role: "godkannare",
      body: "socialnämnden",
    });
  });
});

describe("parseRoleCommand: ta", () => {
  it.each([
    `ta ${ANNA} godkännare socialnamnden`,
    `ta bort ${ANNA} godkännare socialnamnden`,
    `tabort ${ANNA} godkännare socialnamnden`,
    `återkalla ${ANNA} godkännare socialnamnden`,
  ])("«%s»", (text) => {
    expect(parseRoleCommand(text)).toEqual({
      type: "revoke",
      userId: "U0ANNA01",
      role: "godkannare",
      body: "socialnamnden",
    });
  });
});

describe("parseRoleCommand: lista", () => {
  it("lists everyone, one user or one body", () => {
    expect(parseRoleCommand("lista")).toEqual({ type: "list", filter: null });
    expect(parseRoleCommand(`lista ${ANNA}`)).toEqual({ type: "list", filter: { userId: "U0ANNA01" } });
    expect(parseRoleCommand("lista Bromma stadsdelsnämnd")).toEqual({
      type: "list",
      filter: { body: "Bromma stadsdelsnämnd" },
    });
    expect(parseRoleCommand("visa socialnamnden")).toEqual({
      type: "list",
      filter: { body: "socialnamnden" },
    });
  });
});

describe("parseRoleCommand: errors say what was wrong and what to type", () => {
  const error = (text: string) => {
    const result = parseRoleCommand(text);
    if (result.type !== "invalid") throw new Error(`expected an error for «${text}», got ${result.type}`);
    return { code: result.error.code, message: say(result.error) };
  };

  it("an unknown subcommand, with a guess", () => {
    expect(error("gee <@U0ANNA01> admin")).toEqual({
      code: "roles.command.unknown_subcommand",
      message:
        "Jag känner inte igen «gee» efter `roll`. Menade du `ge`? Skriv `/arende roll ge @namn godkännare socialnämnden`, `/arende roll ta @namn godkännare socialnämnden` eller `/arende roll lista`.",
    });
  });

  it("no user", () => {
    expect(error("ge godkännare socialnämnden")).toEqual({
      code: "roles.command.missing_user",
      message:
        "Vem gäller det? Välj personen med @ efter `ge`, till exempel `/arende roll ge @namn godkännare socialnämnden`.",
    });
    expect(error("ta").code).toBe("roles.command.missing_user");
  });

  it("a plain @name that Slack did not turn into a user id", () => {
    const problem = error("ge @anna godkännare socialnämnden");
    expect(problem.code).toBe("roles.command.unresolved_user");
    expect(problem.message).toContain("Jag kan inte se vem «@anna» är.");
    expect(problem.message).toContain("Välj personen i listan som kommer upp när du skriver @");
    expect(error("lista @anna").code).toBe("roles.command.unresolved_user");
  });

  it("several users", () => {
    expect(error(`ge ${ANNA} <@U0BERT01|bert> admin`).code).toBe("roles.command.several_users");
    expect(error(`lista ${ANNA} <@U0BERT01|bert>`).code).toBe("roles.command.several_users");
  });

  it("no role", () => {
    expect(error(`ge ${ANNA}`)).toEqual({
      code: "roles.command.missing_role",
      message:
        "Vilken roll? Skriv en av `registrator`, `handläggare`, `godkännare` eller `admin` efter personen, till exempel `/arende roll ge @namn godkännare socialnämnden`.",
    });
  });

  it("an unknown role, with a guess", () => {
    expect(error(`ge ${ANNA} godkänare socialnämnden`)).toEqual({
      code: "roles.command.unknown_role",
      message:
        "«godkänare» är ingen roll jag känner till. Menade du `godkännare`? Rollerna är `registrator`, `handläggare`, `godkännare` eller `admin`; skriv till exempel `/arende roll ge @namn godkännare socialnämnden`.",
    });
    expect(error(`ta ${ANNA} chef socialnämnden`).message).toContain("«chef» är ingen roll jag känner till.");
  });

  it("a user and a body in one list", () => {
    expect(error(`lista ${ANNA} socialnämnden`).code).toBe("roles.command.unexpected_words");
  });
});

describe("parseRoleWord and parseSlackUserId (the CLI's arguments)", () => {
  it("reads roles", () => {
    expect(parseRoleWord("Godkännare")).toBe("godkannare");
    expect(parseRoleWord("administratör")).toBe("admin");
    expect(parseRoleWord("chef")).toBeNull();
  });

  it("reads Slack user ids as typed or pasted", () => {
    expect(parseSlackUserId("U012ABCDEF")).toBe("U012ABCDEF");
    expect(parseSlackUserId(" <@U012ABCDEF|anna> ")).toBe("U012ABCDEF");
    expect(parseSlackUserId("anna")).toBeNull();
    expect(parseSlackUserId("u012abcdef")).toBeNull();
  });
});
