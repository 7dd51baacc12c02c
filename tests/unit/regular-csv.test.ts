import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { countLineBreaks, LineIndex } from "../../src/modules/import/line-index.js";
import { isRegularCsv, regularCsvCells, regularCsvRecords } from "../../src/modules/import/regular-csv.js";

/**
 * What csv-parse gives with the import's options, each record on the line it starts on, found as
 * read-import-file.ts finds it: the line of the record's last byte, less the breaks in its cells.
 */
function byCsvParse(text: string, delimiter: string) {
  const bytes = Buffer.from(text);
  const lines = new LineIndex(bytes);
  const records = parse(bytes, {
    bom: false,
    delimiter,
    relax_column_count: true,
    skip_empty_lines: true,
    info: true,
  }) as unknown as { record: string[]; info: { bytes: number } }[];
  return records.map(({ record, info }) => ({
    cells: record,
    line: lines.lineAt(info.bytes - 1) - record.reduce((count, cell) => count + countLineBreaks(cell), 0),
  }));
}

function byRegular(text: string, delimiter: string) {
  return [...regularCsvRecords(text, delimiter)].map(({ raw, line, fieldCount }) => {
    const cells = regularCsvCells(raw, delimiter);
    expect(cells).toHaveLength(fieldCount);
    return { cells, line };
  });
}

describe("regular CSV", () => {
  const regular: [string, string, string][] = [
    ["lines ending in LF", ",", "dnr,title\nKS 2024/1,Motion om träd\nKS 2024/2,Skrivelse\n"],
    ["Excel's CRLF and semicolons, no last line end", ";", "dnr;title\r\nKS 2024/1;Träd\r\nKS 2024/2;Bänkar"],
    ["empty lines before, between and after", ",", "\n\ndnr,title\n\nKS 1,a\n\n\nKS 2,b\n\n"],
    ["empty CRLF lines", ";", "dnr;title\r\n\r\nKS 1;a\r\n\r\n"],
    [
      "quoted fields with delimiters, doubled quotes and line breaks",
      ",",
      'dnr,title,summary\nKS 1,"Motion, om ""träd""","rad ett\nrad två\nrad tre"\nKS 2,b,"x\r\ny"\nKS 3,"",""\n',
    ],
    ["empty fields and a field count that differs", "\t", "a\tb\tc\n\t\t\nx\ty\n1\t2\t3\t4\n"],
    ["a BOM and Swedish letters", ";", "\uFEFFdnr;titel\nKS 1;Åtgärder för ökad säkerhet\n"],
    ["whitespace-only lines", ",", "a,b\n   \nc,d\n"],
  ];
  for (const [name, delimiter, text] of regular) {
    it(`reads ${name} as csv-parse does`, () => {
      expect(isRegularCsv(text, delimiter)).toBe(true);
      expect(byRegular(text, delimiter)).toEqual(byCsvParse(text, delimiter));
    });
  }

  const irregular: [string, string][] = [
    ["a quote inside an unquoted field", 'a,b\nKS 1,tum 5"\n'],
    ["text after a closing quote", 'a,b\nKS 1,"träd" och buskar\n'],
    ["a quote never closed", 'a,b\nKS 1,"träd\nKS 2,b\n'],
    ["a line ending in CR alone", "a,b\rKS 1,c\r"],
    ["LF after CRLF", "a,b\r\nKS 1,c\nKS 2,d\r\n"],
    ["a line of only a quoted empty field", 'a,b\n""\nKS 1,c\n'],
  ];
  for (const [name, text] of irregular) {
    it(`leaves ${name} to csv-parse`, () => {
      expect(isRegularCsv(text, ",")).toBe(false);
    });
  }

  it("gives each record the line it starts on, counting line breaks in quoted fields", () => {
    const text = 'h1,h2\r\n\r\nKS 1,"a\r\nb\r\nc"\r\nKS 2,d\r\n';
    expect(byRegular(text, ",")).toEqual([
      { cells: ["h1", "h2"], line: 1 },
      { cells: ["KS 1", "a\r\nb\r\nc"], line: 3 },
      { cells: ["KS 2", "d"], line: 6 },
    ]);
  });
});
