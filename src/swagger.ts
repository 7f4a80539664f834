import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';

export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Payments — Stripe Checkout')
    .setDescription("BokaMera's payment/stripe/v1 contract: Stripe Checkout for payable entities")
    .setVersion('1.0')
    .addApiKey({ type: 'apiKey', in: 'header', name: 'x-api-key' }, 'x-api-key')
    .build();
  return SwaggerModule.createDocument(app, config);
}

/** Swagger UI at /swagger-ui and the document at /openapi.json. */
export function setupSwagger(app: INestApplication): void {
  SwaggerModule.setup('swagger-ui', app, () => buildOpenApiDocument(app), {
    jsonDocumentUrl: 'openapi.json',
    raw: ['json'],
  });
}
