import { describe, expect, it } from "vitest";
import { decodeAll, sniffEncoding, type TextEncoding } from "../../src/modules/import/text-encoding.js";

/** "Snöröjning på Årstaängsvägen" as Excel's "CSV (semikolonavgränsad)" saves it: one byte a letter. */
const WINDOWS_1252 = Buffer.from([
  0x53, 0x6e, 0xf6, 0x72, 0xf6, 0x6a, 0x6e, 0x69, 0x6e, 0x67, 0x20, 0x70, 0xe5, 0x20, 0xc5, 0x72, 0x73, 0x74,
  0x61, 0xe4, 0x6e, 0x67, 0x73, 0x76, 0xe4, 0x67, 0x65, 0x6e,
]);
const TITLE = "Snöröjning på Årstaängsvägen";
const UTF8_BOM = [0xef, 0xbb, 0xbf];

function bytes(...parts: (number[] | Buffer | string)[]): Buffer {
  return Buffer.concat(
    parts.map((part) => (typeof part === "string" ? Buffer.from(part) : Buffer.from(part))),
  );
}

function utf16be(text: string): Buffer {
  const little = Buffer.from(text, "utf16le");
  return Buffer.from(little).swap16();
}

describe("telling the encoding", () => {
  it("reads UTF-8 with and without a BOM, and UTF-16 LE and BE by their BOM", () => {
    expect(sniffEncoding(bytes(TITLE))).toEqual({ kind: "encoding", encoding: "utf-8", bom: false });
    expect(sniffEncoding(bytes("registry,dnr\r\n"))).toEqual({
      kind: "encoding",
      encoding: "utf-8",
      bom: false,
    });
    expect(sniffEncoding(bytes(UTF8_BOM, TITLE))).toEqual({ kind: "encoding", encoding: "utf-8", bom: true });
    expect(sniffEncoding(bytes([0xff, 0xfe], Buffer.from(TITLE, "utf16le")))).toEqual({
      kind: "encoding",
      encoding: "utf-16le",
      bom: true,
    });
    expect(sniffEncoding(bytes([0xfe, 0xff], utf16be(TITLE)))).toEqual({
      kind: "encoding",
      encoding: "utf-16be",
      bom: true,
    });
  });

  it("takes Excel's CSV (semikolonavgränsad) for Windows-1252, noting where it stops being UTF-8", () => {
    expect(sniffEncoding(bytes("registry;title\r\nprov;", WINDOWS_1252, "\r\n"))).toEqual({
      kind: "encoding",
      encoding: "windows-1252",
      bom: false,
      notUtf8: { line: 2, byte: 0xf6 },
    });
  });

  it("refuses UTF-16 without a BOM, whichever byte order", () => {
    expect(sniffEncoding(Buffer.from(`registry;title\r\nprov;${TITLE}\r\n`, "utf16le"))).toEqual({
      kind: "utf-16-without-bom",
    });
    expect(sniffEncoding(utf16be(`registry;title\r\nprov;${TITLE}\r\n`))).toEqual({
      kind: "utf-16-without-bom",
    });
  });

  it("keeps a stray NUL in UTF-8 text for the row check to report, rather than refusing the file", () => {
    expect(sniffEncoding(bytes("registry,title\nprov,Sn", [0x00], "ö\n"))).toEqual({
      kind: "encoding",
      encoding: "utf-8",
      bom: false,
    });
  });

  it("refuses a file that is neither UTF-8 nor Windows-1252 text, naming the bytes and lines", () => {
    // An Excel workbook renamed to .csv: a zip archive.
    expect(sniffEncoding(bytes([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0xe5, 0x0a]))).toEqual({
      kind: "not-text",
      place: { line: 1, byte: 0x03 },
      notUtf8: { line: 1, byte: 0xe5 },
    });
    // 0x81 is undefined in Windows-1252.
    expect(sniffEncoding(bytes("a\r\nb", [0xe5], "\r\nc", [0x81]))).toEqual({
      kind: "not-text",
      place: { line: 3, byte: 0x81 },
      notUtf8: { line: 2, byte: 0xe5 },
    });
  });

  it("refuses a file mixing UTF-8 rows with Windows-1252 ones, since no reading gets both right", () => {
    expect(sniffEncoding(bytes("title\nSnöröjning\n", WINDOWS_1252, "\n"))).toEqual({
      kind: "mixed",
      utf8Line: 2,
      notUtf8: { line: 3, byte: 0xf6 },
    });
    // An en dash written by one program in UTF-8, by Excel in Windows-1252.
    expect(sniffEncoding(bytes("a – b\n", [0x61, 0x20, 0x96, 0x20, 0x62]))).toMatchObject({ kind: "mixed" });
  });

  it("counts lines ending in LF, CRLF or a lone CR alike", () => {
    for (const ending of ["\n", "\r\n", "\r"]) {
      const file = bytes(["a", "b", "c"].join(ending), ending, [0xe5]);
      expect(sniffEncoding(file)).toMatchObject({ notUtf8: { line: 4, byte: 0xe5 } });
    }
  });

  it("names the first byte of a UTF-8 character cut short, on its own line", () => {
    const notUtf8 = (...parts: (number[] | string)[]) => {
      const finding = sniffEncoding(bytes(...parts));
      return "notUtf8" in finding ? finding.notUtf8 : null;
    };
    // Cut short by a letter, by the end of its line, and by the end of the file.
    expect(notUtf8("ab\nå ", [0xe2, 0x80], "x\n")).toEqual({ line: 2, byte: 0xe2 });
    expect(notUtf8("ab\r\nå ", [0xf0, 0x9f, 0x98], "\r\nx")).toEqual({ line: 2, byte: 0xf0 });
    expect(notUtf8("ab\rcd ", [0xc3])).toEqual({ line: 2, byte: 0xc3 });
    // A byte that starts no character, after a BOM in the middle of the file.
    expect(notUtf8("a\nb", UTF8_BOM, [0x80])).toEqual({ line: 2, byte: 0x80 });
  });

  it("agrees with TextDecoder about what is UTF-8", () => {
    // Deterministic bytes biased towards the edges of UTF-8: lead bytes, continuations, overlongs,
    // surrogates and code points past U+10FFFF.
    let seed = 20250301;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const interesting = [0x41, 0x7f, 0x80, 0xbf, 0xc0, 0xc1, 0xc2, 0xc3, 0xdf, 0xe0, 0xe2, 0xed, 0xef, 0xf0];
    interesting.push(0xf4, 0xf5, 0xff, 0x9f, 0xa0, 0x8f, 0x90);
    const strict = new TextDecoder("utf-8", { fatal: true });
    let valid = 0;
    for (let round = 0; round < 5000; round += 1) {
      const length = 1 + Math.floor(random() * 6);
      const sample = [0x61];
      for (let index = 0; index < length; index += 1) {
        sample.push(interesting[Math.floor(random() * interesting.length)] ?? 0x41);
      }
      let isUtf8 = true;
      try {
        strict.decode(Uint8Array.from(sample));
      } catch {
        isUtf8 = false;
      }
      if (isUtf8) valid += 1;
      const finding = sniffEncoding(Uint8Array.from(sample));
      expect({ sample, utf8: finding.kind === "encoding" && finding.encoding === "utf-8" }).toEqual({
        sample,
        utf8: isUtf8,
      });
    }
    // Both verdicts occur often enough for the comparison to mean something.
    expect(valid).toBeGreaterThan(100);
    expect(valid).toBeLessThan(4750);
  });
});

describe("decoding", () => {
  it("reads Windows-1252 letters and Excel's typographic punctuation as the characters they are", () => {
    const file = bytes(
      WINDOWS_1252,
      " ",
      [0x93, 0x42, 0x79, 0x67, 0x67, 0x94, 0x20, 0x96, 0x20, 0x35, 0x20, 0x80, 0x20, 0x92, 0x85, 0x8a, 0x9f],
    );
    expect(decodeAll(file, "windows-1252")).toBe(`${TITLE} “Bygg” – 5 € ’…ŠŸ`);
  });

  it("reads all of 0x80–0x9F as Windows-1252 has them, not as Latin-1 control characters", () => {
    const undefinedBytes = [0x81, 0x8d, 0x8f, 0x90, 0x9d];
    const defined = Array.from({ length: 32 }, (_, index) => 0x80 + index).filter(
      (byte) => !undefinedBytes.includes(byte),
    );
    expect(decodeAll(Buffer.from(defined), "windows-1252")).toBe("€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ");
  });

  it("drops the BOM and reads UTF-8 and UTF-16", () => {
    const cases: [TextEncoding, Buffer][] = [
      ["utf-8", bytes(UTF8_BOM, TITLE)],
      ["utf-16le", bytes([0xff, 0xfe], Buffer.from(TITLE, "utf16le"))],
      ["utf-16be", bytes([0xfe, 0xff], utf16be(TITLE))],
    ];
    for (const [encoding, file] of cases) expect(decodeAll(file, encoding)).toBe(TITLE);
  });
});
