import { readFile } from "node:fs/promises";
import { memoryPages, validateXML } from "xmllint-wasm";
import type { XmlElement } from "./xml-tree.js";

/**
 * Validation against the CITS ERMS 2.1.2 schema (FGS Ärendehantering 2.0), by libxml2 itself:
 * xmllint-wasm is libxml2's xmllint compiled to WebAssembly, shipped inside its npm package, so every
 * machine and CI validates exactly as `xmllint --schema` does, with no system package and no native
 * build. The schema is read from standards/cits-erms/ERMS.xsd in this repository.
 */

const SCHEMA_URL = new URL("../../../../standards/cits-erms/ERMS.xsd", import.meta.url);
let schema: Promise<string> | undefined;

export type SchemaProblem = { line: number; path: string | null; reason: string };

export async function validateErms(fileName: string, text: string): Promise<SchemaProblem[]> {
  schema ??= readFile(SCHEMA_URL, "utf8");
  const bytes = Buffer.from(text, "utf8");
  const result = await validateXML({
    xml: [{ fileName: "document.xml", contents: bytes }],
    schema: [{ fileName: "ERMS.xsd", contents: await schema }],
    // libxml2 holds the text and its tree (some ten times the text) in WebAssembly memory, which
    // grows up to 4 GiB, the most 32-bit WebAssembly can address; starting near the size needed
    // saves growing it step by step on a large export.
    initialMemoryPages: Math.min(memoryPages.max, 256 + Math.ceil((bytes.length * 10) / 65_536)),
    maxMemoryPages: memoryPages.max,
    // Streaming validation (xmllint --stream) reports the same lines and reasons in half the time
    // and without building libxml2's tree.
    stream: true,
  });
  void fileName;
  return result.errors.map((error) => ({
    line: error.loc?.lineNumber ?? 0,
    path: null,
    reason: cleanReason(error.message),
  }));
}

/** "Element '{https://DILCIS.eu/XML/ERMS}status', attribute 'value': …" without the namespace noise. */
function cleanReason(message: string): string {
  return message
    .replace(/^document\.xml:\d+:\s*/u, "")
    .replace(/\{https:\/\/DILCIS\.eu\/XML\/ERMS\}/gu, "")
    .replace(/^.*?Schemas validity error\s*:\s*/iu, "")
    .trim();
}

/**
 * The element a libxml2 message is about: the one named in the message ("Element 'title'") that
 * starts on the reported line, else the last element starting on that line or before it.
 */
export function elementAt(root: XmlElement, line: number, reason: string): XmlElement {
  const named = /Element '([^']+)'/u.exec(reason)?.[1];
  let best: XmlElement = root;
  let bestNamed: XmlElement | null = null;
  for (const element of root.descendants()) {
    if (element.line > line) break;
    best = element;
    if (element.line === line && element.name === named) bestNamed ??= element;
  }
  return bestNamed ?? best;
}
