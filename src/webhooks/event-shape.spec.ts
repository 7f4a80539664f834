import { eventShapeProblem } from './event-shape.js';

const event = (overrides: Record<string, unknown> = {}) => ({
  id: 'evt_1',
  object: 'event',
  type: 'checkout.session.completed',
  data: { object: { id: 'cs_test_1', object: 'checkout.session' } },
  ...overrides,
});

describe('eventShapeProblem', () => {
  it.each([
    ['a checkout event', event()],
    ['a Connect event', event({ account: 'acct_1' })],
    ['an event with account null', event({ account: null })],
    [
      'an object without id of another type',
      event({ type: 'balance.available', data: { object: { object: 'balance' } } }),
    ],
  ])('accepts %s', (_name, value) => {
    expect(eventShapeProblem(value)).toBeUndefined();
  });

  it.each([
    ['null', null, ''],
    ['an array', [], ''],
    ['a number', 42, ''],
    ['a string', 'evt_1', ''],
    ['no object', event({ object: undefined }), 'object'],
    ['object null', event({ object: null }), 'object'],
    ['no id', event({ id: undefined }), 'id'],
    ['a numeric id', event({ id: 42 }), 'id'],
    ['an empty id', event({ id: '' }), 'id'],
    ['an id too long for its column', event({ id: `evt_${'x'.repeat(300)}` }), 'id'],
    ['no type', event({ type: undefined }), 'type'],
    ['an account that is not a string', event({ account: { id: 'acct_1' } }), 'account'],
    ['no data', event({ data: undefined }), 'data'],
    ['no data.object', event({ data: {} }), 'data.object'],
    ['data.object null', event({ data: { object: null } }), 'data.object'],
    ['data.object an array', event({ data: { object: [] } }), 'data.object'],
    [
      'a session without id',
      event({ data: { object: { object: 'checkout.session' } } }),
      'data.object.id',
    ],
    ['a session with a numeric id', event({ data: { object: { id: 7 } } }), 'data.object.id'],
    [
      'another object with an id that is not a string',
      event({ type: 'charge.succeeded', data: { object: { id: {} } } }),
      'data.object.id',
    ],
  ])('refuses %s, naming the field', (_name, value, field) => {
    expect(eventShapeProblem(value)).toEqual({ field, message: expect.any(String) });
  });
});
