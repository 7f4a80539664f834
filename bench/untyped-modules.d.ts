// Packages the bench uses without published types (the tools are type-checked by tsconfig.tools.json).
declare module 'autocannon';
declare module 'better-sqlite3';
