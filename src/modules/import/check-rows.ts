import type { ZodType } from "zod";
import type { PreparedCase } from "./entities/case.js";
import { sv } from "./fields.js";
import { type CaseKeys, keysOf } from "./fingerprint.js";
import { csvRowSchema, type FieldProblem, formatPath, jsonCaseSchema, problemsOf } from "./import.schema.js";
import type { ImportSource, SourceItem } from "./read-import-file.js";

/** How a row that fails a check is reported: by its problems, or by one reason for its line. */
export type Rejecter = {
  problems(item: Pick<SourceItem, "line" | "path">, problems: FieldProblem[]): void;
  line(line: number, reason: string): void;
};

export type Prepared<T> = { line: number; path: string; input: T };

/** Validates registries or bodies; a code given twice in the file is rejected the second time. */
export function checkCoded<T>(
  items: readonly SourceItem[],
  schema: ZodType<T>,
  codeOf: (input: T) => string,
  reject: Rejecter,
): Prepared<T>[] {
  const seen = new Map<string, number>();
  const rows: Prepared<T>[] = [];
  for (const item of items) {
    const parsed = schema.safeParse(item.data);
    if (!parsed.success) {
      reject.problems(item, problemsOf(parsed.error, item.path));
      continue;
    }
    const code = codeOf(parsed.data);
    const earlier = seen.get(code);
    if (earlier !== undefined) {
      reject.problems(item, [
        {
          path: formatPath(item.path, ["code"]),
          message: sv(`Koden «${code}» finns redan på rad ${earlier}`, "duplicate code"),
        },
      ]);
      continue;
    }
    seen.set(code, item.line);
    rows.push({ line: item.line, path: item.path, input: parsed.data });
  }
  return rows;
}

/** Validation of case rows that needs no database: the schema, known registry and bodies, duplicates in the file. */
export class CaseChecker {
  /** Registry code and dnr key -> the file line that named the case first. */
  private readonly seenDnr = new Map<string, number>();
  /** Registry code and identifier key -> the file line that named it first. */
  private readonly seenIdentifiers = new Map<string, number>();
  /** CSV registry_name: the first name given for each registry code. */
  private readonly registryNames = new Map<string, { name: string; line: number }>();

  constructor(
    private readonly format: ImportSource["format"],
    private readonly known: {
      registries: ReadonlyMap<string, unknown>;
      bodies: ReadonlyMap<string, unknown>;
    },
    private readonly reject: Rejecter,
  ) {}

  registryNameOf(code: string): string | undefined {
    return this.registryNames.get(code)?.name;
  }

  /**
   * Takes a row known by its fingerprint as checked, given what it names its case by, if checking
   * it would find nothing wrong: the schema held when it was fingerprinted, and its registry and
   * bodies were known. False when it names a case an earlier row of the file named, or its registry
   * by another name: then check() says so.
   */
  pass(line: number, keys: CaseKeys): boolean {
    const { registry, registryName, dnrKey, identifierKeys } = keys;
    const namedBefore = this.registryNames.get(registry);
    if (registryName !== null && namedBefore !== undefined && namedBefore.name !== registryName) return false;
    if (dnrKey !== null) {
      if (this.seenDnr.has(inRegistry(registry, dnrKey))) return false;
    } else if (identifierKeys.some((key) => this.seenIdentifiers.has(inRegistry(registry, key)))) {
      return false;
    }
    this.remember(line, keys, namedBefore);
    return true;
  }

  /** The schema alone, for a row already past the file's checks. */
  parse(item: Pick<SourceItem, "line" | "path" | "data">): PreparedCase | null {
    const parsed = (this.format === "csv" ? csvRowSchema : jsonCaseSchema).safeParse(item.data);
    if (!parsed.success) {
      this.reject.problems(item, problemsOf(parsed.error, item.path));
      return null;
    }
    return { line: item.line, path: item.path, input: parsed.data };
  }

  check(item: SourceItem): PreparedCase | null {
    if (item.error !== undefined) {
      this.reject.line(item.line, item.error);
      return null;
    }
    const prepared = this.parse(item);
    if (prepared === null) return null;
    const { input } = prepared;
    const at = (...path: (string | number)[]) => formatPath(item.path, path);
    const problems: FieldProblem[] = [];
    const csv = this.format === "csv";

    const registry = input.registry;
    const namedBefore = this.registryNames.get(registry);
    if (
      input.registryName !== undefined &&
      namedBefore !== undefined &&
      namedBefore.name !== input.registryName
    ) {
      problems.push({
        path: at("registry_name"),
        message: sv(
          `Diariet «${registry}» fick namnet «${namedBefore.name}» på rad ${namedBefore.line}`,
          "a different registry_name for the same registry",
        ),
      });
    }
    if (
      !this.known.registries.has(registry) &&
      input.registryName === undefined &&
      namedBefore === undefined
    ) {
      problems.push({
        path: at("registry"),
        message: csv
          ? sv(
              `Okänt diarium «${registry}»; ange registry_name för att skapa det`,
              "unknown registry; give registry_name to create it",
            )
          : sv(
              `Okänt diarium «${registry}»: det finns varken i databasen eller i filens registries`,
              "unknown registry",
            ),
      });
    }

    const checkBody = (code: string | null | undefined, path: string) => {
      if (code == null || this.known.bodies.has(code)) return;
      problems.push({
        path,
        message: csv
          ? sv(`Okänt organ «${code}»: det finns inte i databasen`, `unknown body "${code}"`)
          : sv(
              `Okänt organ «${code}»: det finns varken i databasen eller i filens bodies`,
              `unknown body "${code}"`,
            ),
      });
    };
    checkBody(input.responsibleBody, at("responsible_body"));
    checkBody(input.addressedToBody, at("addressed_to_body"));
    for (const [index, referral] of (input.referrals ?? []).entries()) {
      checkBody(referral.body, at("referrals", index, "body"));
    }
    for (const [index, entry] of (input.timeline ?? []).entries()) {
      checkBody(entry.body, at("timeline", index, "body"));
    }

    if (input.dnr) {
      const earlier = this.seenDnr.get(inRegistry(registry, input.dnr.key));
      if (earlier !== undefined) {
        problems.push({
          path: at("dnr"),
          message: sv(
            `Ärendet ${input.dnr.display} finns redan på rad ${earlier}`,
            "the same case twice in the file",
          ),
        });
      }
    } else {
      for (const identifier of input.identifiers ?? []) {
        const earlier = this.seenIdentifiers.get(inRegistry(registry, identifier.key));
        if (earlier !== undefined) {
          problems.push({
            path: at("identifiers"),
            message: sv(
              `Ärendet ${identifier.display} finns redan på rad ${earlier}`,
              "the same case twice in the file",
            ),
          });
          break;
        }
      }
    }

    if (problems.length > 0) {
      this.reject.problems(item, problems);
      return null;
    }
    this.remember(item.line, keysOf(input), namedBefore);
    return prepared;
  }

  private remember(
    line: number,
    { registry, registryName, dnrKey, identifierKeys }: CaseKeys,
    namedBefore: { name: string } | undefined,
  ): void {
    if (dnrKey !== null) this.seenDnr.set(inRegistry(registry, dnrKey), line);
    for (const identifierKey of identifierKeys) {
      const key = inRegistry(registry, identifierKey);
      if (!this.seenIdentifiers.has(key)) this.seenIdentifiers.set(key, line);
    }
    if (registryName !== null && namedBefore === undefined) {
      this.registryNames.set(registry, { name: registryName, line });
    }
  }
}

/** A dnr or identifier key within its registry: the same number in two registries is two cases. */
function inRegistry(registry: string, key: string): string {
  return `${registry}\u0000${key}`;
}
