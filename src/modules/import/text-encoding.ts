/**
 * Which character encoding an import file is in, decided from its bytes, and decoders for each.
 *
 * Swedish Excel saves "CSV (semikolonavgränsad)" in Windows-1252, "CSV UTF-8" as UTF-8 with a byte
 * order mark (BOM) and "Unicode-text" as UTF-16 LE with a BOM; other tools write UTF-8 without one.
 * Reading a file in the wrong encoding stores "sn�r�jning" or "snÃ¶rÃ¶jning" in the registry, and a
 * re-import then overwrites the right title with it. So the encoding is decided only where the bytes
 * leave no doubt, and a file that fits none of these for certain is refused rather than guessed at:
 *
 * 1. A BOM decides.
 * 2. Without one, NUL bytes in every other position mean UTF-16 without a BOM, whose byte order
 *    cannot be known for certain: refused.
 * 3. Bytes that are valid UTF-8 throughout are UTF-8 (plain ASCII included).
 * 4. Otherwise the file may be Windows-1252, unless it has a byte no Windows-1252 text has (a control
 *    character other than tab and line breaks, or one of the five bytes the code page leaves
 *    undefined): then it is no text file we can read, and refused.
 * 5. A file that is not UTF-8 but holds UTF-8 letters or punctuation elsewhere (two files pasted into
 *    one) is refused: whichever way it were read, half of it would be wrong.
 */

export type TextEncoding = "utf-8" | "utf-16le" | "utf-16be" | "windows-1252";

/** A byte and the line it is on, for messages that say where to look. */
export type BytePlace = { line: number; byte: number };

export type EncodingFinding =
  | { kind: "encoding"; encoding: Exclude<TextEncoding, "windows-1252">; bom: boolean }
  /** notUtf8: the first byte that is not UTF-8 (JSON must be UTF-8, so there it is refused). */
  | { kind: "encoding"; encoding: "windows-1252"; bom: false; notUtf8: BytePlace }
  | { kind: "utf-16-without-bom" }
  | { kind: "not-text"; place: BytePlace; notUtf8: BytePlace }
  | { kind: "mixed"; utf8Line: number; notUtf8: BytePlace };

const BOMS: readonly [Exclude<TextEncoding, "windows-1252">, readonly number[]][] = [
  ["utf-8", [0xef, 0xbb, 0xbf]],
  ["utf-16le", [0xff, 0xfe]],
  ["utf-16be", [0xfe, 0xff]],
];
const LONGEST_BOM = 3;

/** Windows-1252 leaves these undefined; no text saved in it has them. */
const UNDEFINED_IN_WINDOWS_1252 = new Set([0x81, 0x8d, 0x8f, 0x90, 0x9d]);

/** UTF-16 text of a header row has a NUL in every other byte; a stray NUL in UTF-8 text does not. */
const UTF16_SAMPLE_BYTES = 4096;

const LF = 0x0a;
const CR = 0x0d;
const TAB = 0x09;

/** Reads a file's bytes chunk by chunk, so a file of any size is judged without holding it in memory. */
export class EncodingSniffer {
  private readonly start: number[] = [];
  /** undefined until the first bytes are in; null when there is no BOM. */
  private bom: Exclude<TextEncoding, "windows-1252"> | null | undefined;

  private line = 1;
  private afterCR = false;
  private offset = 0;
  private readonly nuls = [0, 0];

  // UTF-8 as the WHATWG decoder reads it: the bytes still needed, their bounds, the code point so far.
  private needed = 0;
  private lower = 0x80;
  private upper = 0xbf;
  private codePoint = 0;
  private lead = 0;
  private leadLine = 1;

  private notUtf8: BytePlace | null = null;
  private utf8Line: number | null = null;
  private notWindows1252: BytePlace | null = null;

  push(chunk: Uint8Array): void {
    let bytes = chunk;
    if (this.bom === undefined) {
      const missing = LONGEST_BOM - this.start.length;
      this.start.push(...bytes.subarray(0, missing));
      bytes = bytes.subarray(missing);
      if (this.start.length < LONGEST_BOM) return;
      this.settleBom();
    }
    if (this.bom !== null) return;
    for (const byte of bytes) this.scan(byte);
  }

  finish(): EncodingFinding {
    if (this.bom === undefined) this.settleBom();
    if (this.bom) return { kind: "encoding", encoding: this.bom, bom: true };
    if (this.needed > 0) this.brokenSequence();
    const [even = 0, odd = 0] = this.nuls;
    const pairs = Math.min(this.offset, UTF16_SAMPLE_BYTES) / 2;
    if (Math.max(even, odd) > pairs / 2 && Math.min(even, odd) < pairs / 20) {
      return { kind: "utf-16-without-bom" };
    }
    if (this.notUtf8 === null) return { kind: "encoding", encoding: "utf-8", bom: false };
    if (this.notWindows1252 !== null) {
      return { kind: "not-text", place: this.notWindows1252, notUtf8: this.notUtf8 };
    }
    if (this.utf8Line !== null) return { kind: "mixed", utf8Line: this.utf8Line, notUtf8: this.notUtf8 };
    return { kind: "encoding", encoding: "windows-1252", bom: false, notUtf8: this.notUtf8 };
  }

  private settleBom(): void {
    const found = BOMS.find(([, mark]) => mark.every((byte, index) => this.start[index] === byte));
    this.bom = found?.[0] ?? null;
    if (this.bom === null) for (const byte of this.start) this.scan(byte);
  }

  private scan(byte: number): void {
    if (this.offset < UTF16_SAMPLE_BYTES && byte === 0) {
      this.nuls[this.offset % 2] = (this.nuls[this.offset % 2] ?? 0) + 1;
    }
    this.offset += 1;
    if (
      this.notWindows1252 === null &&
      ((byte < 0x20 && byte !== TAB && byte !== LF && byte !== CR) || UNDEFINED_IN_WINDOWS_1252.has(byte))
    ) {
      this.notWindows1252 = { line: this.line, byte };
    }
    this.utf8(byte);
    // Lines as an editor counts them: LF, CRLF or a lone CR ends one.
    if (byte === CR) this.line += 1;
    else if (byte === LF && !this.afterCR) this.line += 1;
    this.afterCR = byte === CR;
  }

  private utf8(byte: number): void {
    if (this.needed === 0) {
      if (byte <= 0x7f) return;
      this.lead = byte;
      this.leadLine = this.line;
      if (byte >= 0xc2 && byte <= 0xdf) {
        this.needed = 1;
        this.codePoint = byte & 0x1f;
      } else if (byte >= 0xe0 && byte <= 0xef) {
        if (byte === 0xe0) this.lower = 0xa0;
        if (byte === 0xed) this.upper = 0x9f;
        this.needed = 2;
        this.codePoint = byte & 0x0f;
      } else if (byte >= 0xf0 && byte <= 0xf4) {
        if (byte === 0xf0) this.lower = 0x90;
        if (byte === 0xf4) this.upper = 0x8f;
        this.needed = 3;
        this.codePoint = byte & 0x07;
      } else {
        this.invalid({ line: this.line, byte });
      }
      return;
    }
    if (byte < this.lower || byte > this.upper) {
      // The sequence broke off; like a decoder, read this byte afresh.
      this.brokenSequence();
      this.utf8(byte);
      return;
    }
    this.lower = 0x80;
    this.upper = 0xbf;
    this.codePoint = (this.codePoint << 6) | (byte & 0x3f);
    this.needed -= 1;
    if (this.needed === 0 && this.utf8Line === null && onlyUtf8Has(this.codePoint)) {
      this.utf8Line = this.leadLine;
    }
  }

  private brokenSequence(): void {
    this.invalid({ line: this.leadLine, byte: this.lead });
    this.needed = 0;
    this.lower = 0x80;
    this.upper = 0xbf;
  }

  private invalid(place: BytePlace): void {
    this.notUtf8 ??= place;
  }
}

/**
 * Characters whose UTF-8 bytes, read as Windows-1252, are mojibake no Swedish text has: "Ã¥" for å,
 * "â€“" for –. Finding one in a file that is otherwise not UTF-8 means two encodings in one file.
 */
function onlyUtf8Has(codePoint: number): boolean {
  return (
    (codePoint >= 0xc0 && codePoint <= 0xff) ||
    (codePoint >= 0x2010 && codePoint <= 0x203a) ||
    codePoint === 0x20ac
  );
}

export function sniffEncoding(bytes: Uint8Array): EncodingFinding {
  const sniffer = new EncodingSniffer();
  sniffer.push(bytes);
  return sniffer.finish();
}

// ---------------------------------------------------------------------------------------------
// Decoding

/** A streaming decoder: bytes in, in pieces that may split a character, text out. A BOM is dropped. */
export type TextDecoding = { decode(bytes: Uint8Array): string; end(): string };

export function createDecoding(encoding: TextEncoding): TextDecoding {
  if (encoding === "windows-1252") return { decode: decodeWindows1252, end: () => "" };
  const decoder = new TextDecoder(encoding);
  return {
    decode: (bytes) => decoder.decode(bytes, { stream: true }),
    end: () => decoder.decode(),
  };
}

export function decodeAll(bytes: Uint8Array, encoding: TextEncoding): string {
  const decoding = createDecoding(encoding);
  return decoding.decode(bytes) + decoding.end();
}

/**
 * Windows-1252 is Latin-1 but for 0x80–0x9F, which hold € – ’ ” … and the like. Node 20's
 * TextDecoder("windows-1252") decodes those as Latin-1 control characters (nodejs/node#60888), which
 * would turn every dash and typographic quote from Excel into an invisible control character, so
 * the 32 bytes are mapped here (WHATWG index-windows-1252). The five undefined bytes never get here:
 * a file with one is not taken for Windows-1252.
 */
const WINDOWS_1252_HIGH = [
  0x20ac, 0x81, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8d,
  0x017d, 0x8f, 0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a,
  0x0153, 0x9d, 0x017e, 0x0178,
];

function decodeWindows1252(bytes: Uint8Array): string {
  const latin1 = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("latin1");
  return latin1.replace(/[\u0080-\u009f]/gu, (character) =>
    String.fromCharCode(WINDOWS_1252_HIGH[character.charCodeAt(0) - 0x80] ?? character.charCodeAt(0)),
  );
}
