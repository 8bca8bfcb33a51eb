import { SEMCONV_REGISTRY_VERSION } from '@agent-otel/testing/conformance';
import { SEMCONV_SCHEMA_URL, SEMCONV_VERSION } from '../../src/semconv';

describe('the followed semantic-conventions version', () => {
  it('is the version of the registry every suite is checked against', () => {
    expect(SEMCONV_VERSION).toBe(SEMCONV_REGISTRY_VERSION);
    expect(SEMCONV_SCHEMA_URL).toBe(`https://opentelemetry.io/schemas/gen-ai/${SEMCONV_VERSION.slice(1)}`);
  });
});
