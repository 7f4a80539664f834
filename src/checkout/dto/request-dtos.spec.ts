import 'reflect-metadata';
import { getMetadataStorage } from 'class-validator';
import { IS_WELL_FORMED_TEXT } from '../../common/well-formed-text.js';
import { dtoShape, isDto, type DtoClass } from '../../servicestack/dto-shape.js';
import * as articleToCreate from './article-to-create.dto.js';
import * as status from './get-stripe-checkout-v1-checkout-status.dto.js';
import * as current from './get-stripe-v1-checkout.dto.js';
import * as queryResponse from './stripe-checkout-query-response.dto.js';
import * as create from './stripe-v1-create-checkout.dto.js';

const requestDtos = [articleToCreate, status, current, queryResponse, create]
  .flatMap((module) => Object.values(module))
  .filter((value): value is DtoClass => isDto(value));

const constraintsOf = (dto: DtoClass, property: string) =>
  getMetadataStorage()
    .getTargetValidationMetadatas(dto, '', false, false)
    .filter((metadata) => metadata.propertyName === property)
    .map((metadata) => metadata.name ?? metadata.type);

describe('the request DTOs', () => {
  it('are found', () => {
    expect(requestDtos.map((dto) => dto.name).sort()).toEqual([
      'ArticleToCreate',
      'GetStripeCheckoutV1CheckoutStatus',
      'GetStripeV1Checkout',
      'StripeV1CreateCheckout',
    ]);
  });

  it.each(requestDtos.map((dto) => [dto.name, dto] as const))(
    'check every string property of %s for well-formed Unicode',
    (_name, dto) => {
      const strings = [...dtoShape(dto).values()].filter((property) => property.kind === 'string');
      for (const { name } of strings) {
        expect({ property: name, constraints: constraintsOf(dto, name) }).toEqual({
          property: name,
          constraints: expect.arrayContaining([IS_WELL_FORMED_TEXT]),
        });
      }
    },
  );
});
