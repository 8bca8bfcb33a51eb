/** The version of @agent-otel/openai-agents (kept in step with package.json by the release process). */
export const VERSION = '0.1.0';

/** The instrumentation scope of the bridge's spans. */
export const INSTRUMENTATION_NAME = '@agent-otel/openai-agents';
