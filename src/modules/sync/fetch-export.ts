import { createHash } from "node:crypto";
import { readdir, readFile, stat } from "node:fs/promises";
import { basename, extname, join } from "node:path";
import type { SyncConfig } from "../../config.js";
import { SyncSourceError } from "./errors.js";

/** One export of the diarium, as read from the folder or the URL. */
export type DiariumExport = {
  /** The file's name (the URL's last part, or what Content-Disposition says), with its extension. */
  name: string;
  bytes: Buffer;
};

/** The formats the importer reads, by extension. */
const EXPORT_EXTENSIONS = new Set([".xml", ".json", ".csv"]);
/**
 * An export larger than this is refused rather than read into memory: it is decoded into one string,
 * and V8's strings end at about 512 million characters (a 100,000-case CSV is about 30 MB).
 */
export const MAX_EXPORT_BYTES = 256 * 1024 * 1024;
/** A file modified more recently than this may still be being written; the next sync takes it. */
const SETTLE_MS = 2_000;
const FETCH_TIMEOUT_MS = 5 * 60_000;

export type FetchExport = (
  source: SyncConfig["source"],
  header: SyncConfig["header"],
) => Promise<DiariumExport | null>;

/**
 * The newest export: in a folder, the most recently modified .xml, .json or .csv file (a name starting
 * with "." or "~", as a copy still being written often has, is passed over); at a URL, what it serves
 * now. Null when the folder holds no export yet.
 */
export const fetchNewestExport: FetchExport = async (source, header) =>
  source.kind === "folder" ? newestInFolder(source.path) : await fromUrl(source.url, header);

/**
 * What an export is known by: its bytes, and the mapping it is read through, so a corrected mapping
 * makes the same export a new version that is read again.
 */
export function exportVersion(bytes: Buffer, mapping: unknown): string {
  const hash = createHash("sha256").update(bytes);
  if (mapping !== undefined) hash.update("\0mapping:").update(JSON.stringify(mapping));
  return hash.digest("hex");
}

async function newestInFolder(folder: string): Promise<DiariumExport | null> {
  let names: string[];
  try {
    names = await readdir(folder);
  } catch (error) {
    throw new SyncSourceError(`mappen ${folder} kan inte läsas: ${reason(error)}`);
  }
  const candidates = await Promise.all(
    names
      .filter((name) => EXPORT_EXTENSIONS.has(extname(name).toLowerCase()) && !/^[.~]/.test(name))
      .map(async (name) => {
        const info = await stat(join(folder, name)).catch(() => null);
        // A file still being written (modified a moment ago) waits for the next sync.
        const settled = info && Date.now() - info.mtimeMs >= SETTLE_MS;
        return info?.isFile() && settled ? { name, modified: info.mtimeMs, size: info.size } : null;
      }),
  );
  const newest = candidates
    .filter((candidate) => candidate !== null)
    .sort((a, b) => b.modified - a.modified || b.name.localeCompare(a.name))[0];
  if (!newest) return null;
  if (newest.size > MAX_EXPORT_BYTES) throw new SyncSourceError(tooLarge(newest.name, newest.size));
  let bytes: Buffer;
  try {
    bytes = await readFile(join(folder, newest.name));
  } catch (error) {
    throw new SyncSourceError(`${newest.name} kan inte läsas: ${reason(error)}`);
  }
  return { name: newest.name, bytes };
}

async function fromUrl(url: string, header: SyncConfig["header"]): Promise<DiariumExport> {
  let response: Response;
  try {
    response = await fetch(url, {
      headers: header ? { [header[0]]: header[1] } : {},
      signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
      // Followed, a redirect would take ARENDE_SYNC_AUTH's header to whatever host it names.
      redirect: "manual",
    });
  } catch (error) {
    throw new SyncSourceError(`${displayUrl(url)} svarar inte: ${reason(error)}`);
  }
  if (response.status >= 300 && response.status < 400) {
    const target = response.headers.get("location") ?? "";
    throw new SyncSourceError(
      `${displayUrl(url)} svarade med en omdirigering${target ? ` till ${safeLocation(target, url)}` : ""}; ange den slutliga adressen i ARENDE_SYNC_SOURCE`,
    );
  }
  if (!response.ok) {
    const hint = response.status === 401 || response.status === 403 ? "; kontrollera ARENDE_SYNC_AUTH" : "";
    throw new SyncSourceError(`${displayUrl(url)} svarade HTTP ${response.status}${hint}`);
  }
  const declared = Number(response.headers.get("content-length") ?? Number.NaN);
  const name = exportName(url, response.headers);
  if (declared > MAX_EXPORT_BYTES) throw new SyncSourceError(tooLarge(name, declared));
  return { name, bytes: await readAtMost(response, name) };
}

/** The body, refused as soon as it passes the limit (a server need not say its length). */
async function readAtMost(response: Response, name: string): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (!response.body) return Buffer.alloc(0);
  for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
    size += chunk.length;
    if (size > MAX_EXPORT_BYTES) throw new SyncSourceError(tooLarge(name, size));
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

function safeLocation(location: string, base: string): string {
  try {
    return displayUrl(new URL(location, base).toString());
  } catch {
    return "en annan adress";
  }
}

/** The file name the server gives, else the URL's last part; the extension from the content type if need be. */
function exportName(url: string, headers: Headers): string {
  const disposition = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(headers.get("content-disposition") ?? "");
  const fromHeader = disposition?.[1] ? basename(decodedName(disposition[1])) : "";
  const fromUrl = basename(new URL(url).pathname);
  const name = fromHeader || fromUrl || "export";
  if (EXPORT_EXTENSIONS.has(extname(name).toLowerCase())) return name;
  const type = headers.get("content-type") ?? "";
  if (/xml/i.test(type)) return `${name}.xml`;
  if (/json/i.test(type)) return `${name}.json`;
  if (/csv|text\/plain/i.test(type)) return `${name}.csv`;
  throw new SyncSourceError(
    `${name}: varken filnamnet eller innehållstypen (${type || "ingen"}) säger om exporten är XML, JSON eller CSV`,
  );
}

/** "100%.csv" is a name too: a malformed escape is kept as it came. */
function decodedName(name: string): string {
  try {
    return decodeURIComponent(name);
  } catch {
    return name;
  }
}

/** A URL as it may be logged and posted: without credentials or query (which may hold a key). */
export function displayUrl(url: string): string {
  const parsed = new URL(url);
  return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
}

function tooLarge(name: string, size: number): string {
  return `${name} är större än de ${MAX_EXPORT_BYTES / 1024 ** 2} MB en export får vara (${Math.round(size / 1e6)} MB läst); dela upp exporten eller exportera bara det som ändrats`;
}

function reason(error: unknown): string {
  if (error && typeof error === "object" && "code" in error && error.code === "ENOENT") return "finns inte";
  if (error instanceof Error && error.cause instanceof Error) return error.cause.message;
  return error instanceof Error ? error.message : String(error);
}
