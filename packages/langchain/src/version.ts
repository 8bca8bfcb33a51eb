/** The npm name of this package: the instrumentation scope name. */
export const PACKAGE_NAME = '@agent-otel/langchain';
/** The version of this package (kept in step with package.json by the release process). */
export const PACKAGE_VERSION = '0.1.0';
/** The `@langchain/core` versions whose callback system this package follows (1.x and the previous major, 0.3). */
export const SUPPORTED_VERSIONS: readonly string[] = ['>=0.3.0 <2'];
