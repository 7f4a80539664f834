// @ts-check
// The create request checked by hand: the fields, types and bounds the service's DTO checks.

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const isInt = (/** @type {unknown} */ v, /** @type {number} */ min, /** @type {number} */ max) =>
  Number.isInteger(v) && /** @type {number} */ (v) >= min && /** @type {number} */ (v) <= max;

/** @typedef {{ ErrorCode: string, FieldName: string, Message: string }} FieldError */

/** @param {any} body @returns {FieldError[]} */
export function validate(body) {
  /** @type {FieldError[]} */
  const errors = [];
  const fail = (/** @type {string} */ FieldName, /** @type {string} */ Message) =>
    errors.push({ ErrorCode: 'ValidationException', FieldName, Message });
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    fail('', 'The request body must be a JSON object');
    return errors;
  }
  if (typeof body.CompanyId !== 'string' || !UUID.test(body.CompanyId))
    fail('CompanyId', 'CompanyId must be a UUID');
  if (typeof body.CountryCode !== 'string' || !/^[A-Za-z]{2}$/.test(body.CountryCode.trim()))
    fail('CountryCode', 'CountryCode must be an ISO 3166-1 alpha-2 code');
  articles(body.Articles, fail);
  const ref = body.InternalReferenceId;
  if (typeof ref !== 'string' || ref.length < 1 || ref.length > 100)
    fail('InternalReferenceId', 'InternalReferenceId must be 1 to 100 characters');
  for (const field of ['ConfirmationUrl', 'CancelUrl']) {
    const v = body[field];
    if (v !== undefined && v !== null && (typeof v !== 'string' || v.length > 2048))
      fail(field, `${field} must be a URL of at most 2048 characters`);
  }
  const mode = body.UiMode ?? 'hosted';
  if (typeof mode !== 'string' || !['hosted', 'embedded'].includes(mode.toLowerCase() || 'hosted'))
    fail('UiMode', 'UiMode must be hosted or embedded');
  return errors;
}

/** @param {any} list @param {(field: string, message: string) => void} fail */
function articles(list, fail) {
  if (!Array.isArray(list) || list.length < 1 || list.length > 100)
    return fail('Articles', 'Articles must hold 1 to 100 items');
  list.forEach((a, i) => {
    if (a === null || typeof a !== 'object') return fail(`Articles[${i}]`, 'must be an object');
    if (!isInt(a.ArticleId, 1, 2 ** 31 - 1)) fail(`Articles[${i}].ArticleId`, 'invalid');
    if (!isInt(a.ArticleTypeId, 1, 2 ** 31 - 1)) fail(`Articles[${i}].ArticleTypeId`, 'invalid');
    if (!isInt(a.Quantity, 1, 999)) fail(`Articles[${i}].Quantity`, 'must be 1 to 999');
  });
}
