import { applyDecorators } from '@nestjs/common';
import { Docs } from '../swagger/docs.js';

/** ServiceStack's `ResponseError`: one failing field. */
export class ResponseError {
  @Docs((s) =>
    s.ApiProperty({
      description: 'Machine-readable code, e.g. NotEmpty, InclusiveBetween',
      example: 'InclusiveBetween',
    }),
  )
  ErrorCode: string;

  @Docs((s) =>
    s.ApiProperty({
      description: 'The request property, PascalCase; nested: Articles[0].Quantity',
      example: 'Articles[0].Quantity',
    }),
  )
  FieldName: string;

  @Docs((s) =>
    s.ApiProperty({
      description: 'Human-readable message',
      example: 'Quantity must not be less than 1',
    }),
  )
  Message: string;

  @Docs((s) => s.ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'string' } }))
  Meta?: Record<string, string>;
}

/** ServiceStack's `ResponseStatus`. */
export class ResponseStatus {
  @Docs((s) =>
    s.ApiProperty({
      description: 'Machine-readable code of the error',
      example: 'InclusiveBetween',
    }),
  )
  ErrorCode: string;

  @Docs((s) =>
    s.ApiProperty({
      description: 'Human-readable message',
      example: 'Quantity must not be less than 1',
    }),
  )
  Message: string;

  @Docs((s) =>
    s.ApiProperty({
      type: [ResponseError],
      description: 'One entry per failing field (may be empty)',
    }),
  )
  Errors: ResponseError[];

  @Docs((s) =>
    s.ApiPropertyOptional({
      type: 'object',
      additionalProperties: { type: 'string' },
      description: 'E.g. the ErrorId of an unexpected error, to quote to support',
    }),
  )
  Meta?: Record<string, string>;
}

/** Every 4xx/5xx body of the module. */
export class ErrorResponse {
  @Docs((s) => s.ApiProperty({ type: ResponseStatus }))
  ResponseStatus: ResponseStatus;
}

const AUTHENTICATED_ERRORS: [number, string][] = [
  [400, 'Validation failed (ResponseStatus.Errors names each field) or the request is malformed'],
  [401, 'No or unknown x-api-key'],
  [403, 'The x-api-key is not allowed for this CompanyId'],
  [404, 'Unknown company, article or checkout'],
  [409, 'The payable is already paid, or a conflicting request is in flight'],
  [413, 'The request body is larger than 100 kB'],
  [429, 'Rate limited: retry after Retry-After seconds'],
  [500, 'Unexpected error: quote ResponseStatus.Meta.ErrorId to support'],
  [502, 'Stripe answered with an error'],
  [503, 'Stripe or the database is unavailable: retry after Retry-After seconds'],
];

/** Documents the ServiceStack error envelope on an operation controller's 4xx/5xx answers. */
export function ApiErrorResponses(options: { authenticated: boolean }): ClassDecorator {
  const errors = options.authenticated
    ? AUTHENTICATED_ERRORS
    : AUTHENTICATED_ERRORS.filter(([status]) => status !== 401 && status !== 403);
  return applyDecorators(
    Docs((s) => s.ApiExtraModels(ErrorResponse, ResponseStatus, ResponseError)),
    ...errors.map(([status, description]) =>
      Docs((s) => s.ApiResponse({ status, description, type: ErrorResponse })),
    ),
  );
}
