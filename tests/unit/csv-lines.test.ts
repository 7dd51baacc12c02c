import { describe, expect, it } from "vitest";
import { csvSource, ImportFileError } from "../../src/modules/import/read-import-file.js";

const HEADER = "registry,dnr,kind,title,summary";

/** Each row as the import reports it: its line, and its title or the reason it was rejected. */
async function rows(csv: string) {
  const source = await csvSource(csv);
  const read: { line: number; title?: string; error?: string }[] = [];
  for await (const item of source.cases) {
    const data = item.data as Record<string, string> | null;
    read.push(
      item.error === undefined
        ? { line: item.line, title: data?.title }
        : { line: item.line, error: item.error },
    );
  }
  return read;
}

describe("line numbers are the file's own lines", () => {
  it("counts a CRLF inside a quoted field as one line, so later rows keep their lines", async () => {
    const csv = [
      HEADER,
      'x,A 1/2025,skrivelse,Första,"En sammanfattning\r\növer\r\ntre rader"',
      "x,A 2/2025,skrivelse,Andra,",
      'x,A 3/2025,skrivelse,Tredje,"två\r\nrader"',
      "x,A 4/2025,skrivelse,Fjärde,",
      "",
    ].join("\r\n");
    expect(await rows(csv)).toEqual([
      { line: 2, title: "Första" },
      { line: 5, title: "Andra" },
      { line: 6, title: "Tredje" },
      { line: 8, title: "Fjärde" },
    ]);
  });

  it("counts LF, CRLF and a lone CR inside quoted fields alike, and skips blank lines", async () => {
    const csv = [
      HEADER,
      "",
      'x,A 1/2025,skrivelse,Första,"a\nb\r\nc\rd"',
      "",
      "",
      "x,A 2/2025,skrivelse,Andra,",
      "",
    ].join("\n");
    expect(await rows(csv)).toEqual([
      { line: 3, title: "Första" },
      { line: 9, title: "Andra" },
    ]);
  });

  it("names the line where an unclosed quote opened, and the lines it swallowed", async () => {
    const csv = [
      HEADER,
      'x,A 1/2025,skrivelse,"Första\r\nrubriken",',
      'x,A 2/2025,skrivelse,"Andra,',
      "x,A 3/2025,skrivelse,Tredje,",
      "x,A 4/2025,skrivelse,Fjärde,",
      "",
    ].join("\r\n");
    expect(await rows(csv)).toEqual([
      { line: 2, title: "Första\r\nrubriken" },
      {
        line: 4,
        error:
          'title: Citattecknet som inleder fältet stängs aldrig, så resten av filen lästes som en del av fältet. Raderna 4–6 lästes därför inte. Avsluta fältet med " och skriv citattecken inuti ett fält dubbelt ("") (unclosed quote; lines 4–6 were not read)',
      },
    ]);
  });

  it("names the line of a quoted field with an undoubled quote, and which rows it swallowed", async () => {
    const csv = [
      HEADER,
      'x,A 1/2025,skrivelse,"Första\nrubriken",',
      'x,A 2/2025,skrivelse,"Om "Bygg i stan,',
      'x,A 3/2025,skrivelse,Tredje,"sammanfattning"',
      "x,A 4/2025,skrivelse,Fjärde,",
      "",
    ].join("\n");
    expect(await rows(csv)).toEqual([
      { line: 2, title: "Första\nrubriken" },
      {
        line: 4,
        error:
          'title: Fältet börjar med citattecken men har ett citattecken inuti som inte är dubblerat, så det går inte att se var fältet slutar. Raderna 4–5 lästes därför inte. Skriv citattecken inuti ett fält dubbelt ("") (a quote inside a quoted field must be doubled; lines 4–5 were not read)',
      },
      { line: 6, title: "Fjärde" },
    ]);
  });

  it("names the line and field of a quote in an unquoted field, after a multi-line row", async () => {
    const csv = [
      HEADER,
      'x,A 1/2025,skrivelse,Första,"a\r\nb"',
      'x,A 2/2025,skrivelse,Andra,sa "hej"',
      "x,A 3/2025,skrivelse,Tredje,",
      "",
    ].join("\r\n");
    expect(await rows(csv)).toEqual([
      { line: 2, title: "Första" },
      {
        line: 4,
        error:
          'summary: Fältet innehåller ett citattecken men börjar inte med ett. Omge hela fältet med citattecken och skriv citattecknet inuti dubbelt ("") (a quote in an unquoted field)',
      },
      { line: 5, title: "Tredje" },
    ]);
  });

  it("gives the right lines and letters throughout a file the parser reads in many pieces", async () => {
    const lines = [HEADER];
    // What each row should be reported as: the line it starts on, and its title or that it is rejected.
    const expected: { line: number; title?: string; rejected?: boolean }[] = [];
    let line = 2;
    for (let index = 1; index <= 400; index += 1) {
      const title = `Snöröjning ${index} ${"på Årstaängsvägen ".repeat(index % 53)}`;
      if (index % 30 === 5) {
        lines.push("");
        line += 1;
      } else if (index % 7 === 0) {
        lines.push(`x,A ${index}/2025,skrivelse,${title},"två\r\nrader"`);
        expected.push({ line, title });
        line += 2;
      } else if (index % 50 === 3) {
        lines.push(`x,A ${index}/2025,skrivelse,Rad ${index} med "fel",`);
        expected.push({ line, rejected: true });
        line += 1;
      } else {
        lines.push(`x,A ${index}/2025,skrivelse,${title},`);
        expected.push({ line, title });
        line += 1;
      }
    }
    const csv = `${lines.join("\r\n")}\r\n`;
    // The parser gets the file in pieces of 64 KiB; the first ends inside an ö.
    expect(Buffer.from(csv)[64 * 1024]).toBe(0xb6);
    const read = await rows(csv);
    expect(read.map((row) => (row.error === undefined ? row : { line: row.line, rejected: true }))).toEqual(
      expected,
    );
  });

  it("refuses the file, saying so, when the header row itself is broken", async () => {
    const reading = rows(`registry,"dnr,kind,title\nx,A 1/2025,skrivelse,T\n`);
    await expect(reading).rejects.toThrow(ImportFileError);
    await expect(reading).rejects.toThrow(
      "import.csv: rubrikraden kan inte läsas: kolumn 2: Citattecknet som inleder fältet stängs aldrig, så resten av filen lästes som en del av fältet. Raderna 1–2 lästes därför inte.",
    );
  });
});
