import { ValidationPipe, type ArgumentMetadata } from '@nestjs/common';
import { isDto } from './dto-shape.js';
import { bindToDto } from './request-binding.js';
import { restructure, wireSourceOf, withoutReservedParams } from './wire-sources.js';

/**
 * class-validator after ServiceStack's binding rules (see `bindToDto`), for every body and query
 * DTO of the module: on the custom routes and on the predefined `/api/{Dto}` routes alike.
 */
export class ServiceStackValidationPipe extends ValidationPipe {
  override transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    return super.transform(bindRequest(value, metadata), metadata);
  }
}

function bindRequest(value: unknown, { type, metatype }: ArgumentMetadata): unknown {
  if ((type !== 'body' && type !== 'query') || !isDto(metatype)) return value;
  if (!value || typeof value !== 'object' || Array.isArray(value)) return value;
  const source = wireSourceOf(value) ?? (type === 'query' ? 'query' : 'json');
  if (source === 'json') return bindToDto(value, metatype, false);
  let fields = value as Record<string, unknown>;
  if (source === 'query') fields = withoutReservedParams(restructure(fields));
  return bindToDto(fields, metatype, true);
}
