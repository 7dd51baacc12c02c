import iconv from "iconv-lite";
import { countLineBreaks } from "./line-index.js";

/**
 * Which character encoding an import file is in, decided from its bytes, and its text in it.
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
 *
 * The file is judged whole, in memory: import files are at most some tens of MB.
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

/** Each BOM as its bytes read one character a byte. */
const BOMS: readonly [Exclude<TextEncoding, "windows-1252">, string][] = [
  ["utf-8", "\xEF\xBB\xBF"],
  ["utf-16le", "\xFF\xFE"],
  ["utf-16be", "\xFE\xFF"],
];

/** Windows-1252 leaves these undefined; no text saved in it has them. */
const UNDEFINED_IN_WINDOWS_1252 = new Set([0x81, 0x8d, 0x8f, 0x90, 0x9d]);

/** A control character other than tab and line breaks, or a byte the code page leaves undefined. */
function neverInWindows1252(byte: number): boolean {
  return (
    (byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d) || UNDEFINED_IN_WINDOWS_1252.has(byte)
  );
}

/** UTF-16 text of a header row has a NUL in every other byte; a stray NUL in UTF-8 text does not. */
const UTF16_SAMPLE_BYTES = 4096;

/**
 * The UTF-8 bytes, read one character a byte, of characters whose UTF-8 read as Windows-1252 is
 * mojibake no Swedish text has: U+00C0–U+00FF ("Ã¥" for å), U+2010–U+203A ("â€“" for –) and U+20AC
 * (€). Finding one in a file that is otherwise not UTF-8 means two encodings in one file.
 */
const ONLY_UTF8_HAS = /\xC3[\x80-\xBF]|\xE2\x80[\x90-\xBA]|\xE2\x82\xAC/u;

export function sniffEncoding(bytes: Uint8Array): EncodingFinding {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const start = buffer.toString("latin1", 0, 3);
  const bom = BOMS.find(([, mark]) => start.startsWith(mark))?.[0];
  if (bom) return { kind: "encoding", encoding: bom, bom: true };
  if (looksLikeUtf16(buffer)) return { kind: "utf-16-without-bom" };
  if (isUtf8(buffer)) return { kind: "encoding", encoding: "utf-8", bom: false };

  // Read one character a byte, the text's offsets are the file's, and each CR or LF is a line break.
  const latin1 = buffer.toString("latin1");
  const place = (offset: number): BytePlace => ({
    line: 1 + countLineBreaks(latin1.slice(0, offset)),
    byte: buffer[offset] ?? 0,
  });
  const notUtf8 = place(firstNotUtf8(buffer, latin1));
  const notText = buffer.findIndex(neverInWindows1252);
  if (notText >= 0) return { kind: "not-text", place: place(notText), notUtf8 };
  const utf8 = ONLY_UTF8_HAS.exec(latin1);
  if (utf8) return { kind: "mixed", utf8Line: place(utf8.index).line, notUtf8 };
  return { kind: "encoding", encoding: "windows-1252", bom: false, notUtf8 };
}

function looksLikeUtf16(buffer: Buffer): boolean {
  const sample = buffer.subarray(0, UTF16_SAMPLE_BYTES);
  let even = 0;
  let odd = 0;
  for (const [offset, byte] of sample.entries()) {
    if (byte !== 0) continue;
    if (offset % 2 === 0) even += 1;
    else odd += 1;
  }
  const pairs = sample.length / 2;
  return Math.max(even, odd) > pairs / 2 && Math.min(even, odd) < pairs / 20;
}

/** ignoreBOM: a UTF-8 BOM inside the file is a character like any other here. */
const strictUtf8 = () => new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

function isUtf8(bytes: Uint8Array): boolean {
  try {
    strictUtf8().decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/**
 * The offset of the first byte that is not UTF-8, in a file known not to be: a byte that starts no
 * character, or the first byte of a character cut short. A line break is never part of a character,
 * so the first line that is not UTF-8 has it, and there the bytes are decoded one by one until one
 * does not fit.
 */
function firstNotUtf8(buffer: Buffer, latin1: string): number {
  for (const { index, 0: line } of latin1.matchAll(/[^\r\n]+/gu)) {
    const bytes = buffer.subarray(index, index + line.length);
    if (isUtf8(bytes)) continue;
    const decoder = strictUtf8();
    let characterStart = 0;
    try {
      for (const [offset, byte] of bytes.entries()) {
        if (decoder.decode(Uint8Array.of(byte), { stream: true }) !== "") characterStart = offset + 1;
      }
    } catch {
      // The decoder gave up inside the character that starts at characterStart.
    }
    // If it never gave up, the line ends inside that character.
    return index + characterStart;
  }
  return 0; // Not reached: bytes that are not UTF-8 have a line that is not.
}

/**
 * The text of a file in `encoding`, without its BOM. Windows-1252 is decoded by iconv-lite: Node
 * 20's TextDecoder("windows-1252") decodes 0x80–0x9F as Latin-1 control characters
 * (nodejs/node#60888), which would turn every – ’ ” € from Excel into an invisible character.
 */
export function decodeAll(bytes: Uint8Array, encoding: TextEncoding): string {
  if (encoding === "windows-1252") return iconv.decode(bytes, encoding);
  return new TextDecoder(encoding).decode(bytes);
}
