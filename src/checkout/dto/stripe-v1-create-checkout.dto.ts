import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsISO31661Alpha2,
  IsNotEmpty,
  IsOptional,
  IsString,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { IsWellFormedText } from '../../common/well-formed-text.js';
import { ArticleToCreate } from './article-to-create.dto.js';
import { CompanyIdProperty, InternalReferenceIdProperty } from './shared-properties.js';
import { Docs } from '../../swagger/docs.js';

export const UI_MODES = ['hosted', 'embedded'] as const;
export type UiModeValue = (typeof UI_MODES)[number];

const upperCase = ({ value }: { value: unknown }) =>
  typeof value === 'string' ? value.trim().toUpperCase() : value;
/** Missing or empty means hosted, as the seed says; any case is accepted. */
const uiMode = ({ value }: { value: unknown }) =>
  value === undefined || value === null || value === ''
    ? 'hosted'
    : typeof value === 'string'
      ? value.toLowerCase()
      : value;

export class StripeV1CreateCheckout {
  @CompanyIdProperty()
  CompanyId: string;

  @Docs((s) =>
    s.ApiProperty({
      description: 'Country code for checkout',
      required: true,
      example: 'SE',
      minLength: 2,
      maxLength: 2,
    }),
  )
  @Transform(upperCase)
  @IsNotEmpty()
  @IsISO31661Alpha2()
  @IsWellFormedText()
  CountryCode: string;

  @Docs((s) =>
    s.ApiProperty({
      description: 'Articles (Could be Service, rebate code types, etc..',
      required: true,
      type: [ArticleToCreate],
      minItems: 1,
      maxItems: 100,
      example: [
        { ArticleId: 1, ArticleTypeId: 1, Quantity: 2 },
        { ArticleId: 2, ArticleTypeId: 1, Quantity: 1 },
      ],
    }),
  )
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => ArticleToCreate)
  Articles: ArticleToCreate[];

  @InternalReferenceIdProperty()
  InternalReferenceId: string;

  @Docs((s) =>
    s.ApiProperty({
      description: 'Optional to set your own confirmation url after payment completed.',
      required: false,
      maxLength: 2048,
      example: 'https://example.com/booking/confirmed',
    }),
  )
  @IsOptional()
  @IsString()
  @MaxLength(2048)
  @IsWellFormedText()
  ConfirmationUrl?: string;

  @Docs((s) =>
    s.ApiProperty({
      description:
        'If set, Checkout displays a back button and customers will be directed to this URL if they decide to cancel payment and return to your website. This parameter is not allowed if ui_mode is <c>embedded</c>.',
      required: false,
      maxLength: 2048,
      example: 'https://example.com/booking/cancelled',
    }),
  )
  @IsOptional()
  @IsString()
  @MaxLength(2048)
  @IsWellFormedText()
  CancelUrl?: string;

  @Docs((s) =>
    s.ApiProperty({
      description:
        'The UI mode of the Session. Defaults to <c>hosted</c>; One of: <c>embedded</c>, or <c>hosted</c>',
      required: true,
      enum: UI_MODES,
      example: 'hosted',
    }),
  )
  @Transform(uiMode)
  @IsIn(UI_MODES)
  @IsWellFormedText()
  UiMode: UiModeValue = 'hosted';
}
