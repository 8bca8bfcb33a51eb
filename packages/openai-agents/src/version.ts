/** The npm name of this package: the instrumentation scope of the bridge's spans. */
export const PACKAGE_NAME = '@agent-otel/openai-agents';
/** The version of this package (kept in step with package.json by the release process). */
export const PACKAGE_VERSION = '0.1.0';
/** The `@openai/agents` versions the bridge supports (its hooks load only these). */
export const SUPPORTED_VERSIONS: readonly string[] = ['>=0.14.0 <1'];
