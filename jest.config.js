/** ESM jest: tests and sources are transformed by SWC with legacy decorators + metadata. */
export default {
  testEnvironment: 'node',
  // Hooks too: closing apps and databases on a loaded 2-core machine takes longer than 5 s.
  testTimeout: 30_000,
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: {
    // The standalone app imports the package and the emulator by name, as any host would.
    '^bokamera-payments$': '<rootDir>/src/index.ts',
    '^@bokamera-payments/stripe-emulator$': '<rootDir>/emulator/src/index.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
    // @fastify/static (CommonJS) requires content-disposition 3, which is ESM-only: Node 20 loads
    // it (require(esm)), Jest's module runtime cannot. The CommonJS 2.x beside it has the same create().
    '^content-disposition$': '<rootDir>/node_modules/content-disposition/dist/index.js',
  },
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      {
        jsc: {
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
          target: 'es2023',
        },
        module: { type: 'es6' },
      },
    ],
  },
  testMatch: [
    '<rootDir>/test/**/*.spec.ts',
    '<rootDir>/src/**/*.spec.ts',
    '<rootDir>/emulator/src/**/*.spec.ts',
    '<rootDir>/app/src/**/*.spec.ts',
  ],
  modulePathIgnorePatterns: ['<rootDir>/dist/', '<rootDir>/emulator/dist/', '<rootDir>/app/dist/'],
};
