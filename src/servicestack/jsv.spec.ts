import { parseJsv, parseStructuredText } from './jsv.js';

describe('JSV', () => {
  it('reads the lists and objects ServiceStack clients send', () => {
    expect(
      parseJsv(
        '[{ArticleId:1,ArticleTypeId:1,Quantity:2},{ArticleId:2,ArticleTypeId:1,Quantity:1}]',
      ),
    ).toEqual([
      { ArticleId: '1', ArticleTypeId: '1', Quantity: '2' },
      { ArticleId: '2', ArticleTypeId: '1', Quantity: '1' },
    ]);
    expect(parseJsv('{Name:"a, ""quoted"" {b}",Empty:"",List:[]}')).toEqual({
      Name: 'a, "quoted" {b}',
      Empty: '',
      List: [],
    });
    expect(parseJsv(' [ { A : 1 } , { B : x y } ] ')).toEqual([{ A: '1' }, { B: 'x y' }]);
  });

  it('keeps a __proto__ key an own property', () => {
    const value = parseJsv('{__proto__:{polluted:yes}}') as Record<string, unknown>;
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it.each(['[{A:1}', '{A:1}}', '{A}', '["open]', '[1,2]x', '['.repeat(50) + 'x' + ']'.repeat(50)])(
    'refuses %j',
    (text) => {
      expect(parseStructuredText(text)).toBeUndefined();
    },
  );

  it('prefers JSON, typed, when the text is JSON', () => {
    expect(parseStructuredText('[{"ArticleId":1}]')).toEqual([{ ArticleId: 1 }]);
  });
});
