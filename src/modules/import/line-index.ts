/** A line break as an editor counts one: LF, CRLF or a lone CR. */
const LINE_BREAK = /\r\n|\r|\n/gu;
const LF = 0x0a;
const CR = 0x0d;

/**
 * The line of each byte of a CSV file's UTF-8 text, so that the parser's byte offset of a record gives
 * the record's line in the file. csv-parse's own line count is not used: it counts a CRLF inside a
 * quoted field as two lines, and says where an unclosed quote was noticed (the end of the file) rather
 * than where it opened.
 */
export class LineIndex {
  /** Where each line but the first starts. */
  private readonly starts: number[] = [];
  /** The last byte that is not a line break: trailing blank lines belong to no record. */
  private lastContent = 0;

  constructor(bytes: Uint8Array) {
    for (let offset = 0; offset < bytes.length; offset += 1) {
      const byte = bytes[offset];
      if (byte === LF || (byte === CR && bytes[offset + 1] !== LF)) this.starts.push(offset + 1);
      else if (byte !== CR) this.lastContent = offset;
    }
  }

  /** The line of the byte at `offset`. */
  lineAt(offset: number): number {
    let low = 0;
    let high = this.starts.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((this.starts[middle] ?? 0) <= offset) low = middle + 1;
      else high = middle;
    }
    return low + 1;
  }

  /** The last line with anything on it: where a record left unfinished at the end of the file ends. */
  lastLine(): number {
    return this.lineAt(this.lastContent);
  }
}

/** Line breaks in a piece of text, counted as LineIndex counts them. */
export function countLineBreaks(text: string): number {
  return text.match(LINE_BREAK)?.length ?? 0;
}

/** Line breaks at the start of a piece of text: the blank lines a parser skipped before a record. */
export function leadingLineBreaks(text: string): number {
  return countLineBreaks(/^[\r\n]*/u.exec(text)?.[0] ?? "");
}
