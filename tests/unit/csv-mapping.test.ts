import { describe, expect, it } from "vitest";
import {
  csvMappingSchema,
  mapHeader,
  mappingProblems,
  mapRow,
} from "../../src/modules/import/csv-mapping.js";

const mapping = (input: unknown) => csvMappingSchema.parse(input);

describe("reading a diarium report through a mapping", () => {
  it.each([
    ["yyyy-MM-dd", "2017-03-31"],
    ["dd.MM.yyyy", "31.03.2017"],
    ["yyyy-MM-dd HH:mm", "2017-03-31 00:00"],
    ["d/M/yyyy", "31/3/2017"],
  ])("reads dates written %s (%s) as 2017-03-31", (dateFormat, cell) => {
    const map = mapping({ columns: { Inkom: "received_on", Rubrik: "title" }, dateFormat });
    const header = mapHeader(map, ["Rubrik", "Inkom"]);
    if (!header.ok) throw new Error("header");
    expect(mapRow(map, header.header, ["Något", cell])).toEqual({
      ok: true,
      cells: { title: "Något", received_on: "2017-03-31" },
    });
  });

  it("refuses a date not written as the mapping says, naming the format and an example", () => {
    const map = mapping({ columns: { Inkom: "received_on" }, dateFormat: "dd.MM.yyyy" });
    const header = mapHeader(map, ["Inkom"]);
    if (!header.ok) throw new Error("header");
    const row = mapRow(map, header.header, ["2017-03-31"]);
    expect(row).toEqual({ ok: false, reason: expect.stringContaining("received_on: «2017-03-31»") });
    expect(!row.ok && row.reason).toContain("dd.MM.yyyy");
    expect(!row.ok && row.reason).toContain("t.ex. 31.03.2017");
    // 30 February is no day, whatever the format.
    expect(mapRow(map, header.header, ["30.02.2017"]).ok).toBe(false);
  });

  it("matches columns whatever their case and spaces, leaves the rest out, and adds constants", () => {
    const map = mapping({
      columns: { " Ärendemening ": "title", DIARIENUMMER: "dnr" },
      constants: { registry: "stockholm-ks" },
    });
    const header = mapHeader(map, ["diarienummer", "Arkivbox", "ärendemening"]);
    expect(header).toEqual({
      ok: true,
      header: { columns: ["title", "dnr", "registry"], cellIndexes: [2, 0], ignored: ["Arkivbox"] },
    });
    if (!header.ok) return;
    expect(mapRow(map, header.header, ["108-1642/2017", "B12", "Bristerna inom socialtjänsten"])).toEqual({
      ok: true,
      cells: { title: "Bristerna inom socialtjänsten", dnr: "108-1642/2017", registry: "stockholm-ks" },
    });
  });

  it("names the mapped columns the report does not have", () => {
    const map = mapping({ columns: { Diarienummer: "dnr", Ärendemening: "title", Status: "status" } });
    expect(mapHeader(map, ["Diarienummer", "Rubrik"])).toEqual({
      ok: false,
      missing: ["Ärendemening", "Status"],
    });
  });

  it("translates the report's words, exactly or whatever their case, and keeps words it does not list", () => {
    const map = mapping({
      columns: { Typ: "kind" },
      values: { kind: { Motion: "motion", Skrivelse: "skrivelse" } },
    });
    const header = mapHeader(map, ["Typ"]);
    if (!header.ok) throw new Error("header");
    const kind = (cell: string) => {
      const row = mapRow(map, header.header, [cell]);
      return row.ok ? row.cells.kind : row.reason;
    };
    expect([kind("Motion"), kind(" SKRIVELSE "), kind("interpellation"), kind("")]).toEqual([
      "motion",
      "skrivelse",
      "interpellation",
      "",
    ]);
  });

  it("explains what is wrong with a mapping file, field by field", () => {
    const problems = (input: unknown) => {
      const parsed = csvMappingSchema.safeParse(input);
      return parsed.success ? "" : mappingProblems(parsed.error).join("\n");
    };
    const shapes = problems({ columns: { Diarienummer: "diarienummer" }, dateFormat: "HH:mm", extra: true });
    expect(shapes).toContain('columns.Diarienummer: okänt fält "diarienummer"');
    expect(shapes).toContain("dateFormat: ska ha år (yyyy), månad (MM) och dag (dd)");
    expect(shapes).toContain(
      'okänt fält "extra"; en mappningsfil har columns, dateFormat, values och constants',
    );
    const overlaps = problems({
      columns: { Rubrik: "title", rubrik: "summary", Text: "summary" },
      constants: { title: "x" },
    });
    expect(overlaps).toContain('kolumnen "rubrik" står två gånger');
    expect(overlaps).toContain("två kolumner i rapporten är mappade till summary");
    expect(overlaps).toContain('constants.title: title kommer redan från kolumnen "Rubrik"');
    expect(problems([])).toContain("mappningsfilen ska vara ett objekt");
  });
});
