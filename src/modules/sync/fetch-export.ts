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
  /** SHA-256 of the bytes: the same export under another name or date is the same version. */
  version: string;
};

/** The formats the importer reads, by extension. */
const EXPORT_EXTENSIONS = new Set([".xml", ".json", ".csv"]);
/** An export larger than this is refused rather than read into memory. */
export const MAX_EXPORT_BYTES = 1024 * 1024 * 1024;
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
        return info?.isFile() ? { name, modified: info.mtimeMs, size: info.size } : null;
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
  return { name: newest.name, bytes, version: versionOf(bytes) };
}

async function fromUrl(url: string, header: SyncConfig["header"]): Promise<DiariumExport> {
  let response: Response;
  try {
    response = await fetch(url, {
      headers: header ? { [header[0]]: header[1] } : {},
      signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
      redirect: "follow",
    });
  } catch (error) {
    throw new SyncSourceError(`${displayUrl(url)} svarar inte: ${reason(error)}`);
  }
  if (!response.ok) {
    const hint = response.status === 401 || response.status === 403 ? "; kontrollera ARENDE_SYNC_AUTH" : "";
    throw new SyncSourceError(`${displayUrl(url)} svarade HTTP ${response.status}${hint}`);
  }
  const declared = Number(response.headers.get("content-length") ?? Number.NaN);
  const name = exportName(url, response.headers);
  if (declared > MAX_EXPORT_BYTES) throw new SyncSourceError(tooLarge(name, declared));
  const bytes = Buffer.from(await response.arrayBuffer());
  if (bytes.length > MAX_EXPORT_BYTES) throw new SyncSourceError(tooLarge(name, bytes.length));
  return { name, bytes, version: versionOf(bytes) };
}

/** The file name the server gives, else the URL's last part; the extension from the content type if need be. */
function exportName(url: string, headers: Headers): string {
  const disposition = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(headers.get("content-disposition") ?? "");
  const fromHeader = disposition?.[1] ? basename(decodeURIComponent(disposition[1])) : "";
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

function versionOf(bytes: Buffer): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** A URL as it may be logged and posted: without credentials or query (which may hold a key). */
export function displayUrl(url: string): string {
  const parsed = new URL(url);
  return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
}

function tooLarge(name: string, size: number): string {
  return `${name} är ${Math.round(size / 1e6)} MB, mer än de ${MAX_EXPORT_BYTES / 1024 ** 3} GB en export får vara`;
}

function reason(error: unknown): string {
  if (error && typeof error === "object" && "code" in error && error.code === "ENOENT") return "finns inte";
  if (error instanceof Error && error.cause instanceof Error) return error.cause.message;
  return error instanceof Error ? error.message : String(error);
}
