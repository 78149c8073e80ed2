// The OpenAPI 3.1 document, generated from the same zod schemas that validate requests.
import { z } from "zod";
import { ErrorOut } from "../../../shared/src/api.ts";
import type { AnyRoute } from "./route.ts";

type JsonSchema = Record<string, unknown>;

function jsonSchema(schema: z.ZodType, io: "input" | "output"): JsonSchema {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: "any", target: "draft-2020-12" }) as JsonSchema;
  return rest;
}

function parameters(schema: z.ZodType | undefined, where: "path" | "query"): JsonSchema[] {
  if (!schema) return [];
  const object = jsonSchema(schema, "input") as { properties?: Record<string, JsonSchema>; required?: string[] };
  return Object.entries(object.properties ?? {}).map(([name, property]) => ({
    name,
    in: where,
    required: where === "path" || (object.required ?? []).includes(name),
    schema: property,
    ...(typeof property["description"] === "string" ? { description: property["description"] } : {}),
  }));
}

const STATUS_TEXT: Record<number, string> = {
  400: "Bad input",
  401: "Missing, invalid or expired token",
  403: "Not allowed",
  404: "Not found",
  409: "Conflict",
  413: "Body too large",
  422: "Validation failed (detail lists {loc, msg, type})",
  429: "Rate limited (see Retry-After)",
  503: "A dependency (database, Redis) is down: code `unavailable`; retry after Retry-After seconds",
};

function operation(route: AnyRoute): JsonSchema {
  const status = route.status ?? 200;
  const errorStatuses = new Set([...(route.auth === false ? [] : [401]), ...(route.body || route.query || route.params ? [422] : []), ...(route.errors ?? []), 503]);
  const errorContent = { "application/json": { schema: { $ref: "#/components/schemas/Error" } } };
  const responses: JsonSchema = {
    [status]: {
      description: status === 204 ? "Done" : "OK",
      ...(route.response && status !== 204 ? { content: { "application/json": { schema: jsonSchema(route.response, "output") } } } : {}),
      ...(route.list ? { headers: { "X-Total-Count": { description: "Total matching rows", schema: { type: "integer" } } } } : {}),
    },
  };
  for (const code of [...errorStatuses].sort()) responses[code] = { description: STATUS_TEXT[code] ?? "Error", content: errorContent };
  const body = route.body ? jsonSchema(route.body, "input") : undefined;
  return {
    summary: route.summary,
    tags: [route.tag],
    operationId: `${route.method}${route.path.replace(/[{}]/g, "").replace(/[/-](\w)/g, (_m, c: string) => c.toUpperCase())}`,
    ...(route.auth === false ? { security: [] } : {}),
    parameters: [...parameters(route.params, "path"), ...parameters(route.query, "query")],
    ...(body
      ? {
          requestBody: {
            required: true,
            content: {
              "application/json": { schema: body },
              ...(route.form ? { "application/x-www-form-urlencoded": { schema: body } } : {}),
            },
          },
        }
      : {}),
    responses,
  };
}

export function buildOpenApi(routes: AnyRoute[], prefix: string, version: string): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const route of routes) (paths[prefix + route.path] ??= {})[route.method] = operation(route);
  return {
    openapi: "3.1.0",
    info: {
      title: "Cafe Virtual Space API",
      version,
      description:
        "REST API of Cafe. Errors are JSON `{detail, code}`. Lists take `limit` (≤ 200) and `offset` and give the total in `X-Total-Count`. " +
        "Authenticate with `Authorization: Bearer <access_token>` from /auth/register or /auth/login.",
    },
    paths,
    components: {
      schemas: { Error: jsonSchema(ErrorOut, "output") },
      securitySchemes: {
        bearer: { type: "http", scheme: "bearer", bearerFormat: "JWT" },
        password: { type: "oauth2", flows: { password: { tokenUrl: `${prefix}/auth/login`, scopes: {} } } },
      },
    },
    security: [{ bearer: [] }, { password: [] }],
  };
}
