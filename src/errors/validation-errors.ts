import type { ValidationError } from 'class-validator';
import { IS_WELL_FORMED_TEXT } from '../common/well-formed-text.js';
import { PaymentsException } from './payments.exception.js';
import type { ResponseError } from './response-status.js';

/** class-validator constraint → the ServiceStack (FluentValidation) error code its clients know. */
const SERVICESTACK_CODES: Record<string, string> = {
  isDefined: 'NotNull',
  isNotEmpty: 'NotEmpty',
  arrayNotEmpty: 'NotEmpty',
  arrayMinSize: 'NotEmpty',
  arrayMaxSize: 'Length',
  min: 'InclusiveBetween',
  max: 'InclusiveBetween',
  isLength: 'Length',
  maxLength: 'Length',
  minLength: 'Length',
  isIn: 'Enum',
  isEnum: 'Enum',
  isEmail: 'Email',
  isUuid: 'Uuid',
  isInt: 'Integer',
  isString: 'String',
  isArray: 'Array',
  isISO31661Alpha2: 'CountryCode',
  isUrl: 'Url',
  whitelistValidation: 'NotAllowed',
  nestedValidation: 'Object',
  [IS_WELL_FORMED_TEXT]: 'WellFormedText',
};

export function toResponseErrors(errors: ValidationError[], parentPath = ''): ResponseError[] {
  return errors.flatMap((error) => {
    const path = fieldPath(parentPath, error.property);
    const own = Object.entries(error.constraints ?? {}).map(([constraint, message]) => ({
      ErrorCode: SERVICESTACK_CODES[constraint] ?? 'Invalid',
      FieldName: path,
      Message: message,
    }));
    return [...own, ...toResponseErrors(error.children ?? [], path)];
  });
}

function fieldPath(parent: string, property: string): string {
  if (/^\d+$/.test(property)) return `${parent}[${property}]`;
  return parent ? `${parent}.${property}` : property;
}

export function validationException(errors: ValidationError[]): PaymentsException {
  const fieldErrors = toResponseErrors(errors);
  return new PaymentsException(
    'ValidationException',
    fieldErrors[0]?.Message ?? 'The request is not valid',
    fieldErrors,
  );
}
