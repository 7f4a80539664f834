import { boundedErrorBody, MAX_ERROR_BODY_BYTES, MAX_FIELD_ERRORS } from './bounded-error-body.js';
import type { ErrorBody, ResponseError } from './response-status.js';

const body = (errors: ResponseError[], message = 'bad'): ErrorBody => ({
  ResponseStatus: { ErrorCode: 'NotAllowed', Message: message, Errors: errors },
});
const unknownField = (name: string): ResponseError => ({
  ErrorCode: 'NotAllowed',
  FieldName: name,
  Message: `property ${name} should not exist`,
});
const parse = (text: string) => JSON.parse(text) as ErrorBody;

describe('boundedErrorBody', () => {
  it('leaves a small body as it is', () => {
    const small = body([unknownField('Amount')]);
    expect(parse(boundedErrorBody(small))).toEqual(small);
  });

  it('keeps the first 20 field errors and says how many there were', () => {
    const errors = Array.from({ length: 3000 }, (_, i) => unknownField(`F${i}`));
    const bounded = parse(boundedErrorBody(body(errors)));
    expect(bounded.ResponseStatus.Errors).toEqual(errors.slice(0, MAX_FIELD_ERRORS));
    expect(bounded.ResponseStatus.Meta).toEqual({ TotalErrors: '3000' });
  });

  it.each([
    ['long names', 'x'.repeat(50_000)],
    ['names that JSON escapes six-fold', '\u0001'.repeat(50_000)],
    ['names of three-byte characters', '€'.repeat(50_000)],
  ])('stays within 32 KB for %s', (_name, name) => {
    const errors = Array.from({ length: 30 }, (_, i) => unknownField(`${name}${i}`));
    const text = boundedErrorBody(body(errors, errors[0].Message));
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(MAX_ERROR_BODY_BYTES);
    const bounded = parse(text);
    expect(bounded.ResponseStatus.Errors.length).toBeGreaterThan(0);
    expect(bounded.ResponseStatus.Message.length).toBeLessThanOrEqual(500);
    expect(bounded.ResponseStatus.Errors[0].FieldName.endsWith('…')).toBe(true);
  });

  it('never cuts a surrogate pair', () => {
    const text = boundedErrorBody(body([unknownField('💈'.repeat(400))]));
    expect(parse(text).ResponseStatus.Errors[0].FieldName.isWellFormed()).toBe(true);
  });
});
