import { ValidateBy, type ValidationOptions } from 'class-validator';

export const IS_WELL_FORMED_TEXT = 'isWellFormedText';

/**
 * Text must be well-formed Unicode: a lone surrogate (JSON `"\ud800"`) cannot be encoded as
 * UTF-8, so the database would store a replacement character and Stripe would refuse it.
 * Non-strings pass: the property's type rule reports them.
 */
export function IsWellFormedText(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: IS_WELL_FORMED_TEXT,
      validator: {
        validate: (value: unknown) => typeof value !== 'string' || value.isWellFormed(),
        defaultMessage: (args) =>
          `${args?.property ?? 'The value'} must be well-formed Unicode text (it holds a lone surrogate)`,
      },
    },
    options,
  );
}
