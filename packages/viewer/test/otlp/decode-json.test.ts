// The OTLP/JSON decoder beyond what the JS exporter sends: int64 as strings or numbers, enums as
// integers or names, base64 ids of the plain protobuf JSON mapping, unknown fields, nulls; errors
// naming the field path; the bounds of limits.ts.
import { TOO_DEEP, TRUNCATION_MARKER, resolveLimits } from '../../src/limits.js';
import { decodeOtlpJson } from '../../src/otlp/decode-json.js';
import { OtlpDecodeError, OtlpLimitError } from '../../src/otlp/errors.js';

const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';
const SPAN_ID = 'b7ad6b7169203331';

function requestWith(span: Record<string, unknown>, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'svc' } }] },
        scopeSpans: [
          {
            scope: { name: 'scope', version: '1' },
            spans: [{ traceId: TRACE_ID, spanId: SPAN_ID, name: 'op', ...span }],
          },
        ],
        ...extra,
      },
    ],
  });
}

function errorOf(body: string): OtlpDecodeError {
  try {
    decodeOtlpJson(body);
  } catch (error) {
    if (error instanceof OtlpDecodeError) return error;
    throw error;
  }
  throw new Error('decoded without an error');
}

describe('decodeOtlpJson', () => {
  it('decodes a span with every field, times as strings and numbers, enums as numbers and names', () => {
    const body = requestWith({
      traceId: TRACE_ID.toUpperCase(),
      parentSpanId: '00f067aa0ba902b7',
      kind: 'SPAN_KIND_PRODUCER',
      startTimeUnixNano: '1700000000000000001',
      endTimeUnixNano: 1_700_000_000_000,
      status: { code: 2, message: 'boom' },
      attributes: [
        { key: 's', value: { stringValue: '<script>' } },
        { key: 'i', value: { intValue: '-9223372036854775808' } },
        { key: 'j', value: { intValue: 12 } },
        { key: 'k', value: { intValue: '9007199254740991' } },
        { key: 'd', value: { doubleValue: 1.5 } },
        { key: 'dn', value: { doubleValue: 'NaN' } },
        { key: 'ds', value: { doubleValue: '2.5' } },
        { key: 'b', value: { boolValue: false } },
        { key: 'by', value: { bytesValue: 'AAEC+v8=' } },
        { key: 'a', value: { arrayValue: { values: [{ stringValue: 'x' }, {}, { intValue: '3' }] } } },
        {
          key: 'm',
          value: { kvlistValue: { values: [{ key: 'n', value: { boolValue: true } }, { key: 'z' }] } },
        },
        { key: 'e', value: {} },
        { key: 'unknownType', value: { stringValueStrindex: 3 } },
      ],
      droppedAttributesCount: '2',
      events: [
        {
          timeUnixNano: '5',
          name: 'exception',
          attributes: [{ key: 'exception.type', value: { stringValue: 'E' } }],
          futureField: 1,
        },
      ],
      links: [{ traceId: TRACE_ID, spanId: SPAN_ID }],
      flags: 257,
      someFutureField: { anything: true },
    });
    expect(decodeOtlpJson(body)).toEqual([
      {
        traceId: TRACE_ID,
        spanId: SPAN_ID,
        parentSpanId: '00f067aa0ba902b7',
        name: 'op',
        kind: 'PRODUCER',
        startTimeUnixNano: '1700000000000000001',
        endTimeUnixNano: '1700000000000',
        status: { code: 'ERROR', message: 'boom' },
        attributes: {
          s: '<script>',
          i: '-9223372036854775808',
          j: 12,
          k: 9007199254740991,
          d: 1.5,
          dn: 'NaN',
          ds: 2.5,
          b: false,
          by: 'AAEC+v8=',
          a: ['x', null, 3],
          m: { n: true, z: null },
          e: null,
          unknownType: null,
        },
        events: [{ name: 'exception', timeUnixNano: '5', attributes: { 'exception.type': 'E' } }],
        serviceName: 'svc',
        resource: { 'service.name': 'svc' },
        scope: { name: 'scope', version: '1' },
        dropped: { attributes: 2 },
      },
    ]);
  });

  it('takes base64 ids (the plain protobuf JSON mapping), an empty parent, nulls and a BOM', () => {
    const body =
      '\ufeff' +
      requestWith({
        traceId: Buffer.from(TRACE_ID, 'hex').toString('base64'),
        spanId: Buffer.from(SPAN_ID, 'hex').toString('base64'),
        parentSpanId: '',
        attributes: null,
        events: null,
        status: null,
        kind: null,
      });
    const [span] = decodeOtlpJson(body);
    expect(span).toMatchObject({
      traceId: TRACE_ID,
      spanId: SPAN_ID,
      kind: 'UNSPECIFIED',
      status: { code: 'UNSET' },
    });
    expect(span!.parentSpanId).toBeUndefined();
  });

  it('decodes an empty request and a request without resourceSpans to no spans', () => {
    expect(decodeOtlpJson('{}')).toEqual([]);
    expect(decodeOtlpJson('{"resourceSpans":[]}')).toEqual([]);
  });

  it.each([
    ['not JSON', '{"resourceSpans": [', /^invalid OTLP\/JSON: not JSON \(/],
    ['not an object', '[1]', 'invalid OTLP/JSON: "[1]" is not an object (the request)'],
    [
      'resourceSpans not an array',
      '{"resourceSpans": {}}',
      'invalid OTLP/JSON: resourceSpans: "{}" is not an array',
    ],
    [
      'a short trace id',
      requestWith({ traceId: 'abc' }),
      'invalid OTLP/JSON: resourceSpans[0].scopeSpans[0].spans[0].traceId: "abc" is not 32 hex characters',
    ],
    [
      'an all-zero span id',
      requestWith({ spanId: '0000000000000000' }),
      'resourceSpans[0].scopeSpans[0].spans[0].spanId: is all zeros (an invalid span id)',
    ],
    ['a numeric id', requestWith({ spanId: 12 }), 'spans[0].spanId: "12" is not 16 hex characters'],
    ['a name that is not a string', requestWith({ name: 5 }), 'spans[0].name: "5" is not a string'],
    [
      'a bad time',
      requestWith({ startTimeUnixNano: '-1' }),
      'spans[0].startTimeUnixNano: "-1" is not nanoseconds since the epoch',
    ],
    [
      'a time past 64 bits',
      requestWith({ endTimeUnixNano: '18446744073709551616' }),
      'spans[0].endTimeUnixNano:',
    ],
    [
      'an unknown kind name',
      requestWith({ kind: 'SPAN_KIND_SIDEWAYS' }),
      'spans[0].kind: "SPAN_KIND_SIDEWAYS" is not a known value',
    ],
    [
      'a bad status code',
      requestWith({ status: { code: -1 } }),
      'spans[0].status.code: "-1" is not an unsigned 32-bit integer',
    ],
    [
      'a bad int',
      requestWith({ attributes: [{ key: 'k', value: { intValue: '1.5' } }] }),
      'spans[0].attributes[0].value.intValue: "1.5" is not a 64-bit integer',
    ],
    [
      'an int past 64 bits',
      requestWith({ attributes: [{ key: 'k', value: { intValue: '9223372036854775808' } }] }),
      'intValue: "9223372036854775808" is not a 64-bit integer',
    ],
    [
      'a bad bool',
      requestWith({ attributes: [{ key: 'k', value: { boolValue: 'yes' } }] }),
      'attributes[0].value.boolValue: "yes" is not a boolean',
    ],
    [
      'bad bytes',
      requestWith({ attributes: [{ key: 'k', value: { bytesValue: '<>' } }] }),
      'attributes[0].value.bytesValue: "<>" is not base64',
    ],
    [
      'a bad nested value',
      requestWith({
        attributes: [{ key: 'k', value: { arrayValue: { values: [{}, { doubleValue: 'x' }] } } }],
      }),
      'attributes[0].value.arrayValue.values[1].doubleValue: "x" is not a number',
    ],
    [
      'a bad event',
      requestWith({ events: [{ name: 'ok' }, { name: [] }] }),
      'spans[0].events[1].name: "[]" is not a string',
    ],
    [
      'a bad resource attribute',
      requestWith({}, { resource: { attributes: [{ key: 1 }] } }),
      'resourceSpans[0].resource.attributes[0].key: "1" is not a string',
    ],
  ])('names %s', (_name, body, message) => {
    const error = errorOf(body);
    if (typeof message === 'string') expect(error.message).toContain(message);
    else expect(error.message).toMatch(message);
  });

  describe('bounds', () => {
    const limits = resolveLimits({
      maxAttributeValueLength: 4,
      maxAttributeKeyLength: 3,
      maxAttributesPerSpan: 2,
      maxEventsPerSpan: 1,
      maxSpanNameLength: 2,
      maxValueItems: 2,
      maxValueDepth: 1,
      maxSpansPerRequest: 1,
    });

    it('truncates and caps as the protobuf decoder does', () => {
      const body = requestWith({
        name: 'long name',
        attributes: [
          { key: 'long key', value: { stringValue: 'long value' } },
          {
            key: 'a',
            value: {
              arrayValue: { values: [{ intValue: 1 }, { arrayValue: { values: [] } }, { intValue: 3 }] },
            },
          },
          { key: 'b', value: { intValue: 1 } },
        ],
        droppedAttributesCount: 1,
        events: [{ name: 'e1' }, { name: 'e2' }],
        droppedEventsCount: 3,
      });
      const [span] = decodeOtlpJson(body, limits);
      expect(span!.name).toBe(`lo${TRUNCATION_MARKER}`);
      expect(span!.attributes).toEqual({
        [`lon${TRUNCATION_MARKER}`]: `long${TRUNCATION_MARKER}`,
        a: [1, TOO_DEEP],
      });
      expect(span!.events.map((e) => e.name)).toEqual(['e1']);
      expect(span!.dropped).toEqual({ attributes: 2, events: 4 });
    });

    it('refuses more spans than maxSpansPerRequest', () => {
      const body = JSON.stringify({
        resourceSpans: [
          {
            scopeSpans: [
              {
                spans: [
                  { traceId: TRACE_ID, spanId: SPAN_ID },
                  { traceId: TRACE_ID, spanId: SPAN_ID },
                ],
              },
            ],
          },
        ],
      });
      expect(() => decodeOtlpJson(body, limits)).toThrow(OtlpLimitError);
    });
  });
});
