/** The npm name of this package: the instrumentation scope name. */
export const PACKAGE_NAME = '@agent-otel/ai-sdk';
/** The version of this package (kept in step with package.json by the release process). */
export const PACKAGE_VERSION = '0.1.0';
/** The `ai` versions whose telemetry-integration interface this package implements. */
export const SUPPORTED_VERSIONS: readonly string[] = ['>=7.0.0 <8'];
