import { SaxesParser } from "saxes";

/**
 * A small read-only element tree that knows the line each element starts on and its path, so that
 * a reader can say "line 12, /erms/aggregations/aggregation[2]/dates/date[3]" for what it found wrong.
 * saxes parses (a well-kept, strict, streaming XML parser); nothing here guesses at malformed XML.
 */
export class XmlElement {
  readonly children: XmlElement[] = [];
  text = "";
  /** 1-based among the parent's children of the same name. */
  position = 1;
  /** How many children of each name: a path shows [n] only where a name repeats. */
  private named: Map<string, number> | undefined;

  constructor(
    readonly name: string,
    readonly attributes: Readonly<Record<string, string>>,
    readonly line: number,
    readonly parent: XmlElement | null,
  ) {}

  /** The element's text with surrounding white space removed; null when empty. */
  value(): string | null {
    const trimmed = this.text.trim();
    return trimmed === "" ? null : trimmed;
  }

  attribute(name: string): string | null {
    const value = this.attributes[name]?.trim();
    return value === undefined || value === "" ? null : value;
  }

  all(name: string): XmlElement[] {
    return this.children.filter((child) => child.name === name);
  }

  first(name: string): XmlElement | undefined {
    return this.children.find((child) => child.name === name);
  }

  /** Text of the first child of that name. */
  text1(name: string): string | null {
    return this.first(name)?.value() ?? null;
  }

  /** XPath-like, with [n] where siblings share a name: /erms/aggregations/aggregation[2]/title. */
  path(): string {
    if (this.parent === null) return `/${this.name}`;
    const index = (this.parent.named?.get(this.name) ?? 0) > 1 ? `[${this.position}]` : "";
    return `${this.parent.path()}/${this.name}${index}`;
  }

  adopt(child: XmlElement): void {
    this.named ??= new Map();
    const count = (this.named.get(child.name) ?? 0) + 1;
    this.named.set(child.name, count);
    child.position = count;
    this.children.push(child);
  }

  /** Every element below this one, in document order. */
  *descendants(): Generator<XmlElement> {
    for (const child of this.children) {
      yield child;
      yield* child.descendants();
    }
  }
}

export class XmlSyntaxError extends Error {
  override name = "XmlSyntaxError";
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
  }
}

/** Parses namespace-aware; names are local names, since the ERMS namespace is the only one read. */
export function parseXml(text: string): XmlElement {
  const parser = new SaxesParser({ xmlns: true, position: true });
  let root: XmlElement | null = null;
  let current: XmlElement | null = null;
  let startLine = 1;
  let failure: XmlSyntaxError | null = null;
  parser.on("opentagstart", () => {
    startLine = parser.line;
  });
  parser.on("opentag", (tag) => {
    const attributes: Record<string, string> = {};
    for (const attribute of Object.values(tag.attributes)) {
      if (attribute.prefix === "xmlns" || attribute.name === "xmlns") continue;
      attributes[attribute.local] = attribute.value;
    }
    const element = new XmlElement(tag.local, attributes, startLine, current);
    if (current === null) root = element;
    else current.adopt(element);
    current = element;
  });
  parser.on("text", (text) => {
    if (current !== null) current.text += text;
  });
  parser.on("cdata", (text) => {
    if (current !== null) current.text += text;
  });
  parser.on("closetag", () => {
    current = current?.parent ?? null;
  });
  parser.on("error", (error) => {
    failure ??= new XmlSyntaxError(error.message, parser.line);
  });
  parser.write(text).close();
  if (failure !== null) throw failure;
  if (root === null) throw new XmlSyntaxError("no root element", 1);
  return root;
}
