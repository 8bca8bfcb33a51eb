/** The npm name of this package: the instrumentation scope name. */
export const PACKAGE_NAME = '@agent-otel/instrumentation-openai';
/** The version of this package (kept in step with package.json by the release process). */
export const PACKAGE_VERSION = '0.1.0';
/** The `openai` versions this instrumentation patches. */
export const SUPPORTED_VERSIONS: readonly string[] = ['>=6.0.0 <8'];
