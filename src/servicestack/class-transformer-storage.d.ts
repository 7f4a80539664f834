// class-transformer publishes the @Type() metadata storage only under its cjs/ path, without types.
declare module 'class-transformer/cjs/storage.js' {
  export { defaultMetadataStorage } from 'class-transformer/types/storage.js';
}
