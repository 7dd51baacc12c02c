import { z } from "zod";
import {
  caseDocumentSchema,
  changesQuerySchema,
  changesResponseSchema,
  getCaseResponseSchema,
  problemSchema,
  putCasesRequestSchema,
  putCasesResponseSchema,
} from "../modules/integration/api-schemas.js";

const REF = (id: string) => ({ $ref: `#/components/schemas/${id}` });

/**
 * The OpenAPI 3.1 document of /api/v1, generated from the zod schemas that validate the requests
 * (OpenAPI 3.1's schemas are JSON Schema 2020-12, what z.toJSONSchema writes). Made once, when first
 * asked for: the schemas do not change while the bot runs.
 */
export function openApiDocument(info: { maxBodyBytes: number; ratePerMinute: number }): unknown {
  const registry = z.registry<{ id: string }>();
  registry.add(putCasesRequestSchema, { id: "PutCasesRequest" });
  registry.add(putCasesResponseSchema, { id: "PutCasesResponse" });
  registry.add(caseDocumentSchema, { id: "Case" });
  registry.add(getCaseResponseSchema, { id: "GetCaseResponse" });
  registry.add(changesResponseSchema, { id: "ChangesResponse" });
  registry.add(problemSchema, { id: "Problem" });
  // Requests are described as they are sent ("input"): a query's limit is text, a case's dates too.
  const { schemas } = z.toJSONSchema(registry, {
    target: "draft-2020-12",
    io: "input",
    uri: (id) => `#/components/schemas/${id}`,
  });
  // Each is embedded under components, where `$schema` is implied and a fragment `$id` is not allowed.
  for (const schema of Object.values(schemas)) {
    delete (schema as { $schema?: unknown }).$schema;
    delete (schema as { $id?: unknown }).$id;
  }

  const query = z.toJSONSchema(changesQuerySchema, { target: "draft-2020-12", io: "input" }) as {
    properties: Record<string, { description?: string }>;
  };
  const problem = (description: string) => ({
    description,
    content: { "application/problem+json": { schema: REF("Problem") } },
  });
  const json = (id: string, description: string) => ({
    description,
    content: { "application/json": { schema: REF(id) } },
  });
  const common = {
    "401": problem("No token, an unknown one or a revoked one."),
    "429": problem(`Over ${info.ratePerMinute} requests a minute for this token; see Retry-After.`),
    "503": problem("The registry is busy or does not answer; see Retry-After."),
  };

  return {
    openapi: "3.1.0",
    info: {
      title: "arendebot API",
      version: "1",
      description:
        "Cases of the municipality's registry for integration platforms. Bearer tokens come from `arendebot token skapa`. A restricted case is shown with its public data only.",
    },
    servers: [{ url: "/" }],
    security: [{ bearer: [] }],
    paths: {
      "/api/v1/cases": {
        put: {
          operationId: "putCases",
          summary: "Create or update cases (the import format); one result per item",
          requestBody: {
            required: true,
            content: { "application/json": { schema: REF("PutCasesRequest") } },
          },
          responses: {
            "200": json("PutCasesResponse", "Every item's outcome."),
            "400": problem("The body is not JSON."),
            "403": problem("The token may only read."),
            "413": problem(`The body is over ${Math.floor(info.maxBodyBytes / 1024)} KiB.`),
            "415": problem("The body is not sent as application/json."),
            "422": problem("Some fields are not valid; `errors` names each. Nothing was written."),
            ...common,
          },
        },
      },
      "/api/v1/cases/{identifier}": {
        get: {
          operationId: "getCase",
          summary: "A case by dnr or document number",
          parameters: [
            {
              name: "identifier",
              in: "path",
              required: true,
              description: "A dnr (108-1642/2017) or document number (Motion 2016:114), URL-encoded.",
              schema: { type: "string" },
            },
          ],
          responses: {
            "200": json("GetCaseResponse", "The case (one per registry that has that number)."),
            "404": problem("No such case."),
            "422": problem("Not a dnr or document number."),
            ...common,
          },
        },
      },
      "/api/v1/changes": {
        get: {
          operationId: "getChanges",
          summary: "Every change, oldest first, from a cursor",
          parameters: Object.entries(query.properties).map(([name, schema]) => ({
            name,
            in: "query",
            required: false,
            ...(schema.description ? { description: schema.description } : {}),
            schema,
          })),
          responses: {
            "200": json("ChangesResponse", "A page of changes and the cursor to read on from."),
            "422": problem("A bad cursor or limit."),
            ...common,
          },
        },
      },
      "/api/v1/openapi.json": {
        get: {
          operationId: "getOpenApi",
          summary: "This document",
          security: [],
          responses: { "200": { description: "OpenAPI 3.1", content: { "application/json": {} } } },
        },
      },
    },
    components: {
      schemas,
      securitySchemes: { bearer: { type: "http", scheme: "bearer" } },
    },
  };
}
