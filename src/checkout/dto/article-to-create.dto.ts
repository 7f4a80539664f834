import { IsInt, Max, Min } from 'class-validator';
import { Docs } from '../../swagger/docs.js';

export class ArticleToCreate {
  @Docs((s) =>
    s.ApiProperty({ required: false, type: 'integer', format: 'int32', minimum: 1, example: 1 }),
  )
  @IsInt()
  @Min(1)
  @Max(2_147_483_647)
  ArticleId: number;

  @Docs((s) =>
    s.ApiProperty({ required: false, type: 'integer', format: 'int32', minimum: 1, example: 1 }),
  )
  @IsInt()
  @Min(1)
  @Max(2_147_483_647)
  ArticleTypeId: number;

  @Docs((s) =>
    s.ApiProperty({
      required: false,
      type: 'integer',
      format: 'int32',
      minimum: 1,
      maximum: 1000,
      example: 2,
    }),
  )
  @IsInt()
  @Min(1)
  @Max(1000)
  Quantity: number;
}
