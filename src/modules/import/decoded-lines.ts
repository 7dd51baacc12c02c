import { Transform, type TransformCallback } from "node:stream";
import { createDecoding, type TextDecoding, type TextEncoding } from "./text-encoding.js";

const LF = 0x0a;
const CR = 0x0d;
/** Line starts already passed are dropped in slices of this size, so memory stays flat. */
const DROP_AFTER = 4096;

/**
 * Decodes a file's bytes to UTF-8 for the CSV parser and remembers where each line starts, so that the
 * parser's byte offset of a record gives the record's line in the file. csv-parse's own line count is
 * not used: it counts a CRLF inside a quoted field as two lines, and says where an unclosed quote was
 * noticed (the end of the file) rather than where it opened.
 *
 * Lines are counted as an editor shows them: LF, CRLF and a lone CR each end one.
 */
export class DecodedLines extends Transform {
  /** Bytes of the file read so far, for progress. */
  bytesIn = 0;
  private bytesOut = 0;
  /** The last byte that is not a line break: trailing blank lines belong to no record. */
  private lastContent = 0;
  private readonly decoding: TextDecoding;
  private starts: number[] = [];
  private dropped = 0;
  private next = 0;
  private afterCR = false;

  constructor(encoding: TextEncoding) {
    super();
    this.decoding = createDecoding(encoding);
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.bytesIn += chunk.length;
    this.forward(this.decoding.decode(chunk));
    done();
  }

  override _flush(done: TransformCallback): void {
    this.forward(this.decoding.end());
    done();
  }

  /**
   * The line of the byte at `offset` in the decoded text. The parser reads forward, so offsets asked
   * for only grow; lines before the last one asked for are forgotten.
   */
  lineAt(offset: number): number {
    while (this.next < this.starts.length && (this.starts[this.next] ?? Number.POSITIVE_INFINITY) <= offset) {
      this.next += 1;
    }
    while (this.next > 0 && (this.starts[this.next - 1] ?? 0) > offset) this.next -= 1;
    const line = 1 + this.dropped + this.next;
    if (this.next >= DROP_AFTER) {
      this.starts = this.starts.slice(this.next);
      this.dropped += this.next;
      this.next = 0;
    }
    return line;
  }

  /** The last line with anything on it: where a record left unfinished at the end of the file ends. */
  lastLine(): number {
    return this.lineAt(this.lastContent);
  }

  private forward(text: string): void {
    if (text === "") return;
    const bytes = Buffer.from(text, "utf8");
    for (let index = 0; index < bytes.length; index += 1) {
      const byte = bytes[index];
      if (this.afterCR) {
        this.afterCR = false;
        if (byte === LF) {
          this.starts.push(this.bytesOut + index + 1);
          continue;
        }
        this.starts.push(this.bytesOut + index);
      }
      if (byte === CR) this.afterCR = true;
      else if (byte === LF) this.starts.push(this.bytesOut + index + 1);
      else this.lastContent = this.bytesOut + index;
    }
    this.bytesOut += bytes.length;
    this.push(bytes);
  }
}

/** Line breaks in a piece of text, counted as DecodedLines counts them. */
export function countLineBreaks(text: string): number {
  let count = 0;
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (code === LF) count += 1;
    else if (code === CR) {
      count += 1;
      if (text.charCodeAt(index + 1) === LF) index += 1;
    }
  }
  return count;
}

/** Line breaks at the start of a piece of text: the blank lines a parser skipped before a record. */
export function leadingLineBreaks(text: string): number {
  const match = /^[\r\n]*/u.exec(text)?.[0] ?? "";
  return countLineBreaks(match);
}
