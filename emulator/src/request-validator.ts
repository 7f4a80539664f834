import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import {
  bodySchema,
  closeNestedObjects,
  querySchema,
  type JsonSchema,
  type OpenApiDocument,
} from './openapi.js';
import { invalidRequest, missingParam, type StripeHttpError } from './stripe-errors.js';

export type Operation =
  'createSession' | 'listSessions' | 'retrieveSession' | 'listLineItems' | 'expireSession';

export type Params = Record<string, unknown>;

const SESSIONS = '/v1/checkout/sessions';

function operationSchemas(doc: OpenApiDocument): Record<Operation, JsonSchema> {
  return {
    createSession: bodySchema(doc, SESSIONS),
    listSessions: querySchema(doc, SESSIONS),
    retrieveSession: querySchema(doc, `${SESSIONS}/{session}`),
    listLineItems: querySchema(doc, `${SESSIONS}/{session}/line_items`),
    expireSession: bodySchema(doc, `${SESSIONS}/{session}/expire`),
  };
}

/** Validates decoded form/query params against Stripe's request schemas, compiled once. */
export class RequestValidator {
  private readonly validators: Record<Operation, ValidateFunction>;

  constructor(doc: OpenApiDocument) {
    // coerceTypes: form values are strings ("45000" must pass as an integer); verbose: errors carry the value.
    const ajv = new Ajv({
      strict: false,
      coerceTypes: true,
      verbose: true,
      validateFormats: false,
    });
    const schemas = operationSchemas(doc);
    this.validators = Object.fromEntries(
      Object.entries(schemas).map(([name, schema]) => [
        name,
        ajv.compile(closeNestedObjects(schema)),
      ]),
    ) as Record<Operation, ValidateFunction>;
  }

  /** Coerces `params` in place; throws a Stripe-shaped 400 naming the offending param. */
  validate(operation: Operation, params: Params): Params {
    const validate = this.validators[operation];
    if (!validate(params)) throw toStripeError(validate.errors ?? []);
    return params;
  }
}

function toStripeError(errors: ErrorObject[]): StripeHttpError {
  const error = mostSpecific(errors);
  if (!error) return invalidRequest('Invalid request parameters.');
  const path = pointerToParam(error.instancePath);
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties': {
      const param = childParam(path, String(params.additionalProperty));
      return invalidRequest(`Received unknown parameter: ${param}`, param);
    }
    case 'required':
      return missingParam(childParam(path, String(params.missingProperty)));
    case 'type':
      return invalidRequest(typeMessage(String(params.type), error.data), path);
    case 'enum': {
      const allowed = (params.allowedValues as unknown[]).filter((v) => v !== '').map(String);
      return invalidRequest(`Invalid ${path}: must be one of ${humanList(allowed)}`, path);
    }
    case 'maxLength':
      return invalidRequest(
        `Invalid string: ${preview(error.data)}; must be at most ${String(params.limit)} characters`,
        path,
      );
    case 'maxItems':
      return invalidRequest(`Invalid array: must have at most ${String(params.limit)} items`, path);
    default:
      return invalidRequest(`Invalid value for ${path}.`, path);
  }
}

/** The deepest error is the useful one; anyOf summaries and sibling-branch errors are noise. */
function mostSpecific(errors: ErrorObject[]): ErrorObject | undefined {
  let best: ErrorObject | undefined;
  let bestDepth = -1;
  for (const error of errors) {
    if (error.keyword === 'anyOf' || error.keyword === 'oneOf') continue;
    const nested = error.keyword === 'additionalProperties' || error.keyword === 'required';
    const depth = error.instancePath.split('/').length + (nested ? 1 : 0);
    if (depth > bestDepth) [best, bestDepth] = [error, depth];
  }
  return best ?? errors[0];
}

/** `/line_items/0/quantity` -> `line_items[0][quantity]` (Stripe's bracket notation). */
export function pointerToParam(pointer: string): string {
  const parts = pointer
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  return parts.length === 0
    ? ''
    : parts[0] +
        parts
          .slice(1)
          .map((p) => `[${p}]`)
          .join('');
}

function childParam(parent: string, child: string): string {
  return parent === '' ? child : `${parent}[${child}]`;
}

function typeMessage(type: string, value: unknown): string {
  switch (type) {
    case 'object':
      return 'Invalid object';
    case 'array':
      return 'Invalid array';
    case 'number':
      return `Invalid decimal: ${preview(value)}`;
    default:
      return `Invalid ${type}: ${preview(value)}`;
  }
}

function preview(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > 50 ? `${text.slice(0, 50)}...` : text;
}

function humanList(values: string[]): string {
  if (values.length <= 1) return values.join('');
  return `${values.slice(0, -1).join(', ')}, or ${values[values.length - 1]}`;
}
