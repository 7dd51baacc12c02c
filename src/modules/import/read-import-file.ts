import { readFile, stat } from "node:fs/promises";
import { basename, extname } from "node:path";
import { pipeline, Readable } from "node:stream";
import { type CsvError, type InfoRecord, type Options, parse } from "csv-parse";
import { ermsSource, type KnownNames } from "../exchange/erms/read-erms.js";
import {
  type CsvMapping,
  csvMappingSchema,
  type MappedHeader,
  mapHeader,
  mappingProblems,
  mapRow,
} from "./csv-mapping.js";
import { CSV_COLUMNS, REQUIRED_CSV_COLUMNS } from "./import.schema.js";
import { countLineBreaks, LineIndex, leadingLineBreaks } from "./line-index.js";
import { isRegularCsv, regularCsvCells, regularCsvRecords } from "./regular-csv.js";
import { type BytePlace, decodeAll, type EncodingFinding, sniffEncoding } from "./text-encoding.js";

/**
 * Reads an import file into rows that know where they came from. Rows are not validated here (that
 * is the schema's job, row by row, so one bad row never stops the others); only a file that cannot
 * be read as a whole (missing, not JSON, a CSV header with unknown columns, an encoding that cannot
 * be told) is an ImportFileError.
 */

/** One row: a JSON array element or a CSV record. `path` is "cases[3]" in JSON and "" in CSV. */
export type SourceItem = {
  line: number;
  path: string;
  data: unknown;
  error?: string;
  /**
   * The row as the file wrote it, where that is cheaper to fingerprint than `data` and always reads
   * as the same data given the source's `readingOf`.
   */
  raw?: string;
};

export type ImportSource = {
  /** erms: FGS Ärendehantering 2.0 (CITS ERMS) XML, read into the JSON case shape. */
  format: "json" | "csv" | "erms";
  /** The file's name, for messages. */
  name: string;
  registries: SourceItem[];
  bodies: SourceItem[];
  /** Parsed row by row as they are asked for. */
  cases: AsyncIterable<SourceItem>;
  /** Known for JSON; for CSV only the share read so far is known. */
  totalCases: number | null;
  /** Share of the source read so far, 0 to 1. */
  fractionRead(): number;
  /** The line of the value at a path such as "cases[3].referrals[0].body", or of its nearest parent. */
  lineOf(path: string): number | undefined;
  /** What turns an item's `raw` into its data (a CSV header's columns); absent when no item has raw. */
  readingOf?: string;
};

/** The file as a whole cannot be read; the CLI answers with exit code 2. */
export class ImportFileError extends Error {
  override name = "ImportFileError";
}

/**
 * The whole file is read and its encoding settled before anything is parsed, so a file that turns out
 * unreadable on its last line has written nothing.
 */
export type ReadOptions = {
  /** A CSV export's own columns, mapped onto the import's. */
  mapping?: CsvMapping;
  /** The registries and bodies stored, which an ERMS file names by name. */
  known?: () => Promise<KnownNames>;
};

export async function readImportFile(file: string, options: ReadOptions = {}): Promise<ImportSource> {
  const cannotRead = (error: unknown) =>
    new ImportFileError(`Kan inte läsa ${file}: ${describe(error)} (cannot read the file)`);
  try {
    if (!(await stat(file)).isFile()) throw new ImportFileError(`${file} är ingen fil (not a file)`);
  } catch (error) {
    throw error instanceof ImportFileError ? error : cannotRead(error);
  }
  checkExtension(basename(file));
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    throw cannotRead(error);
  }
  return readImportBytes(basename(file), bytes, options);
}

/** An export already in memory (a sync's download), read as a file of that name would be. */
export async function readImportBytes(
  name: string,
  bytes: Buffer,
  options: ReadOptions = {},
): Promise<ImportSource> {
  const extension = checkExtension(name);
  if (extension === ".json") {
    if (options.mapping) {
      throw new ImportFileError(
        `${name}: en mappningsfil gäller bara CSV-filer; importera JSON utan --mapping (a mapping is for CSV files only)`,
      );
    }
    return jsonSource(decodeJson(name, bytes), name);
  }
  if (extension === ".xml") {
    if (options.mapping) {
      throw new ImportFileError(
        `${name}: en mappningsfil gäller bara CSV-filer; importera XML utan --mapping (a mapping is for CSV files only)`,
      );
    }
    return ermsSource(name, bytes, await options.known?.());
  }
  const finding = sniffEncoding(bytes);
  if (finding.kind !== "encoding") throw new ImportFileError(csvEncodingRefusal(name, finding));
  return csvSource(decodeAll(bytes, finding.encoding), {
    name,
    ...(options.mapping ? { mapping: options.mapping } : {}),
  });
}

function checkExtension(name: string): ".json" | ".csv" | ".xml" {
  const extension = extname(name).toLowerCase();
  if (extension !== ".json" && extension !== ".csv" && extension !== ".xml") {
    throw new ImportFileError(
      `${name}: okänt filformat ${JSON.stringify(extension)}; använd .json, .csv eller .xml (unknown file type)`,
    );
  }
  return extension;
}

/**
 * Reads a mapping file (see csv-mapping.ts) as UTF-8 JSON; a file that is not a valid mapping is
 * refused whole, every problem named, before any row is read.
 */
export async function readMappingFile(file: string): Promise<CsvMapping> {
  const name = basename(file);
  let text: string;
  try {
    text = decodeJson(name, await readFile(file));
  } catch (error) {
    if (error instanceof ImportFileError) throw error;
    throw new ImportFileError(
      `Kan inte läsa mappningsfilen ${file}: ${describe(error)} (cannot read the mapping)`,
    );
  }
  let document: unknown;
  try {
    document = JSON.parse(text.replace(/^\uFEFF/u, ""));
  } catch (error) {
    throw new ImportFileError(
      `${name}: mappningsfilen är inte giltig JSON ${jsonErrorPlace(text, error)}(invalid JSON)`,
    );
  }
  const parsed = csvMappingSchema.safeParse(document);
  if (!parsed.success) {
    throw new ImportFileError(
      `${name}: mappningsfilen går inte att använda: ${mappingProblems(parsed.error).join("; ")}. Se avsnittet om mappningsfiler i docs/import-format.md (invalid mapping)`,
    );
  }
  return parsed.data;
}

function describe(error: unknown): string {
  if (error && typeof error === "object" && "code" in error && error.code === "ENOENT") {
    return "filen finns inte";
  }
  return error instanceof Error ? error.message : String(error);
}

// ---------------------------------------------------------------------------------------------
// Encodings

const SAVE_AS_UTF8 =
  "Spara filen som UTF-8, i Excel: Spara som → CSV UTF-8 (kommaavgränsad), och importera igen";

function byteName({ byte }: BytePlace): string {
  return `0x${byte.toString(16).toUpperCase().padStart(2, "0")}`;
}

function csvEncodingRefusal(name: string, finding: Exclude<EncodingFinding, { kind: "encoding" }>): string {
  switch (finding.kind) {
    case "utf-16-without-bom":
      return `${name}: filen ser ut att vara UTF-16 men saknar byteordningsmärke (BOM), så teckenkodningen går inte att avgöra säkert. ${SAVE_AS_UTF8} (UTF-16 without a byte order mark; save the file as CSV UTF-8)`;
    case "not-text": {
      const what =
        finding.place.byte < 0x20
          ? `styrtecknet ${byteName(finding.place)}, som inte förekommer i text`
          : `byten ${byteName(finding.place)}, som Windows-1252 inte använder`;
      return `${name}: teckenkodningen går inte att avgöra: filen är inte UTF-8 (byten ${byteName(finding.notUtf8)} på rad ${finding.notUtf8.line}) och inte heller Windows-1252, för rad ${finding.place.line} har ${what}. ${SAVE_AS_UTF8} (cannot tell the encoding: neither UTF-8 nor Windows-1252; save the file as CSV UTF-8)`;
    }
    case "mixed":
      return `${name}: filen blandar teckenkodningar: rad ${finding.utf8Line} är skriven i UTF-8 men rad ${finding.notUtf8.line} inte (byten ${byteName(finding.notUtf8)}), så en del av texten skulle bli fel hur filen än läses. Spara hela filen i en och samma kodning, helst UTF-8 (i Excel: Spara som → CSV UTF-8 (kommaavgränsad)), och importera igen (mixed encodings: part UTF-8, part not)`;
  }
}

/** JSON is UTF-8 (RFC 8259); a BOM for UTF-8 or UTF-16 is accepted, since editors on Windows write them. */
function decodeJson(name: string, bytes: Buffer): string {
  const finding = sniffEncoding(bytes);
  if (finding.kind === "encoding" && finding.encoding !== "windows-1252") {
    return decodeAll(bytes, finding.encoding);
  }
  const why =
    finding.kind === "utf-16-without-bom"
      ? "filen ser ut att vara UTF-16 utan byteordningsmärke (BOM)"
      : `byten ${byteName(finding.notUtf8)} på rad ${finding.notUtf8.line} är inte UTF-8`;
  throw new ImportFileError(
    `${name}: JSON-filen ska vara UTF-8, men ${why}. Spara filen som UTF-8 och importera igen (JSON must be UTF-8)`,
  );
}

// ---------------------------------------------------------------------------------------------
// JSON

const TOP_LEVEL_KEYS = ["registries", "bodies", "cases"] as const;

export function jsonSource(input: string, name = "import.json"): ImportSource {
  const text = input.replace(/^\uFEFF/u, "");
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new ImportFileError(`${name}: ogiltig JSON ${jsonErrorPlace(text, error)}(invalid JSON)`);
  }
  const tooDeep = lineNestedTooDeep(text, MAX_JSON_DEPTH);
  if (tooDeep !== null) {
    throw new ImportFileError(
      `${name}: på rad ${tooDeep} ligger värden mer än ${MAX_JSON_DEPTH} nivåer djupt i listor och objekt, men ett ärende i importformatet har högst ${FORMAT_DEPTH}; kontrollera att det är rätt fil (se docs/import-format.md) (nested more than ${MAX_JSON_DEPTH} levels deep)`,
    );
  }
  if (document === null || typeof document !== "object" || Array.isArray(document)) {
    throw new ImportFileError(
      `${name}: ska vara ett objekt { "registries": [...], "bodies": [...], "cases": [...] } (must be an object)`,
    );
  }
  const record = document as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (!(TOP_LEVEL_KEYS as readonly string[]).includes(key)) {
      throw new ImportFileError(
        `${name}: okänt fält ${JSON.stringify(key)}; kända fält är ${TOP_LEVEL_KEYS.join(", ")} (unknown top-level field)`,
      );
    }
  }
  for (const key of TOP_LEVEL_KEYS) {
    if (record[key] !== undefined && !Array.isArray(record[key])) {
      throw new ImportFileError(`${name}: ${key} ska vara en lista (must be an array)`);
    }
  }
  const starts = topLevelElementStarts(text);
  const items = (key: (typeof TOP_LEVEL_KEYS)[number]): SourceItem[] =>
    ((record[key] as unknown[] | undefined) ?? []).map((data, index) => ({
      line: starts.get(key)?.[index]?.line ?? 1,
      path: `${key}[${index}]`,
      data,
    }));
  const cases = items("cases");
  let read = 0;
  return {
    format: "json",
    name,
    registries: items("registries"),
    bodies: items("bodies"),
    cases: (async function* () {
      for (const item of cases) {
        read += 1;
        yield item;
      }
    })(),
    totalCases: cases.length,
    fractionRead: () => (cases.length === 0 ? 1 : read / cases.length),
    lineOf: (path) => jsonLineOf(text, starts, path),
  };
}

/** The format's deepest value: { cases: [ { referrals: [ { responses: [ { … } ] } ] } ] }. */
const FORMAT_DEPTH = 7;
/**
 * JSON.parse reads any depth, but the line lookup below and error messages walk values recursively;
 * a value nested deeper than this is no import file, and is refused before anything walks it.
 */
const MAX_JSON_DEPTH = 64;

/** The line where text already accepted by JSON.parse nests deeper than `limit`, or null. */
function lineNestedTooDeep(text: string, limit: number): number | null {
  let depth = 0;
  let line = 1;
  let inString = false;
  for (let index = 0; index < text.length; index += 1) {
    const character = text.charCodeAt(index);
    if (inString) {
      // A backslash escapes the character after it, which may be a quote.
      if (character === 0x5c) index += 1;
      else if (character === 0x22) inString = false;
    } else if (character === 0x22) inString = true;
    else if (character === 0x7b || character === 0x5b) {
      depth += 1;
      if (depth > limit) return line;
    } else if (character === 0x7d || character === 0x5d) depth -= 1;
    else if (character === 0x0a) line += 1;
  }
  return null;
}

function jsonErrorPlace(text: string, error: unknown): string {
  const position = /position (\d+)/.exec(error instanceof Error ? error.message : "")?.[1];
  if (position === undefined) return "";
  const line = text.slice(0, Number(position)).split("\n").length;
  return `på rad ${line} `;
}

type ElementStart = { offset: number; line: number };

/** Where each element of the top-level arrays starts; the text is known to be valid JSON. */
function topLevelElementStarts(text: string): Map<string, ElementStart[]> {
  const starts = new Map<string, ElementStart[]>();
  const scanner = new JsonScanner(text, 0, 1);
  scanner.whitespace();
  scanner.expect("{");
  scanner.whitespace();
  if (scanner.peek() === "}") return starts;
  for (;;) {
    scanner.whitespace();
    const key = scanner.string();
    scanner.whitespace();
    scanner.expect(":");
    scanner.whitespace();
    if (scanner.peek() === "[") {
      const list: ElementStart[] = [];
      starts.set(key, list);
      scanner.expect("[");
      scanner.whitespace();
      if (scanner.peek() === "]") scanner.expect("]");
      else {
        for (;;) {
          scanner.whitespace();
          list.push({ offset: scanner.position, line: scanner.line });
          scanner.skipValue();
          scanner.whitespace();
          if (scanner.next() === "]") break;
        }
      }
    } else {
      scanner.skipValue();
    }
    scanner.whitespace();
    if (scanner.next() === "}") break;
  }
  return starts;
}

/** Walks only the one top-level element the path is in, so a lookup costs the size of one case. */
function jsonLineOf(text: string, starts: Map<string, ElementStart[]>, path: string): number | undefined {
  const match = /^(\w+)\[(\d+)\]/.exec(path);
  if (match === null) return undefined;
  const [prefix, key = "", index = ""] = match;
  const start = starts.get(key)?.[Number(index)];
  if (start === undefined) return undefined;
  let best = start.line;
  let bestLength = 0;
  const scanner = new JsonScanner(text, start.offset, start.line);
  scanner.walk(prefix, (valuePath, line) => {
    const isPrefix =
      path === valuePath || path.startsWith(`${valuePath}.`) || path.startsWith(`${valuePath}[`);
    if (isPrefix && valuePath.length > bestLength) {
      best = line;
      bestLength = valuePath.length;
    }
    return path === valuePath;
  });
  return best;
}

class StopWalk extends Error {}

/** A minimal reader over text already accepted by JSON.parse; it tracks lines, nothing else. */
class JsonScanner {
  constructor(
    private readonly text: string,
    public position: number,
    public line: number,
  ) {}

  peek(): string {
    return this.text.charAt(this.position);
  }

  next(): string {
    const character = this.text.charAt(this.position);
    this.position += 1;
    return character;
  }

  expect(character: string): void {
    this.position += 1;
    if (this.text.charAt(this.position - 1) !== character) throw new Error("unexpected JSON");
  }

  whitespace(): void {
    for (;;) {
      const character = this.text.charAt(this.position);
      if (character === "\n") this.line += 1;
      else if (character !== " " && character !== "\t" && character !== "\r") return;
      this.position += 1;
    }
  }

  /** Reads a string; raw newlines cannot occur inside one in valid JSON. */
  string(): string {
    const start = this.position;
    this.expect('"');
    while (this.text.charAt(this.position) !== '"') {
      this.position += this.text.charAt(this.position) === "\\" ? 2 : 1;
    }
    this.position += 1;
    return JSON.parse(this.text.slice(start, this.position)) as string;
  }

  skipValue(): void {
    this.walkValue(null, () => false);
  }

  /** Calls visit for every value below `path`; stops when visit returns true. */
  walk(path: string, visit: (path: string, line: number) => boolean): void {
    try {
      this.walkValue(path, visit);
    } catch (error) {
      if (!(error instanceof StopWalk)) throw error;
    }
  }

  private walkValue(path: string | null, visit: (path: string, line: number) => boolean): void {
    this.whitespace();
    if (path !== null && visit(path, this.line)) throw new StopWalk();
    const character = this.peek();
    if (character === "{") {
      this.position += 1;
      this.whitespace();
      if (this.peek() === "}") {
        this.position += 1;
        return;
      }
      for (;;) {
        this.whitespace();
        const key = this.string();
        this.whitespace();
        this.expect(":");
        this.walkValue(path === null ? null : path === "" ? key : `${path}.${key}`, visit);
        this.whitespace();
        if (this.next() === "}") return;
      }
    }
    if (character === "[") {
      this.position += 1;
      this.whitespace();
      if (this.peek() === "]") {
        this.position += 1;
        return;
      }
      for (let index = 0; ; index += 1) {
        this.walkValue(path === null ? null : `${path}[${index}]`, visit);
        this.whitespace();
        if (this.next() === "]") return;
      }
    }
    if (character === '"') {
      this.string();
      return;
    }
    while (this.position < this.text.length && !/[\s,\]}]/.test(this.text.charAt(this.position))) {
      this.position += 1;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// CSV

const DELIMITERS = [",", ";", "\t"] as const;

/** Swedish spreadsheets save CSV with ";"; the header line tells which one this file uses. */
export function detectDelimiter(head: string): string {
  const firstLine = head.replace(/^\uFEFF/u, "").split(/\r\n|\r|\n/u, 1)[0] ?? "";
  const unquoted = firstLine.replace(/"[^"]*"/gu, "");
  let best: string = ",";
  let bestCount = 0;
  for (const delimiter of DELIMITERS) {
    const count = unquoted.split(delimiter).length - 1;
    if (count > bestCount) {
      best = delimiter;
      bestCount = count;
    }
  }
  return best;
}

/**
 * A record as the parser hands it on: its cells, the line it starts on, and the reports for records
 * just before it that the parser could not read.
 */
type CsvRecord = {
  fieldCount: number;
  /** The fields, cut out only when asked for. */
  cells(): string[];
  line: number;
  before: SourceItem[];
  raw: string;
};

/** What csv-parse's errors carry, as far as lines are concerned. */
type CsvParseError = { code: string; message: string; column?: unknown; bytes?: unknown; raw?: unknown };

/** A record the parser could not read: where it starts, and where the damage ends once known. */
type BrokenRecord = { line: number; field: string; error: CsvParseError };

/**
 * A CSV source from a file's text. The header is read before this returns, so a file with an
 * unusable header fails as a whole; the records are then parsed one by one as they are asked for.
 */
export async function csvSource(
  text: string,
  options: { name?: string; mapping?: CsvMapping } = {},
): Promise<ImportSource> {
  const name = options.name ?? "import.csv";
  const delimiter = detectDelimiter(text.slice(0, 64 * 1024));
  const reader = isRegularCsv(text, delimiter)
    ? regularReader(text, delimiter)
    : csvParseReader(text, delimiter);
  const { records } = reader;

  let first: IteratorResult<CsvRecord>;
  try {
    first = await records.next();
  } catch (error) {
    throw new ImportFileError(`${name}: ${describe(error)}`);
  }
  const headerError = reader.headerError();
  if (headerError !== null) {
    reader.stop();
    throw new ImportFileError(`${name}: rubrikraden kan inte läsas: ${headerError}`);
  }
  if (first.done) {
    throw new ImportFileError(`${name}: filen är tom; första raden ska vara rubrikraden (the file is empty)`);
  }
  let columns: string[];
  let mapped: MappedHeader | null = null;
  try {
    if (options.mapping) {
      columns = first.value.cells();
      mapped = readMappedHeader(name, options.mapping, columns);
    } else {
      columns = readHeader(name, first.value.cells());
    }
  } catch (error) {
    reader.stop();
    throw error;
  }
  const mapping = options.mapping;
  let lastLine = first.value.line;

  async function* cases(): AsyncGenerator<SourceItem> {
    for (;;) {
      let result: IteratorResult<CsvRecord>;
      try {
        result = await records.next();
      } catch (error) {
        yield* reader.skipped();
        yield { line: lastLine + 1, path: "", data: null, error: `CSV: ${describe(error)}` };
        return;
      }
      if (result.done) {
        yield* reader.rest();
        return;
      }
      const { fieldCount, cells, line, before, raw } = result.value;
      yield* before;
      lastLine = line;
      if (fieldCount !== columns.length) {
        yield {
          line,
          path: "",
          data: null,
          error: `Raden har ${fieldCount} fält men rubrikraden har ${columns.length} (the row has ${fieldCount} fields, the header ${columns.length})`,
        };
        continue;
      }
      if (mapping && mapped) {
        const row = mapRow(mapping, mapped, cells());
        yield row.ok
          ? { line, path: "", data: row.cells }
          : { line, path: "", data: null, error: row.reason };
        continue;
      }
      yield csvItem(line, columns, cells, raw);
    }
  }

  return {
    format: "csv",
    name,
    registries: [],
    bodies: [],
    cases: cases(),
    totalCases: null,
    fractionRead: () => reader.fractionRead(),
    lineOf: () => undefined,
    ...(mapping ? {} : { readingOf: JSON.stringify({ delimiter, columns, parser: reader.kind }) }),
  };
}

/**
 * A record as the import's columns, made only when asked for: a sync passes over the rows it
 * knows by their fingerprint (of `raw`, the record's text in the file) without reading them.
 */
function csvItem(
  line: number,
  columns: readonly string[],
  cells: () => readonly string[],
  raw: string,
): SourceItem {
  let data: Record<string, string> | undefined;
  return {
    line,
    path: "",
    raw,
    get data() {
      if (data === undefined) {
        const record = cells();
        data = {};
        for (const [index, column] of columns.entries()) data[column] = record[index] ?? "";
      }
      return data;
    },
  };
}

/** Records in file order, from whichever parser reads the file. */
type CsvReader = {
  /** Which parser: the same raw text reads alike only by the same one. */
  kind: "regular" | "csv-parse";
  records: { next(): IteratorResult<CsvRecord> | Promise<IteratorResult<CsvRecord>> };
  /** Why the header line could not be read; known once the first record is asked for. */
  headerError(): string | null;
  /** Reports of records skipped and not yet handed on. */
  skipped(): SourceItem[];
  /** At the end of the file: the reports still held. */
  rest(): SourceItem[];
  stop(): void;
  fractionRead(): number;
};

/** Regular CSV (regular-csv.ts): nothing to skip, nothing to report. */
function regularReader(text: string, delimiter: string): CsvReader {
  const lines = regularCsvRecords(text, delimiter);
  let done = 0;
  return {
    kind: "regular",
    records: {
      next: () => {
        const next = lines.next();
        if (next.done) {
          done = text.length;
          return { done: true, value: undefined };
        }
        done = next.value.at;
        const { line, raw, fieldCount } = next.value;
        const cells = () => regularCsvCells(raw, delimiter);
        return { done: false, value: { fieldCount, cells, line, before: [], raw } };
      },
    },
    headerError: () => null,
    skipped: () => [],
    rest: () => [],
    stop: () => {},
    fractionRead: () => (text.length > 0 ? done / text.length : 0),
  };
}

/** Any other CSV, through csv-parse, with each record it cannot read reported in its place. */
function csvParseReader(text: string, delimiter: string): CsvReader {
  // csv-parse reads bytes and says where a record ends by its byte offset.
  const bytes = Buffer.from(text);
  const lines = new LineIndex(bytes);

  // Records the parser had to skip (a broken quote), reported as rejected rows in their place. A
  // broken quote can swallow the rows after it, so each report says which lines were lost, which is
  // known only once the parser finds the next record or the end of the file; the report then goes
  // along with that record, so rows are reported in the order of the file.
  const skipped: SourceItem[] = [];
  let broken: BrokenRecord | null = null;
  let header: string[] | null = null;
  let headerError: string | null = null;
  const closeBroken = (lastLine: number) => {
    if (broken === null) return;
    skipped.push({
      line: broken.line,
      path: "",
      data: null,
      error: describeCsvError(broken, Math.max(broken.line, lastLine)),
    });
    broken = null;
  };

  const onRecord = ({ record, raw }: { record: string[]; raw: string }, context: InfoRecord): CsvRecord => {
    // The record ends on the line of its last byte; its quoted fields hold the line breaks between
    // its first line and that one.
    const end = lines.lineAt(context.bytes - 1);
    const line = end - record.reduce((count, cell) => count + countLineBreaks(cell), 0);
    closeBroken(line - 1 - leadingLineBreaks(raw));
    header ??= record.map((cell) => cell.trim().toLowerCase());
    // csv-parse's raw text of a record depends on the file around it (which line end it took), so
    // the record is known by its cells here.
    const known = JSON.stringify(record);
    return { fieldCount: record.length, cells: () => record, line, before: skipped.splice(0), raw: known };
  };
  const parser = parse({
    bom: false,
    delimiter,
    raw: true,
    relax_column_count: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    // csv-parse types on_record as giving back a record of the shape it was given.
    on_record: onRecord as unknown as Options["on_record"],
    on_skip: (csvError: CsvError | undefined): undefined => {
      if (csvError === undefined) return;
      const error = csvError as CsvParseError;
      const line = brokenFieldLine(error, lines);
      const field = fieldName(header, error.column);
      if (header === null) {
        // An unclosed quote is only noticed at the end of the file, so its extent is known here.
        const last = error.code === "CSV_QUOTE_NOT_CLOSED" ? lines.lastLine() : line;
        headerError ??= describeCsvError({ line, field, error }, last);
        return;
      }
      // More errors in the field already reported (the quote left open to the end) say nothing new.
      if (broken?.line === line) return;
      closeBroken(line - 1);
      broken = { line, field, error };
    },
  });
  // The parser is handed the bytes in pieces, as from a file, so it holds few records at a time.
  let bytesRead = 0;
  function* pieces(): Generator<Buffer> {
    while (bytesRead < bytes.length) {
      const piece = bytes.subarray(bytesRead, bytesRead + 64 * 1024);
      bytesRead += piece.length;
      yield piece;
    }
  }
  const parsed = pipeline(Readable.from(pieces()), parser, () => {
    // Errors reach the reader below through the parser.
  });
  return {
    kind: "csv-parse",
    records: parsed[Symbol.asyncIterator]() as AsyncIterator<CsvRecord>,
    headerError: () => headerError,
    skipped: () => skipped.splice(0),
    rest: () => {
      closeBroken(lines.lastLine());
      return skipped.splice(0);
    },
    stop: () => parsed.destroy(),
    fractionRead: () => (bytes.length > 0 ? bytesRead / bytes.length : 0),
  };
}

/**
 * The line where the field the parser choked on starts. csv-parse gives the offset of the delimiter
 * before that field, or, for the first field, of the end of the record before: then the text it had
 * read of this record, blank lines first, says how many lines further on the field starts. A quoted
 * field starts with its opening quote, so this is also where an unclosed quote opened.
 */
function brokenFieldLine(error: CsvParseError, lines: LineIndex): number {
  const offset = typeof error.bytes === "number" ? error.bytes : 0;
  if (typeof error.column === "number" && error.column > 0) return lines.lineAt(offset);
  return lines.lineAt(offset) + leadingLineBreaks(typeof error.raw === "string" ? error.raw : "");
}

function fieldName(header: string[] | null, column: unknown): string {
  if (typeof column === "string") return column;
  if (typeof column !== "number") return "";
  return header?.[column] ?? `kolumn ${column + 1}`;
}

/** The report for a record the parser could not read, naming the field and the lines lost. */
function describeCsvError({ line, field, error }: BrokenRecord, lastLine: number): string {
  const prefix = field === "" ? "" : `${field}: `;
  const lost =
    lastLine > line
      ? {
          sv: ` Raderna ${line}–${lastLine} lästes därför inte.`,
          en: `; lines ${line}–${lastLine} were not read`,
        }
      : { sv: "", en: "" };
  switch (error.code) {
    case "CSV_QUOTE_NOT_CLOSED":
      return `${prefix}Citattecknet som inleder fältet stängs aldrig, så resten av filen lästes som en del av fältet.${lost.sv} Avsluta fältet med " och skriv citattecken inuti ett fält dubbelt ("") (unclosed quote${lost.en})`;
    case "CSV_INVALID_CLOSING_QUOTE":
      return `${prefix}Fältet börjar med citattecken men har ett citattecken inuti som inte är dubblerat, så det går inte att se var fältet slutar.${lost.sv} Skriv citattecken inuti ett fält dubbelt ("") (a quote inside a quoted field must be doubled${lost.en})`;
    case "INVALID_OPENING_QUOTE":
      return `${prefix}Fältet innehåller ett citattecken men börjar inte med ett.${lost.sv} Omge hela fältet med citattecken och skriv citattecknet inuti dubbelt ("") (a quote in an unquoted field${lost.en})`;
    default:
      return `${prefix}CSV: ${error.message}${lost.sv}`;
  }
}

function readHeader(name: string, cells: string[]): string[] {
  const header = cells.map((cell) => cell.trim().toLowerCase());
  const known = new Set<string>(CSV_COLUMNS);
  const unknown = header.filter((column) => !known.has(column));
  if (unknown.length > 0) {
    throw new ImportFileError(
      `${name}: okänd kolumn ${unknown.map((column) => JSON.stringify(column)).join(", ")} i rubrikraden; kända kolumner: ${CSV_COLUMNS.join(", ")}. Är filen en rapport ur diariet, importera den med --mapping (unknown column)`,
    );
  }
  const duplicate = header.find((column, index) => header.indexOf(column) !== index);
  if (duplicate !== undefined) {
    throw new ImportFileError(
      `${name}: kolumnen ${JSON.stringify(duplicate)} finns två gånger (duplicate column)`,
    );
  }
  requireColumns(name, header);
  return header;
}

/** A diarium report read through a mapping: every column the mapping names must be in the header. */
function readMappedHeader(name: string, mapping: CsvMapping, cells: string[]): MappedHeader {
  const result = mapHeader(mapping, cells);
  if (!result.ok) {
    const present = cells.map((cell) => JSON.stringify(cell.trim())).join(", ");
    throw new ImportFileError(
      `${name}: mappningsfilen nämner ${result.missing.map((column) => JSON.stringify(column)).join(", ")}, men rubrikraden har ingen sådan kolumn; rubrikraden har ${present} (a mapped column is missing)`,
    );
  }
  requireColumns(name, result.header.columns, true);
  return result.header;
}

function requireColumns(name: string, header: readonly string[], mapped = false): void {
  // Through a mapping, a column comes from the report or from `constants`.
  const where = mapped ? "mappningsfilen ger inget värde för" : "rubrikraden saknar";
  const how = mapped ? "; mappa en kolumn i rapporten till det eller ange det under constants" : "";
  const missing = REQUIRED_CSV_COLUMNS.filter((column) => !header.includes(column));
  if (missing.length > 0) {
    throw new ImportFileError(`${name}: ${where} ${missing.join(", ")}${how} (required columns are missing)`);
  }
  if (!header.includes("dnr") && !header.includes("identifiers")) {
    throw new ImportFileError(`${name}: ${where} dnr eller identifiers${how} (dnr or identifiers is needed)`);
  }
}
