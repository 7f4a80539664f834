import 'reflect-metadata';
import { defaultMetadataStorage } from 'class-transformer/cjs/storage.js';
import { getMetadataStorage } from 'class-validator';

export type ScalarKind = 'string' | 'number' | 'boolean' | 'unknown';

export interface DtoProperty {
  /** The DTO's own spelling (PascalCase), the name clients see in responses and errors. */
  name: string;
  /** Declared TypeScript type (`design:type`): drives conversion of string-only transports. */
  kind: ScalarKind | 'array' | 'object';
  /** The DTO class of a nested object, or of each element of an array (`@Type(() => ...)`). */
  nested?: DtoClass;
}

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export type DtoClass = Function;

const shapes = new WeakMap<DtoClass, Map<string, DtoProperty>>();

/**
 * The properties class-validator knows for a DTO (exactly those `whitelist` keeps), keyed by
 * lower-cased name so a request property can be found whatever its case.
 */
export function dtoShape(dto: DtoClass): Map<string, DtoProperty> {
  let shape = shapes.get(dto);
  if (!shape) {
    shape = new Map();
    shapes.set(dto, shape);
    const validations = getMetadataStorage().getTargetValidationMetadatas(dto, '', false, false);
    for (const name of new Set(validations.map((metadata) => metadata.propertyName))) {
      shape.set(name.toLowerCase(), describe(dto, name));
    }
  }
  return shape;
}

/** Whether the class is a request DTO this module binds (it carries class-validator rules). */
export function isDto(value: unknown): value is DtoClass {
  return typeof value === 'function' && dtoShape(value).size > 0;
}

function describe(dto: DtoClass, name: string): DtoProperty {
  const declared: unknown = Reflect.getMetadata('design:type', dto.prototype as object, name);
  const nested = defaultMetadataStorage.findTypeMetadata(dto, name)?.typeFunction() as
    DtoClass | undefined;
  const nestedDto = nested && isDto(nested) ? nested : undefined;
  if (declared === Array) return { name, kind: 'array', nested: nestedDto };
  if (nestedDto) return { name, kind: 'object', nested: nestedDto };
  if (declared === Number) return { name, kind: 'number' };
  if (declared === Boolean) return { name, kind: 'boolean' };
  if (declared === String) return { name, kind: 'string' };
  return { name, kind: 'unknown' };
}
