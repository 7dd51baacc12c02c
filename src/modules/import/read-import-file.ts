import { createReadStream } from "node:fs";
import { open, readFile, stat } from "node:fs/promises";
import { basename, extname } from "node:path";
import { Readable } from "node:stream";
import { type Info, parse } from "csv-parse";
import { CSV_COLUMNS, REQUIRED_CSV_COLUMNS } from "./import.schema.js";

/**
 * Reads an import file into rows that know where they came from. Rows are not validated here (that
 * is the schema's job, row by row, so one bad row never stops the others); only a file that cannot
 * be read as a whole (missing, not JSON, a CSV header with unknown columns) is an ImportFileError.
 */

/** One row: a JSON array element or a CSV record. `path` is "cases[3]" in JSON and "" in CSV. */
export type SourceItem = { line: number; path: string; data: unknown; error?: string };

export type ImportSource = {
  format: "json" | "csv";
  /** The file's name, for messages. */
  name: string;
  registries: SourceItem[];
  bodies: SourceItem[];
  /** Streamed for CSV, so a file of any size is never held in memory at once. */
  cases: AsyncIterable<SourceItem>;
  /** Known for JSON; for CSV only the share read so far is known. */
  totalCases: number | null;
  /** Share of the source read so far, 0 to 1. */
  fractionRead(): number;
  /** The line of the value at a path such as "cases[3].referrals[0].body", or of its nearest parent. */
  lineOf(path: string): number | undefined;
};

/** The file as a whole cannot be read; the CLI answers with exit code 2. */
export class ImportFileError extends Error {
  override name = "ImportFileError";
}

export async function readImportFile(file: string): Promise<ImportSource> {
  const name = basename(file);
  let size: number;
  try {
    const info = await stat(file);
    if (!info.isFile()) throw new ImportFileError(`${file} är ingen fil (not a file)`);
    size = info.size;
  } catch (error) {
    if (error instanceof ImportFileError) throw error;
    throw new ImportFileError(`Kan inte läsa ${file}: ${describe(error)} (cannot read the file)`);
  }
  const extension = extname(file).toLowerCase();
  if (extension === ".json") {
    let text: string;
    try {
      text = await readFile(file, "utf8");
    } catch (error) {
      throw new ImportFileError(`Kan inte läsa ${file}: ${describe(error)} (cannot read the file)`);
    }
    return jsonSource(text, name);
  }
  if (extension === ".csv") {
    const head = await readHead(file);
    return csvSource(createReadStream(file), { name, totalBytes: size, head });
  }
  throw new ImportFileError(
    `${name}: okänt filformat ${JSON.stringify(extension)}; använd .json eller .csv (unknown file type)`,
  );
}

function describe(error: unknown): string {
  if (error && typeof error === "object" && "code" in error && error.code === "ENOENT") {
    return "filen finns inte";
  }
  return error instanceof Error ? error.message : String(error);
}

async function readHead(file: string): Promise<string> {
  const handle = await open(file, "r");
  try {
    const buffer = Buffer.alloc(64 * 1024);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    return buffer.subarray(0, bytesRead).toString("utf8");
  } finally {
    await handle.close();
  }
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
  const firstLine = head.replace(/^\uFEFF/u, "").split(/\r?\n/u, 1)[0] ?? "";
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

type CsvRecord = { record: string[]; info: Info };

/**
 * A CSV source from a stream or a string. The header is read before this returns, so a file with an
 * unusable header fails as a whole; the records are then streamed one by one.
 */
export async function csvSource(
  input: Readable | string,
  options: { name?: string; totalBytes?: number; head?: string } = {},
): Promise<ImportSource> {
  const name = options.name ?? "import.csv";
  const isText = typeof input === "string";
  const totalBytes = options.totalBytes ?? (isText ? Buffer.byteLength(input) : 0);
  const delimiter = detectDelimiter(options.head ?? (isText ? input.slice(0, 64 * 1024) : ""));
  const stream = isText ? Readable.from([Buffer.from(input)]) : input;
  const parser = stream.pipe(
    parse({
      bom: true,
      delimiter,
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
      skip_records_with_error: true,
    }),
  );
  stream.on("error", (error) => parser.destroy(error));
  // Records the parser had to skip (a broken quote); reported as rejected rows in their place.
  const skipped: SourceItem[] = [];
  parser.on("skip", (error: Error & { lines?: number }) => {
    skipped.push({ line: error.lines ?? 0, path: "", data: null, error: `CSV: ${error.message}` });
  });
  const records = parser[Symbol.asyncIterator]() as AsyncIterator<CsvRecord>;

  let first: IteratorResult<CsvRecord>;
  try {
    first = await records.next();
  } catch (error) {
    throw new ImportFileError(`${name}: ${describe(error)}`);
  }
  if (first.done) {
    throw new ImportFileError(`${name}: filen är tom; första raden ska vara rubrikraden (the file is empty)`);
  }
  const header = readHeader(name, first.value.record);
  let bytesRead = first.value.info.bytes;
  let lastLine = first.value.info.lines;

  async function* cases(): AsyncGenerator<SourceItem> {
    for (;;) {
      let result: IteratorResult<CsvRecord>;
      try {
        result = await records.next();
      } catch (error) {
        yield* skipped.splice(0);
        yield { line: lastLine + 1, path: "", data: null, error: `CSV: ${describe(error)}` };
        return;
      }
      yield* skipped.splice(0);
      if (result.done) return;
      const { record, info } = result.value;
      bytesRead = info.bytes;
      lastLine = info.lines;
      // info.lines is the line the record ends on; a quoted field may span several lines.
      const line = info.lines - record.reduce((count, cell) => count + countNewlines(cell), 0);
      if (record.length !== header.length) {
        yield {
          line,
          path: "",
          data: null,
          error: `Raden har ${record.length} fält men rubrikraden har ${header.length} (the row has ${record.length} fields, the header ${header.length})`,
        };
        continue;
      }
      const data: Record<string, string> = {};
      for (const [index, column] of header.entries()) data[column] = record[index] ?? "";
      yield { line, path: "", data };
    }
  }

  return {
    format: "csv",
    name,
    registries: [],
    bodies: [],
    cases: cases(),
    totalCases: null,
    fractionRead: () => (totalBytes > 0 ? Math.min(1, bytesRead / totalBytes) : 0),
    lineOf: () => undefined,
  };
}

function countNewlines(text: string): number {
  let count = 0;
  for (let index = text.indexOf("\n"); index !== -1; index = text.indexOf("\n", index + 1)) count += 1;
  return count;
}

function readHeader(name: string, cells: string[]): string[] {
  const header = cells.map((cell) => cell.trim().toLowerCase());
  const known = new Set<string>(CSV_COLUMNS);
  const unknown = header.filter((column) => !known.has(column));
  if (unknown.length > 0) {
    throw new ImportFileError(
      `${name}: okänd kolumn ${unknown.map((column) => JSON.stringify(column)).join(", ")} i rubrikraden; kända kolumner: ${CSV_COLUMNS.join(", ")} (unknown column)`,
    );
  }
  const duplicate = header.find((column, index) => header.indexOf(column) !== index);
  if (duplicate !== undefined) {
    throw new ImportFileError(
      `${name}: kolumnen ${JSON.stringify(duplicate)} finns två gånger (duplicate column)`,
    );
  }
  const missing = REQUIRED_CSV_COLUMNS.filter((column) => !header.includes(column));
  if (missing.length > 0) {
    throw new ImportFileError(
      `${name}: rubrikraden saknar ${missing.join(", ")} (the header lacks required columns)`,
    );
  }
  if (!header.includes("dnr") && !header.includes("identifiers")) {
    throw new ImportFileError(
      `${name}: rubrikraden behöver kolumnen dnr eller identifiers (the header needs dnr or identifiers)`,
    );
  }
  return header;
}
