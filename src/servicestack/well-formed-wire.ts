import { isUtf8 } from 'node:buffer';
import { PaymentsException } from '../errors/payments.exception.js';

/**
 * Form bodies and query strings carry percent-encoded UTF-8. The parsers decode bytes that are
 * not UTF-8 (`%FF`, or `%ED%A0%80`, an encoded lone surrogate) to U+FFFD, so two different
 * values would arrive as one: such a field is a 400 naming it, as a lone surrogate in JSON is.
 */
export function refuseMalformedText(input: {
  queryString: string;
  formBody?: string;
  rawBody?: Buffer;
}): void {
  if (input.rawBody && !isUtf8(input.rawBody)) {
    throw new PaymentsException('ValidationException', 'The request body is not valid UTF-8', [
      {
        ErrorCode: 'SerializationException',
        FieldName: '',
        Message: 'The request body is not valid UTF-8',
      },
    ]);
  }
  const field = malformedField(input.queryString) ?? malformedField(input.formBody ?? '');
  if (field === undefined) return;
  const message = `${field} must be well-formed UTF-8 text`;
  throw new PaymentsException('ValidationException', message, [
    { ErrorCode: 'WellFormedText', FieldName: field, Message: message },
  ]);
}

/** The (leniently decoded) name of the first field whose name or value is not UTF-8. */
export function malformedField(text: string): string | undefined {
  for (const pair of text.split('&')) {
    const separator = pair.indexOf('=');
    const name = separator < 0 ? pair : pair.slice(0, separator);
    const value = separator < 0 ? '' : pair.slice(separator + 1);
    if (!isUtf8Component(name) || !isUtf8Component(value)) {
      return [...new URLSearchParams(pair).keys()][0] ?? '';
    }
  }
  return undefined;
}

/** Whether the percent-escapes decode to UTF-8; a `%` that starts no escape stays a `%`, as in URLSearchParams. */
function isUtf8Component(text: string): boolean {
  try {
    decodeURIComponent(text.replace(/\+/g, ' ').replace(/%(?![0-9a-f]{2})/gi, '%25'));
    return true;
  } catch {
    return false;
  }
}

export function queryStringOf(url: string | undefined): string {
  const start = url?.indexOf('?') ?? -1;
  return url && start >= 0 ? url.slice(start + 1) : '';
}
