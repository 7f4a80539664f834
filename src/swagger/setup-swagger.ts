import type { INestApplication } from '@nestjs/common';
import type { OpenAPIObject } from '@nestjs/swagger';
import { JSON_SUFFIX } from '../servicestack/json-suffix-routes.js';
import { FORM_CONTENT_TYPE } from '../servicestack/wire-sources.js';
import { applyDocs, type SwaggerLibrary } from './docs.js';

const DESCRIPTION = [
  "BokaMera's `payment/stripe/v1` contract: Stripe Checkout for payable entities.",
  '',
  'ServiceStack-compatible: every operation is also served on `/api/{RequestDto}` and',
  '`/json/reply/{RequestDto}` (e.g. `POST /api/StripeV1CreateCheckout`), every route also with a',
  '`.json` suffix; `?callback=fn` on a GET answers JSONP. Request bodies may be JSON or',
  '`application/x-www-form-urlencoded` (lists as `Articles[0][ArticleId]=1`,',
  '`Articles[0].ArticleId=1` or `Articles=[{ArticleId:1,ArticleTypeId:1,Quantity:2}]`).',
  'Property names bind case-insensitively; responses are PascalCase with `null` fields present.',
  'Every error is a `ResponseStatus`.',
  '',
  'Demo data: API key `demo-api-key`, company `3fa85f64-5717-4562-b3fc-2c963f66afa6`.',
].join('\n');

/**
 * `@nestjs/swagger`, loaded only now: an optional peer of the module. Its decorators on our DTOs
 * and operations are applied on the way.
 */
async function swaggerLibrary(): Promise<SwaggerLibrary> {
  let swagger: SwaggerLibrary;
  try {
    swagger = await import('@nestjs/swagger');
  } catch {
    throw new Error('setupSwagger needs @nestjs/swagger: npm install @nestjs/swagger');
  }
  applyDocs(swagger);
  return swagger;
}

/** The OpenAPI document of the service; the committed `openapi.json` is this, exported. */
export async function buildOpenApiDocument(app: INestApplication): Promise<OpenAPIObject> {
  const { DocumentBuilder, SwaggerModule } = await swaggerLibrary();
  return build(app, DocumentBuilder, SwaggerModule);
}

function build(
  app: INestApplication,
  DocumentBuilder: SwaggerLibrary['DocumentBuilder'],
  SwaggerModule: SwaggerLibrary['SwaggerModule'],
): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Payments — Stripe Checkout')
    .setDescription(DESCRIPTION)
    .setVersion('1.0')
    .addApiKey(
      {
        type: 'apiKey',
        in: 'header',
        name: 'x-api-key',
        description: 'The API key of a company (or a platform key); demo: `demo-api-key`',
      },
      'x-api-key',
    )
    .build();
  const document = SwaggerModule.createDocument(app, config, {
    // Each route is declared with its `.json` alias; Nest's explorer then numbers the method.
    operationIdFactory: (controller, method) => `${controller}_${method.replace(/\[\d+\]$/, '')}`,
  });
  return withFormBodies(withoutJsonAliases(document));
}

/** The `.json` suffix of every route is documented once, in the description, not as paths. */
function withoutJsonAliases(document: OpenAPIObject): OpenAPIObject {
  const paths = Object.entries(document.paths).filter(([path]) => !path.endsWith(JSON_SUFFIX));
  return { ...document, paths: Object.fromEntries(paths) };
}

/** Every JSON request body is also accepted form-encoded, as ServiceStack does. */
function withFormBodies(document: OpenAPIObject): OpenAPIObject {
  for (const item of Object.values(document.paths)) {
    for (const operation of [item.get, item.post, item.put, item.patch, item.delete]) {
      const body = operation?.requestBody;
      if (!body || !('content' in body)) continue;
      const json = body.content['application/json'];
      if (json) body.content[FORM_CONTENT_TYPE] = { schema: json.schema };
    }
  }
  return document;
}

/** Swagger UI at /swagger-ui and the document at /openapi.json (needs `@nestjs/swagger`). */
export async function setupSwagger(app: INestApplication): Promise<void> {
  const { DocumentBuilder, SwaggerModule } = await swaggerLibrary();
  SwaggerModule.setup('swagger-ui', app, () => build(app, DocumentBuilder, SwaggerModule), {
    jsonDocumentUrl: 'openapi.json',
    raw: ['json'],
    customSiteTitle: 'Payments — Stripe Checkout',
    swaggerOptions: {
      persistAuthorization: true,
      displayOperationId: true,
      defaultModelExpandDepth: 3,
    },
  });
}
