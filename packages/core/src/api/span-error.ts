/**
 * An error to record on a span by hand, in the shape the OpenAI Agents SDK uses: a message and
 * optional structured data. The data is recorded (redacted, size-capped) as `agent_otel.error.data`.
 */
export interface SpanError {
  message: string;
  data?: Record<string, unknown>;
}
