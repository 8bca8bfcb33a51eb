import { ROOT_CONTEXT } from '@opentelemetry/api';
import * as otelCore from '@opentelemetry/core';
import { SUPPRESS_TRACING_KEY } from '../../src/context-keys';
import {
  ExportResultCode,
  hrTimeToMilliseconds,
  hrTimeToTimeStamp,
  stringListFromEnv,
} from '../../src/export/sdk-values';

// core's own copies of the `@opentelemetry/core` values it uses (so that it needs no SDK package at
// run time) must equal the originals.

describe('sdk-values equal their @opentelemetry/core counterparts', () => {
  it('ExportResultCode', () => {
    expect(ExportResultCode.SUCCESS).toBe(otelCore.ExportResultCode.SUCCESS);
    expect(ExportResultCode.FAILED).toBe(otelCore.ExportResultCode.FAILED);
  });

  it.each([
    [[0, 0]],
    [[1, 5]],
    [[1_733_000_000, 123_456_789]],
    [[1_733_000_000, 999_999_999]],
    [[59, 1_000]],
  ] as [number, number][][])('hrTime conversions of %j', (time) => {
    expect(hrTimeToMilliseconds(time)).toBe(otelCore.hrTimeToMilliseconds(time));
    expect(hrTimeToTimeStamp(time)).toBe(otelCore.hrTimeToTimeStamp(time));
  });

  it.each([undefined, '', '   ', 'a', ' a , b ,, c ', ',', 'user.id,session.id'])(
    'stringListFromEnv of %j',
    (value) => {
      const name = 'AGENT_OTEL_TEST_SDK_VALUES_LIST';
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
      try {
        expect(stringListFromEnv(name)).toEqual(otelCore.getStringListFromEnv(name));
      } finally {
        delete process.env[name];
      }
    },
  );

  it("SUPPRESS_TRACING_KEY is the SDK's suppress-tracing flag", () => {
    expect(otelCore.isTracingSuppressed(ROOT_CONTEXT.setValue(SUPPRESS_TRACING_KEY, true))).toBe(true);
    expect(otelCore.suppressTracing(ROOT_CONTEXT).getValue(SUPPRESS_TRACING_KEY)).toBe(true);
  });
});
