import iconv from "iconv-lite";
import { countLineBreaks } from "../../import/line-index.js";
import { ImportFileError } from "../../import/read-import-file.js";
import { sniffEncoding } from "../../import/text-encoding.js";

/**
 * An XML file's text, read in the encoding its declaration names. Swedish diaria export UTF-8, and
 * older ones ISO-8859-1 or Windows-1252 with `<?xml … encoding="…"?>`; the two single-byte ones differ
 * only in 0x80–0x9F, where ISO-8859-1 has control characters and Windows-1252 has – ’ ” € …. A byte
 * that the declared encoding cannot hold as text refuses the whole file, naming its line: reading
 * "–" as a control character, or "å" from a mislabelled file as "Ã¥", would write wrong titles.
 *
 * The text handed on always declares UTF-8, so the validator and the parser read the same characters
 * as this function did; only the declaration changes, so every line number stays the file's own.
 */

const DECLARATION = /^<\?xml\s[^?]*?encoding\s*=\s*(["'])([A-Za-z0-9._-]+)\1/u;

type Supported = "utf-8" | "utf-16le" | "utf-16be" | "iso-8859-1" | "windows-1252";

const NAMES: Record<string, Supported> = {
  "utf-8": "utf-8",
  utf8: "utf-8",
  "us-ascii": "utf-8",
  ascii: "utf-8",
  "iso-8859-1": "iso-8859-1",
  "iso8859-1": "iso-8859-1",
  latin1: "iso-8859-1",
  "latin-1": "iso-8859-1",
  "windows-1252": "windows-1252",
  cp1252: "windows-1252",
  "utf-16": "utf-16le",
};

/**
 * UTF-8 of å ä ö é, – ’ ” and € read one character a byte: text no Swedish file written in a
 * single-byte encoding has ("Ã¤" for ä), so a file declaring one but holding these is UTF-8.
 */
const ONLY_UTF8_HAS = /\xC3[\x80-\xBF]|\xE2\x80[\x90-\xBA]|\xE2\x82\xAC/u;

/** Windows-1252 leaves these undefined; no text saved in it has them. */
const UNDEFINED_IN_WINDOWS_1252 = new Set([0x81, 0x8d, 0x8f, 0x90, 0x9d]);

export function decodeXml(name: string, bytes: Buffer): string {
  const sniffed = sniffEncoding(bytes);
  const bomEncoding = sniffed.kind === "encoding" && sniffed.bom ? sniffed.encoding : null;
  if (sniffed.kind === "utf-16-without-bom") {
    throw new ImportFileError(
      `${name}: filen ser ut att vara UTF-16 utan byteordningsmärke (BOM), så teckenkodningen går inte att avgöra säkert. Spara filen som UTF-8 och importera igen (UTF-16 without a byte order mark)`,
    );
  }
  if (bomEncoding === "utf-16le" || bomEncoding === "utf-16be") {
    return withUtf8Declaration(new TextDecoder(bomEncoding).decode(bytes).replace(/^\uFEFF/u, ""));
  }
  // The declaration is ASCII in every encoding read here.
  const head = bytes
    .subarray(0, 200)
    .toString("latin1")
    .replace(/^\xEF\xBB\xBF/u, "");
  const declared = DECLARATION.exec(head)?.[2]?.toLowerCase() ?? "utf-8";
  const encoding = NAMES[declared];
  if (encoding === undefined || encoding === "utf-16le") {
    throw new ImportFileError(
      `${name}: XML-deklarationen anger teckenkodningen ${JSON.stringify(declared)}, som inte kan läsas; använd UTF-8, ISO-8859-1 eller Windows-1252 (unsupported encoding)`,
    );
  }
  const latin1 = bytes.toString("latin1");
  const lineOf = (offset: number) => 1 + countLineBreaks(latin1.slice(0, offset));
  const hex = (byte: number) => `0x${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  if (encoding === "utf-8") {
    const bad = sniffed.kind === "encoding" && sniffed.encoding === "utf-8" ? -1 : firstNotUtf8(bytes);
    if (bad < 0) return withUtf8Declaration(new TextDecoder("utf-8").decode(bytes).replace(/^\uFEFF/u, ""));
    const said = DECLARATION.test(head)
      ? `anger teckenkodningen ${declared}`
      : "anger ingen teckenkodning och ska då vara UTF-8";
    throw new ImportFileError(
      `${name}: filen ${said}, men byten ${hex(bytes[bad] ?? 0)} på rad ${lineOf(bad)} är inte UTF-8. Ange filens verkliga kodning i XML-deklarationen (t.ex. encoding="windows-1252") eller spara den som UTF-8 (not UTF-8)`,
    );
  }
  if (bomEncoding !== null) {
    throw new ImportFileError(
      `${name}: filen börjar med ett byteordningsmärke för UTF-8 men XML-deklarationen anger ${declared}; rätta deklarationen (encoding declared twice, differently)`,
    );
  }
  const utf8 = ONLY_UTF8_HAS.exec(latin1);
  if (utf8 !== null) {
    throw new ImportFileError(
      `${name}: filen anger teckenkodningen ${declared}, men rad ${lineOf(utf8.index)} är skriven i UTF-8 (den skulle läsas som ${JSON.stringify(iconv.decode(Buffer.from(utf8[0], "latin1"), encoding))}). Rätta XML-deklarationen till encoding="UTF-8" och importera igen (declared ${declared}, written in UTF-8)`,
    );
  }
  for (let offset = 0; offset < bytes.length; offset += 1) {
    const byte = bytes[offset] ?? 0;
    const control = byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d;
    const c1 = encoding === "iso-8859-1" && byte >= 0x80 && byte <= 0x9f;
    const undefinedByte = encoding === "windows-1252" && UNDEFINED_IN_WINDOWS_1252.has(byte);
    if (control || c1 || undefinedByte) {
      const why = c1
        ? `är ett styrtecken i ISO-8859-1 (filen är troligen Windows-1252: ändra deklarationen till encoding="windows-1252")`
        : undefinedByte
          ? "används inte i Windows-1252"
          : "är ett styrtecken, som inte förekommer i text";
      throw new ImportFileError(
        `${name}: byten ${hex(byte)} på rad ${lineOf(offset)} ${why}; filen läses inte (not ${declared} text)`,
      );
    }
  }
  return withUtf8Declaration(iconv.decode(bytes, encoding));
}

function withUtf8Declaration(text: string): string {
  return text.replace(DECLARATION, (whole, quote: string, value: string) =>
    whole.replace(`${quote}${value}${quote}`, `${quote}UTF-8${quote}`),
  );
}

/** The offset of the first byte that breaks UTF-8, or -1. Overlong forms are left to the decoder. */
function firstNotUtf8(bytes: Uint8Array): number {
  let offset = 0;
  while (offset < bytes.length) {
    const lead = bytes[offset] ?? 0;
    const length =
      lead < 0x80
        ? 1
        : lead >= 0xc2 && lead < 0xe0
          ? 2
          : lead >= 0xe0 && lead < 0xf0
            ? 3
            : lead >= 0xf0 && lead < 0xf5
              ? 4
              : 0;
    if (length === 0) return offset;
    for (let next = 1; next < length; next += 1) {
      if (((bytes[offset + next] ?? 0) & 0xc0) !== 0x80) return offset;
    }
    offset += length;
  }
  return -1;
}
