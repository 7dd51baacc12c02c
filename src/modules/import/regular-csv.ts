/**
 * CSV written the regular way (RFC 4180), read fast: fields quoted with " and inner quotes doubled,
 * a quote nowhere else, every line ending alike (\n or \r\n). Diarium reports and Excel write CSV
 * like this. csv-parse costs 10–20 µs a record, more than everything else a sync does with a row it
 * already knows; this costs about one.
 *
 * Text with anything irregular in it is not read here at all (`isRegularCsv` is false): csv-parse
 * reads it, and its reports of broken quotes stay what they are (read-import-file.ts). Records are
 * what csv-parse gives with the options used there: empty lines skipped, fields neither trimmed nor
 * cast, and each record's line the line it starts on.
 */

/**
 * A record, its fields not yet cut out: a sync passes over most records knowing them by their text.
 * `raw`: the record's text, line end excluded; `at`: where the text after the record starts.
 */
export type CsvLine = { line: number; raw: string; fieldCount: number; at: number };

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;

export function isRegularCsv(text: string, delimiter: string): boolean {
  try {
    for (const _ of scan(text, delimiter, "check")) {
      // Nothing is collected: the scan only has to get to the end.
    }
    return true;
  } catch (error) {
    if (error instanceof IrregularCsv) return false;
    throw error;
  }
}

/** The records of text `isRegularCsv` accepts, one at a time. */
export function regularCsvRecords(text: string, delimiter: string): Generator<CsvLine> {
  return scan(text, delimiter, "records");
}

/** The fields of one record's `raw` text. */
export function regularCsvCells(raw: string, delimiter: string): string[] {
  const cells: string[] = [];
  for (const _ of scan(raw, delimiter, "cells", cells)) break;
  return cells;
}

class IrregularCsv extends Error {}

/** check: only whether the text is regular; records: where each record is; cells: its fields too. */
function* scan(
  text: string,
  delimiter: string,
  mode: "check" | "records" | "cells",
  cells: string[] = [],
): Generator<CsvLine> {
  const collect = mode === "cells";
  if (delimiter.length !== 1) throw new IrregularCsv();
  const separator = delimiter.charCodeAt(0);
  const end = text.length;
  // The first line end decides; csv-parse takes that one for the whole file.
  let crlf: boolean | null = null;
  let line = 1;
  let at = 0;
  let nextSeparator = -1;
  let nextLf = -1;
  let nextCr = -1;
  let nextQuote = -1;
  /** Where the next `what` is from `from` on; the end of the text when there is none. */
  const find = (what: string, from: number) => {
    const found = text.indexOf(what, from);
    return found < 0 ? end : found;
  };
  while (at < end) {
    const first = text.charCodeAt(at);
    if (first === LF || first === CR) {
      at = lineEnd(at);
      line += 1;
      continue;
    }
    const startLine = line;
    const start = at;
    let fieldCount = 0;
    for (;;) {
      let value: string;
      if (text.charCodeAt(at) === QUOTE) {
        let from = at + 1;
        let escaped = false;
        for (;;) {
          const close = text.indexOf('"', from);
          if (close < 0) throw new IrregularCsv();
          line += lineBreaks(from, close);
          if (text.charCodeAt(close + 1) === QUOTE) {
            escaped = true;
            from = close + 2;
            continue;
          }
          value = collect ? text.slice(at + 1, close) : "";
          if (escaped && collect) value = value.replaceAll('""', '"');
          at = close + 1;
          break;
        }
        const next = at < end ? text.charCodeAt(at) : -1;
        if (next !== -1 && next !== separator && next !== LF && next !== CR) throw new IrregularCsv();
      } else {
        // The field ends at the next delimiter or line end; a quote before that makes the file
        // irregular. Each is found with indexOf and kept until passed: far faster than a loop.
        if (nextSeparator < at) nextSeparator = find(delimiter, at);
        if (nextLf < at) nextLf = find("\n", at);
        if (nextCr < at) nextCr = find("\r", at);
        if (nextQuote < at) nextQuote = find('"', at);
        const fieldEnd = Math.min(nextSeparator, nextLf, nextCr);
        if (nextQuote < fieldEnd) throw new IrregularCsv();
        value = collect ? text.slice(at, fieldEnd) : "";
        at = fieldEnd;
      }
      fieldCount += 1;
      if (collect) cells.push(value);
      if (at < end && text.charCodeAt(at) === separator) {
        at += 1;
        continue;
      }
      break;
    }
    // A lone "" on a line is a record csv-parse may see as empty; leave such a file to it.
    if (at - start === 2 && text.charCodeAt(start) === QUOTE) throw new IrregularCsv();
    const raw = mode === "check" ? "" : text.slice(start, at);
    if (at < end) {
      at = lineEnd(at);
      line += 1;
    }
    if (mode !== "check") yield { line: startLine, raw, fieldCount, at };
  }

  /** Past the line end at `at`, which must be of the file's one kind. */
  function lineEnd(at: number): number {
    const isCrlf = text.charCodeAt(at) === CR;
    if (isCrlf && text.charCodeAt(at + 1) !== LF) throw new IrregularCsv();
    crlf ??= isCrlf;
    if (crlf !== isCrlf) throw new IrregularCsv();
    return at + (isCrlf ? 2 : 1);
  }

  /** Line breaks inside a quoted field, counted as the line index counts them (\r\n as one). */
  function lineBreaks(from: number, to: number): number {
    let count = 0;
    for (let index = from; index < to; index += 1) {
      const code = text.charCodeAt(index);
      if (code === LF || (code === CR && text.charCodeAt(index + 1) !== LF)) count += 1;
    }
    return count;
  }
}
