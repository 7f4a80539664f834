import { PaymentsException } from '../errors/payments.exception.js';
import { malformedField, queryStringOf, refuseMalformedText } from './well-formed-wire.js';

describe('malformedField', () => {
  it.each([
    '',
    'CompanyId=abc&InternalReferenceId=booking-1',
    'InternalReferenceId=%C3%A1bc', // ábc
    'InternalReferenceId=%F0%9F%92%88', // a surrogate pair, well-formed
    'InternalReferenceId=100%', // a % that starts no escape
    'InternalReferenceId=a%zz+b',
    'Articles[0][ArticleId]=1&flag',
  ])('accepts %p', (text) => {
    expect(malformedField(text)).toBeUndefined();
  });

  it.each([
    ['InternalReferenceId=a%FF', 'InternalReferenceId'],
    ['CompanyId=x&InternalReferenceId=a%ED%A0%80', 'InternalReferenceId'], // a lone surrogate
    ['SessionId=%C3', 'SessionId'], // a truncated sequence
    ['SessionId=%C0%AF', 'SessionId'], // an overlong encoding
    ['Bad%FFName=1', 'Bad\ufffdName'],
  ])('names the field of %p', (text, field) => {
    expect(malformedField(text)).toBe(field);
  });
});

describe('refuseMalformedText', () => {
  it('refuses a body that is not UTF-8', () => {
    const rawBody = Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x7d]);
    expect(() => refuseMalformedText({ queryString: '', rawBody })).toThrow(PaymentsException);
  });

  it('reads the query string of a URL', () => {
    expect(queryStringOf('/a/b?x=1&y=2')).toBe('x=1&y=2');
    expect(queryStringOf('/a/b')).toBe('');
  });
});
