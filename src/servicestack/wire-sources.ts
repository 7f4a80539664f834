import qs from 'qs';

/**
 * Where a request DTO's values came from. Form bodies and query strings carry only strings, so
 * their values are converted by the DTO's declared types; a JSON body is bound as sent (a JSON
 * `"1"` for a number stays a string and fails validation).
 */
export type WireSource = 'json' | 'form' | 'query';

/** ServiceStack's own query parameters: they choose the response format and never bind. */
export const RESERVED_QUERY_PARAMS = ['format', 'callback', '_'] as const;

export const FORM_CONTENT_TYPE = 'application/x-www-form-urlencoded';

/**
 * Nested names the way ServiceStack clients and HTML forms write them, all to the same shape:
 * `Articles[0][ArticleId]=1`, `Articles[0].ArticleId=1` (and JSV/JSON in `Articles=[...]`, which
 * the DTO binding parses).
 */
const FORM_OPTIONS: qs.IParseOptions = {
  allowDots: true,
  arrayLimit: 1000,
  depth: 5,
  parameterLimit: 2000,
  allowPrototypes: false,
};

/**
 * A name must start like a property name. qs would read `.CompanyId` and `[CompanyId]` as
 * `CompanyId`, a field the auth guard (which sees the names as sent) never checked for the tenant:
 * such names stay as sent, unknown, and are rejected by validation.
 */
const PROPERTY_NAME_START = /^[A-Za-z_$]/;

export function parseFormText(text: string): Record<string, unknown> {
  return structure([...new URLSearchParams(text)]);
}

/**
 * Re-reads a query or form object that another parser already split (Express' "simple" query
 * parser keeps `Articles[0].ArticleId` as one key; the "extended" form parser turns it into an
 * array of strings, which is why a form body is read from the raw body when there is one).
 */
export function restructure(parsed: Record<string, unknown>): Record<string, unknown> {
  return parseFormText(qs.stringify(parsed));
}

function structure(pairs: [string, string][]): Record<string, unknown> {
  const named = pairs.filter(([key]) => PROPERTY_NAME_START.test(key));
  const unnamed = pairs.filter(([key]) => !PROPERTY_NAME_START.test(key));
  const nested = qs.parse(new URLSearchParams(named).toString(), FORM_OPTIONS);
  // fromEntries defines own properties: no name reaches the prototype.
  return Object.fromEntries([...Object.entries(nested), ...unnamed]);
}

export function withoutReservedParams(query: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(query).filter(
      ([key]) => !(RESERVED_QUERY_PARAMS as readonly string[]).includes(key.toLowerCase()),
    ),
  );
}
