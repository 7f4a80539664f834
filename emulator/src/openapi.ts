import { readFileSync } from 'node:fs';

export type JsonSchema = Record<string, unknown>;

interface OpenApiParameter {
  in: string;
  name: string;
  required?: boolean;
  schema: JsonSchema;
}

interface OpenApiOperation {
  parameters?: OpenApiParameter[];
  requestBody?: { content: Record<string, { schema: JsonSchema }> };
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, OpenApiOperation>>;
  components: { schemas: Record<string, JsonSchema> };
}

/** Stripe's own description of the endpoints, an asset of this package (src/ and dist/ alike). */
const SPEC_URL = new URL('../assets/openapi-checkout.json', import.meta.url);

let cached: OpenApiDocument | undefined;

export function loadOpenApi(): OpenApiDocument {
  if (cached) return cached;
  cached = JSON.parse(readFileSync(SPEC_URL, 'utf8')) as OpenApiDocument;
  return cached;
}

function operation(doc: OpenApiDocument, path: string, method: string): OpenApiOperation {
  const op = doc.paths[path]?.[method];
  if (!op) throw new Error(`stripe-emulator: ${method.toUpperCase()} ${path} missing from OpenAPI`);
  return op;
}

/** The form-encoded body schema of a POST operation (already `additionalProperties: false`). */
export function bodySchema(doc: OpenApiDocument, path: string): JsonSchema {
  const content = operation(doc, path, 'post').requestBody?.content;
  return content?.['application/x-www-form-urlencoded']?.schema ?? { type: 'object' };
}

/** Query parameters of a GET operation folded into one object schema, closed like Stripe's. */
export function querySchema(doc: OpenApiDocument, path: string): JsonSchema {
  const params = (operation(doc, path, 'get').parameters ?? []).filter((p) => p.in === 'query');
  return {
    type: 'object',
    additionalProperties: false,
    properties: Object.fromEntries(params.map((p) => [p.name, p.schema])),
    required: params.filter((p) => p.required).map((p) => p.name),
  };
}

/**
 * Stripe rejects unknown nested parameters too, but its spec only closes the top level.
 * Returns a copy in which every object schema that lists properties is closed.
 */
export function closeNestedObjects(schema: JsonSchema): JsonSchema {
  return closeNode(structuredClone(schema)) as JsonSchema;
}

function closeNode(node: unknown): unknown {
  if (Array.isArray(node)) {
    node.forEach(closeNode);
    return node;
  }
  if (node === null || typeof node !== 'object') return node;
  const schema = node as JsonSchema;
  if (schema.properties && typeof schema.properties === 'object') {
    if (schema.additionalProperties === undefined) schema.additionalProperties = false;
    Object.values(schema.properties as Record<string, unknown>).forEach(closeNode);
  }
  for (const key of ['items', 'anyOf', 'oneOf', 'allOf', 'additionalProperties'] as const) {
    if (schema[key] && typeof schema[key] === 'object') closeNode(schema[key]);
  }
  return schema;
}

/**
 * OpenAPI 3.0 `nullable` -> plain JSON Schema (ajv rejects `nullable` without `type`, which Stripe
 * uses on every `anyOf` expandable field). Returns a converted copy.
 */
export function withoutNullable<T>(node: T): T {
  if (Array.isArray(node)) return node.map(withoutNullable) as T;
  if (node === null || typeof node !== 'object') return node;
  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(node as JsonSchema)) {
    if (key !== 'nullable') out[key] = withoutNullable(value);
  }
  if ((node as JsonSchema).nullable !== true) return out as T;
  if (Array.isArray(out.enum)) out.enum = [...out.enum, null];
  if (typeof out.type === 'string') {
    out.type = [out.type, 'null'];
    return out as T;
  }
  return { anyOf: [out, { type: 'null' }] } as T;
}
