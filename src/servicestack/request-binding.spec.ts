import 'reflect-metadata';
import { Type } from 'class-transformer';
import { IsArray, IsBoolean, IsInt, IsString, ValidateNested } from 'class-validator';
import { bindToDto } from './request-binding.js';
import { parseFormText } from './wire-sources.js';

class Line {
  @IsInt()
  ArticleId: number;
}

class Order {
  @IsString()
  CompanyId: string;

  @IsBoolean()
  Express: boolean;

  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => Line)
  Lines: Line[];
}

describe('bindToDto', () => {
  it('renames keys to the DTO spelling, nested too, and keeps unknown keys as sent', () => {
    expect(
      bindToDto({ companyid: 'c', lines: [{ articleId: 1, price: 2 }], Amount: 3 }, Order, false),
    ).toEqual({
      CompanyId: 'c',
      Lines: [{ ArticleId: 1, price: 2 }],
      Amount: 3,
    });
  });

  it('lets the exact spelling win and leaves the other one unknown', () => {
    expect(bindToDto({ companyId: 'a', CompanyId: 'b' }, Order, false)).toEqual({
      companyId: 'a',
      CompanyId: 'b',
    });
    expect(bindToDto({ companyId: 'a', companyid: 'b' }, Order, false)).toEqual({
      CompanyId: 'a',
      companyid: 'b',
    });
  });

  it('converts strings by the declared types only for string transports', () => {
    const form = parseFormText(
      'Express=TRUE&Lines[0].ArticleId=7&Lines[1][articleid]=8&CompanyId=42',
    );
    expect(bindToDto(form, Order, true)).toEqual({
      CompanyId: '42',
      Express: true,
      Lines: [{ ArticleId: 7 }, { ArticleId: 8 }],
    });
    expect(bindToDto({ Express: 'true', Lines: [{ ArticleId: '7' }] }, Order, false)).toEqual({
      Express: 'true',
      Lines: [{ ArticleId: '7' }],
    });
  });

  it('reads JSV and JSON lists, and form lists longer than the parser limit', () => {
    expect(bindToDto({ Lines: '[{ArticleId:1},{articleId:2}]' }, Order, true)).toEqual({
      Lines: [{ ArticleId: 1 }, { ArticleId: 2 }],
    });
    expect(
      bindToDto({ Lines: { 1: { ArticleId: '2' }, 0: { ArticleId: '1' } } }, Order, true),
    ).toEqual({
      Lines: [{ ArticleId: 1 }, { ArticleId: 2 }],
    });
    expect(bindToDto({ Lines: 'not a list' }, Order, true)).toEqual({ Lines: 'not a list' });
  });

  it('keeps names that do not start like a property as sent', () => {
    expect(parseFormText('.CompanyId=x&[CompanyId]=y&CompanyId=z')).toEqual({
      CompanyId: 'z',
      '.CompanyId': 'x',
      '[CompanyId]': 'y',
    });
  });
});
