import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { generateCasesCsv } from "../../src/modules/import/generate-sample.js";
import {
  bodySchema,
  csvRowSchema,
  describeProblem,
  jsonCaseSchema,
  parsePeople,
  problemsOf,
  registrySchema,
} from "../../src/modules/import/import.schema.js";
import { detectDelimiter } from "../../src/modules/import/read-import-file.js";

type Schema = { safeParse(data: unknown): { success: boolean; error?: unknown } };

/** The report's "path: message" lines for one row. */
function problems(schema: Schema, data: unknown, prefix = ""): string[] {
  const result = schema.safeParse(data);
  if (result.success) return [];
  return problemsOf(result.error as Parameters<typeof problemsOf>[0], prefix).map(describeProblem);
}

const csvRow = {
  registry: "exempel",
  dnr: "EX 2025/1",
  kind: "motion",
  title: "Exempelmotion",
};

describe("CSV rows", () => {
  it("reads a full row into a case", () => {
    const result = csvRowSchema.parse({
      registry: " exempel ",
      registry_name: "Exempeldiarium",
      dnr: "Dnr 108-1642/2017",
      identifiers: "PM 2017:95 RVI+VIII; Motion 2016:114 ;",
      kind: "skrivelse",
      title: "Bristerna inom socialtjänsten",
      public_title: "",
      restricted: "Nej",
      summary: "",
      raised_by: "Lotta Edholm (L); Anna Andersson (M)",
      raised_on: "2016-10-26",
      received_on: "",
      responsible_body: "kommunstyrelsen",
      status: "closed",
      outcome: "Skrivelsen anses besvarad",
    });
    expect(result).toEqual({
      registry: "exempel",
      registryName: "Exempeldiarium",
      dnr: { display: "108-1642/2017", key: "108-1642-2017" },
      identifiers: [
        { display: "PM 2017:95 RVI+VIII", key: "pm 2017:95" },
        { display: "Motion 2016:114", key: "motion 2016:114" },
      ],
      kind: "skrivelse",
      title: "Bristerna inom socialtjänsten",
      restricted: false,
      summary: null,
      raisedBy: [
        { name: "Lotta Edholm", party: "L", title: null },
        { name: "Anna Andersson", party: "M", title: null },
      ],
      raisedOn: "2016-10-26",
      receivedOn: null,
      responsibleBody: "kommunstyrelsen",
      status: "closed",
      outcome: "Skrivelsen anses besvarad",
    });
  });

  it("leaves columns the file does not have as not given, and empty cells as null", () => {
    const result = csvRowSchema.parse({ ...csvRow, closed_on: "", status: "" });
    expect(result.closedOn).toBeNull();
    expect(result.status).toBeUndefined();
    expect(result.raisedOn).toBeUndefined();
    expect(result.restricted).toBeUndefined();
  });

  it("names the field and the rule, in Swedish and English", () => {
    expect(problems(csvRowSchema, { ...csvRow, title: " " })).toEqual([
      "title: Titel saknas (title is required)",
    ]);
    expect(problems(csvRowSchema, { ...csvRow, raised_on: "2017-02-30" })).toEqual([
      "raised_on: Ogiltigt datum «2017-02-30»: skriv ÅÅÅÅ-MM-DD, t.ex. 2017-03-31 (invalid date, use YYYY-MM-DD)",
    ]);
    expect(problems(csvRowSchema, { ...csvRow, received_on: "26/10" })).toEqual([
      "received_on: Ogiltigt datum «26/10»: skriv ÅÅÅÅ-MM-DD, t.ex. 2017-03-31 (invalid date, use YYYY-MM-DD)",
    ]);
    expect(problems(csvRowSchema, { ...csvRow, kind: "motioner" })).toEqual([
      "kind: Okänd ärendetyp «motioner»; välj en av: skrivelse, motion, medborgarforslag, interpellation, external_referral, other (unknown case kind)",
    ]);
    expect(problems(csvRowSchema, { ...csvRow, status: "avslutad" })).toEqual([
      "status: Okänd status «avslutad»; välj en av: initiated, in_progress, on_hold, open, prepared, received, expedited, closed, ad_acta, obliterated (unknown status (CITS ERMS))",
    ]);
    expect(problems(csvRowSchema, { ...csvRow, restricted: "kanske" })).toEqual([
      "restricted: Ange true eller false (ja eller nej), inte «kanske» (must be true or false)",
    ]);
    expect(problems(csvRowSchema, { ...csvRow, officer_slack_user_id: "anna" })).toEqual([
      "officer_slack_user_id: «anna» är inget Slack-användar-id; det ser ut som U012AB3CD (not a Slack user ID such as U012AB3CD)",
    ]);
    expect(problems(csvRowSchema, { ...csvRow, registry: "" })).toEqual([
      "registry: Diariets kod saknas (registry code is required)",
    ]);
  });

  it("points a document number given as dnr to the identifiers column", () => {
    expect(problems(csvRowSchema, { ...csvRow, dnr: "Motion 2016:114" })).toEqual([
      "dnr: «Motion 2016:114» är inget diarienummer, t.ex. 108-1642/2017 eller KS 2025/39. Dokumentnummer som «Motion 2016:114» hör hemma i identifiers. (not a registry number (dnr))",
    ]);
  });

  it("rejects an identifier that is neither a dnr nor a document number", () => {
    expect(problems(csvRowSchema, { ...csvRow, identifiers: "Motion 2016:114; hej" })).toEqual([
      "identifiers[1]: «hej» ser inte ut som ett diarienummer eller dokumentnummer. Skriv till exempel Dnr 108-1642/2017, KS 2025/39, Motion 2016:114 eller PM 2017:95. (not a registry or document number)",
    ]);
  });

  it("needs a dnr or an identifier to know the case again", () => {
    expect(problems(csvRowSchema, { ...csvRow, dnr: "", identifiers: "" })).toEqual([
      "dnr: Ärendet saknar både dnr och identifierare; ange minst ett av dem (a case needs a dnr or an identifier)",
    ]);
  });

  it("requires a public title for a restricted case, and uses none for an open one", () => {
    expect(problems(csvRowSchema, { ...csvRow, restricted: "ja" })).toEqual([
      "public_title: Offentlig titel (public_title) krävs när ärendet är sekretessbelagt (public_title is required when the case is restricted)",
    ]);
    expect(csvRowSchema.parse({ ...csvRow, restricted: "ja", public_title: "Sekretess" })).toMatchObject({
      restricted: true,
      publicTitle: "Sekretess",
    });
  });

  it("refuses a case closed before it was raised", () => {
    expect(problems(csvRowSchema, { ...csvRow, raised_on: "2017-02-03", closed_on: "2017-01-01" })).toEqual([
      "closed_on: closed_on 2017-01-01 ligger före raised_on 2017-02-03 (closed_on is before raised_on)",
    ]);
  });
});

describe("JSON cases", () => {
  const jsonCase = {
    registry: "stockholm-ks",
    identifiers: ["Motion 2016:114"],
    kind: "motion",
    title: "Motion om en kompetensutvecklingspeng för socialsekreterare",
  };

  it("reads referrals, responses and timeline; absent fields stay not given, null stays null", () => {
    const result = jsonCaseSchema.parse({
      ...jsonCase,
      raised_on: null,
      referrals: [
        {
          body: "socialnamnden",
          due_on: "2017-03-31",
          due_statement: "Yttrande på motionen ska senast vara inlämnad 31 mars 2017",
          state: "answered",
          responses: [{ document_title: "Tjänsteutlåtande", summary: "Kan anses besvarad." }],
        },
      ],
      timeline: [
        {
          kind: "proposal",
          body: "socialnamnden",
          people: [{ name: "Åsa Lindhagen", title: "borgarråd" }],
          text: "Nämnden föreslår …",
        },
      ],
    });
    expect(result.raisedOn).toBeNull();
    expect(result.closedOn).toBeUndefined();
    expect(result.referrals).toEqual([
      {
        body: "socialnamnden",
        dueOn: "2017-03-31",
        dueStatement: "Yttrande på motionen ska senast vara inlämnad 31 mars 2017",
        state: "answered",
        responses: [{ documentTitle: "Tjänsteutlåtande", summary: "Kan anses besvarad.", answeredOn: null }],
      },
    ]);
    expect(result.timeline?.[0]?.people).toEqual([
      { name: "Åsa Lindhagen", party: null, title: "borgarråd" },
    ]);
  });

  it("gives the full path of a nested problem", () => {
    expect(
      problems(
        jsonCaseSchema,
        {
          ...jsonCase,
          referrals: [{ body: "socialnamnden", due_on: "31 mars 2017" }, { due_on: null }],
          timeline: [{ kind: "beslut", text: "x" }],
        },
        "cases[1]",
      ),
    ).toEqual([
      "cases[1].referrals[0].due_on: Ogiltigt datum «31 mars 2017»: skriv ÅÅÅÅ-MM-DD, t.ex. 2017-03-31 (invalid date, use YYYY-MM-DD)",
      "cases[1].referrals[1].body: Remissinstans saknas (body is required)",
      "cases[1].timeline[0].kind: Okänd händelsetyp «beslut»; välj en av: preparation, proposal, decision, dissent, statement (unknown timeline kind)",
    ]);
  });

  it("catches misspelt field names", () => {
    expect(
      problems(jsonCaseSchema, { ...jsonCase, raised_by: [{ name: "A", parti: "L" }], titel: "x" }),
    ).toEqual(["raised_by[0]: Okänt fält «parti» (unknown field)", "Okänt fält «titel» (unknown field)"]);
  });

  it("keeps a referral's answer date consistent with its state", () => {
    expect(
      problems(jsonCaseSchema, {
        ...jsonCase,
        referrals: [{ body: "sdn-bromma", state: "open", answered_on: "2017-04-01" }],
      }),
    ).toEqual([
      'referrals[0].answered_on: answered_on kräver state "answered" (answered_on requires state "answered")',
    ]);
  });

  it("allows one referral per body in a case", () => {
    expect(
      problems(jsonCaseSchema, { ...jsonCase, referrals: [{ body: "sdn-bromma" }, { body: "sdn-bromma" }] }),
    ).toEqual([
      "referrals[1].body: Remissen till «sdn-bromma» finns redan i referrals[0] (one referral per body and case)",
    ]);
  });

  it("needs responses of one referral to be told apart", () => {
    expect(
      problems(jsonCaseSchema, {
        ...jsonCase,
        referrals: [
          {
            body: "socialnamnden",
            state: "answered",
            responses: [
              { document_title: "Tjänsteutlåtande", summary: "a" },
              { document_title: "Tjänsteutlåtande", summary: "b" },
            ],
          },
        ],
      }),
    ).toEqual([
      "referrals[0].responses[1]: Samma document_title och answered_on som responses[0]; svaren måste gå att skilja åt (same document_title and answered_on as an earlier response)",
    ]);
  });
});

describe("text that cannot be stored", () => {
  it("rejects a NUL, naming the field and where in it, before any other check of that field", () => {
    expect(problems(csvRowSchema, { ...csvRow, title: "Snöröjning\u0000 på Årstaängsvägen" })).toEqual([
      "title: Texten har ett NUL-tecken (U+0000) efter «Snöröjning»; det kan inte sparas, ta bort det ur filen (NUL character, cannot be stored)",
    ]);
    expect(problems(csvRowSchema, { ...csvRow, dnr: "EX 2025/1\u0000" })).toEqual([
      "dnr: Texten har ett NUL-tecken (U+0000) efter «EX 2025/1»; det kan inte sparas, ta bort det ur filen (NUL character, cannot be stored)",
    ]);
  });

  it("rejects the replacement character a wrong encoding leaves, saying what happened", () => {
    expect(problems(csvRowSchema, { ...csvRow, summary: "Sn\uFFFDr\uFFFDjning" })).toEqual([
      "summary: Texten har ersättningstecknet � (U+FFFD) efter «Sn»: där stod ett tecken som gick förlorat när texten sparades eller lästes med fel teckenkodning. Skriv in rätt tecken och spara filen som UTF-8 (replacement character: a character was lost to a wrong encoding)",
    ]);
  });

  it("rejects control characters and half characters anywhere in a JSON case, with the full path", () => {
    expect(
      problems(
        jsonCaseSchema,
        {
          registry: "stockholm-ks",
          identifiers: ["Motion 2016:114"],
          kind: "motion",
          title: "\u001b[31mMotion",
          raised_by: [{ name: "Lotta Edholm\u0007", party: "L" }],
          referrals: [{ body: "socialnamnden", responses: [{ summary: "Svar \ud83d" }] }],
          timeline: [{ kind: "decision", text: "Beslut\u0085" }],
        },
        "cases[0]",
      ),
    ).toEqual([
      "cases[0].title: Texten har styrtecknet U+001B först i texten, som inte hör hemma i text; ta bort det ur filen (control character)",
      "cases[0].raised_by[0].name: Texten har styrtecknet U+0007 efter «Lotta Edholm», som inte hör hemma i text; ta bort det ur filen (control character)",
      "cases[0].referrals[0].responses[0].summary: Texten har ett halvt tecken (ensamt surrogat U+D83D) efter «Svar »; rätta texten (lone surrogate, half a character)",
      "cases[0].timeline[0].text: Texten har styrtecknet U+0085 efter «Beslut», som inte hör hemma i text; ta bort det ur filen (control character)",
    ]);
  });

  it("shows control characters in other messages written out, not raw", () => {
    expect(problems(csvRowSchema, { ...csvRow, kind: "motion\u0000" })).toEqual([
      "kind: Okänd ärendetyp «motion\\u0000»; välj en av: skrivelse, motion, medborgarforslag, interpellation, external_referral, other (unknown case kind)",
    ]);
  });

  it("keeps tabs, line breaks and characters beyond the Basic Multilingual Plane", () => {
    const result = csvRowSchema.parse({ ...csvRow, summary: "Rad ett\r\nRad två\tmed tabb 📎" });
    expect(result.summary).toBe("Rad ett\r\nRad två\tmed tabb 📎");
  });
});

describe("registries and bodies", () => {
  it("validates codes and kinds", () => {
    expect(problems(registrySchema, { code: "Stockholm KS", name: "x" }, "registries[0]")).toEqual([
      "registries[0].code: Ogiltig kod «Stockholm KS»: använd a–z, 0–9 och bindestreck, t.ex. sdn-bromma (use a-z, 0-9 and hyphens)",
    ]);
    expect(
      problems(bodySchema, { code: "sdn-bromma", name: "Bromma stadsdelsnämnd", kind: "district" }),
    ).toEqual([
      "kind: Okänd organtyp «district»; välj en av: council, board, district_board, administration, preparatory_body, external_organisation (unknown body kind)",
    ]);
    expect(problems(bodySchema, { code: "sdn-bromma", kind: "district_board" })).toEqual([
      "name: Organets namn saknas (body name is required)",
    ]);
  });

  it("keeps a body's Slack channel when the file does not mention it", () => {
    expect(bodySchema.parse({ code: "socialnamnden", name: "Socialnämnden", kind: "board" })).toEqual({
      code: "socialnamnden",
      name: "Socialnämnden",
      kind: "board",
    });
  });
});

describe("helpers", () => {
  it("reads people with their party from a CSV cell", () => {
    expect(parsePeople("Lotta Edholm (L); Anna Andersson (M);Isabel Smedberg Palmqvist")).toEqual([
      { name: "Lotta Edholm", party: "L", title: null },
      { name: "Anna Andersson", party: "M", title: null },
      { name: "Isabel Smedberg Palmqvist", party: null, title: null },
    ]);
  });

  it("detects the delimiter Swedish spreadsheets use", () => {
    expect(detectDelimiter("registry;dnr;kind;title\r\n")).toBe(";");
    expect(detectDelimiter("\uFEFFregistry,dnr,kind,title\n")).toBe(",");
    expect(detectDelimiter("registry\tdnr\tkind\ttitle\n")).toBe("\t");
  });

  it("generates valid sample rows", () => {
    const records: Record<string, string>[] = parse(generateCasesCsv(40), { columns: true });
    expect(records).toHaveLength(40);
    for (const record of records) expect(problems(csvRowSchema, record)).toEqual([]);
    expect(new Set(records.map((record) => record.dnr)).size).toBe(40);
  });
});
