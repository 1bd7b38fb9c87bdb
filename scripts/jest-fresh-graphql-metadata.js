// @nestjs/graphql keeps its decorator metadata on the global object, which outlives a test file's
// module registry when files run in one process: the next file's app would then be built from
// classes of the previous one. Each test file starts with none.
delete globalThis.GqlTypeMetadataStorage;
delete globalThis.GqlLazyMetadataStorageHost;
