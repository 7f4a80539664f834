import { dtoShape, type DtoClass, type DtoProperty } from './dto-shape.js';
import { parseStructuredText } from './jsv.js';

/**
 * Binds a request object to a DTO the way ServiceStack does, before class-validator sees it:
 * property names match case-insensitively (`companyId`, `companyid` → `CompanyId`), also in
 * nested DTOs (`Articles[].articleId`). With `fromStrings` (form bodies and query strings) values
 * are converted by the declared types: `"2"` → 2 for a number, `"true"` → true for a boolean, and
 * JSV/JSON text → a list or object for a list or nested DTO.
 *
 * Names that match no property are kept as sent, so `forbidNonWhitelisted` still rejects them
 * (an `Amount` is a 400 naming `Amount`). When two spellings of one property are sent, the exact
 * spelling binds and the other stays unknown: an ambiguous request is rejected, never guessed.
 */
export function bindToDto(value: unknown, dto: DtoClass, fromStrings: boolean): unknown {
  if (!isPlainObject(value)) return value;
  const shape = dtoShape(dto);
  const exact = new Set(
    Object.keys(value).filter((key) => shape.get(key.toLowerCase())?.name === key),
  );
  const taken = new Set<string>();
  const entries = Object.entries(value).map(([key, raw]): [string, unknown] => {
    const property = shape.get(key.toLowerCase());
    const canBind =
      property && !taken.has(property.name) && (key === property.name || !exact.has(property.name));
    if (!property || !canBind) return [key, raw];
    taken.add(property.name);
    return [property.name, bindProperty(raw, property, fromStrings)];
  });
  // fromEntries defines own properties: a "__proto__" key cannot reach the prototype.
  return Object.fromEntries(entries);
}

function bindProperty(raw: unknown, property: DtoProperty, fromStrings: boolean): unknown {
  let value = raw;
  if (fromStrings && typeof value === 'string') value = fromText(value, property);
  if (property.kind === 'array') {
    const items = fromStrings ? asArray(value) : value;
    if (!Array.isArray(items)) return items;
    return items.map((item) => bindItem(item, property, fromStrings));
  }
  if (property.kind === 'object' && property.nested) {
    return bindToDto(value, property.nested, fromStrings);
  }
  return value;
}

function bindItem(item: unknown, property: DtoProperty, fromStrings: boolean): unknown {
  if (property.nested) return bindToDto(item, property.nested, fromStrings);
  return fromStrings && typeof item === 'string' ? scalar(item, property.kind) : item;
}

function fromText(text: string, property: DtoProperty): unknown {
  if (property.kind === 'array' || property.kind === 'object') {
    const trimmed = text.trim();
    if (!trimmed.startsWith('[') && !trimmed.startsWith('{')) return text;
    return parseStructuredText(trimmed) ?? text;
  }
  return scalar(text, property.kind);
}

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

function scalar(text: string, kind: DtoProperty['kind']): unknown {
  if (kind === 'number' && NUMBER.test(text.trim())) return Number(text);
  if (kind === 'boolean' && /^(true|false)$/i.test(text.trim()))
    return text.trim().toLowerCase() === 'true';
  return text;
}

/** A form list longer than the form parser's array limit arrives as `{ "0": ..., "1": ... }`. */
function asArray(value: unknown): unknown {
  if (!isPlainObject(value)) return value;
  const keys = Object.keys(value);
  if (keys.length === 0 || !keys.every((key) => /^\d+$/.test(key))) return value;
  return keys.sort((a, b) => Number(a) - Number(b)).map((key) => value[key]);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}
