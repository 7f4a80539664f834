import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { parseDatabaseUrl } from './config/database-url.js';
import { schemaToolOptions } from './database/typeorm-options.js';

/** The DataSource of the TypeORM CLI (`npm run migration:run`), from the same DB_URL as the service. */
export default new DataSource(
  await schemaToolOptions(parseDatabaseUrl(process.env.DB_URL ?? 'sqlite:./data/payments.sqlite')),
);
