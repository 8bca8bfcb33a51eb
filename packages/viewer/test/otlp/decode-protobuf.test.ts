// The protobuf decoder on requests no exporter sends: unknown fields of every wire type at every
// level, other field orders, edge values, malformed and truncated input (an OtlpDecodeError naming
// the field path and byte offset, never another exception), and the bounds of limits.ts.
import { TOO_DEEP, TRUNCATION_MARKER, resolveLimits } from '../../src/limits.js';
import { decodeOtlpProtobuf } from '../../src/otlp/decode-protobuf.js';
import { OtlpDecodeError, OtlpLimitError } from '../../src/otlp/errors.js';
import {
  END_GROUP,
  F,
  PARENT_ID,
  ProtoWriter,
  SPAN_ID,
  START_GROUP,
  TRACE_ID,
  VARINT,
  keyValue,
  request,
  span,
} from '../support/proto-writer.js';

const minimal = {
  traceId: TRACE_ID,
  spanId: SPAN_ID,
  name: 'op',
  kind: 'UNSPECIFIED',
  startTimeUnixNano: '1700000000000000001',
  endTimeUnixNano: '1700000000500000002',
  status: { code: 'UNSET' },
  attributes: {},
  events: [],
  serviceName: 'svc',
  resource: { 'service.name': 'svc' },
  scope: { name: 'scope' },
};

/** Appends one unknown field of each wire type (a group holding fields of its own among them). */
function unknowns(w: ProtoWriter): ProtoWriter {
  return w
    .varint(901, 123456789012n)
    .fixed64(902, 7n)
    .string(903, 'ignored')
    .fixed32(904, 9)
    .tag(905, START_GROUP)
    .varint(1, 1)
    .tag(906, START_GROUP)
    .string(2, 'nested')
    .tag(906, END_GROUP)
    .tag(905, END_GROUP);
}

function decodeError(body: Buffer): OtlpDecodeError {
  try {
    decodeOtlpProtobuf(body);
  } catch (error) {
    if (error instanceof OtlpDecodeError) return error;
    throw error;
  }
  throw new Error('decoded without an error');
}

describe('decodeOtlpProtobuf', () => {
  it('decodes a minimal span', () => {
    expect(decodeOtlpProtobuf(request((ss) => span(ss)))).toEqual([minimal]);
  });

  it('decodes every span field', () => {
    const body = request((ss) =>
      span(ss, (s) =>
        s
          .hex(F.span.parentSpanId, PARENT_ID)
          .varint(F.span.kind, 3)
          .string(F.span.traceState, 'a=b')
          .message(F.span.status, (st) => st.string(F.status.message, 'boom').varint(F.status.code, 2))
          .message(F.span.events, (e) =>
            e
              .fixed64(F.event.time, 18446744073709551615n)
              .string(F.event.name, 'exception')
              .message(F.event.attributes, (kv) =>
                kv
                  .string(F.keyValue.key, 'exception.type')
                  .message(F.keyValue.value, (v) => v.string(1, 'TypeError')),
              ),
          )
          .varint(F.span.droppedAttributesCount, 3)
          .varint(F.span.droppedEventsCount, 4)
          .message(F.span.links, (l) => l.hex(1, TRACE_ID).hex(2, PARENT_ID))
          .fixed32(F.span.flags, 0x301),
      ),
    );
    expect(decodeOtlpProtobuf(body)).toEqual([
      {
        ...minimal,
        parentSpanId: PARENT_ID,
        kind: 'CLIENT',
        status: { code: 'ERROR', message: 'boom' },
        events: [
          {
            name: 'exception',
            timeUnixNano: '18446744073709551615',
            attributes: { 'exception.type': 'TypeError' },
          },
        ],
        dropped: { attributes: 3, events: 4 },
      },
    ]);
  });

  it('decodes AnyValues of every kind, 64-bit integers exactly', () => {
    const attr = (key: string, value: (v: ProtoWriter) => unknown) => (s: ProtoWriter) =>
      keyValue(s, F.span.attributes, key, value);
    const fields = [
      attr('s', (v) => v.string(F.anyValue.string, 'text <b>')),
      attr('t', (v) => v.varint(F.anyValue.bool, 1)),
      attr('f', (v) => v.varint(F.anyValue.bool, 0)),
      attr('i', (v) => v.varint(F.anyValue.int, 42)),
      attr('neg', (v) => v.varint(F.anyValue.int, -5)),
      attr('big', (v) => v.varint(F.anyValue.int, 2n ** 53n + 1n)),
      attr('max', (v) => v.varint(F.anyValue.int, 2n ** 63n - 1n)),
      attr('min', (v) => v.varint(F.anyValue.int, -(2n ** 63n))),
      attr('safe', (v) => v.varint(F.anyValue.int, 2n ** 53n - 1n)),
      attr('d', (v) => v.double(F.anyValue.double, -2.5)),
      attr('nan', (v) => v.double(F.anyValue.double, NaN)),
      attr('inf', (v) => v.double(F.anyValue.double, -Infinity)),
      attr('bytes', (v) => v.bytes(F.anyValue.bytes, [0, 1, 2, 250, 255])),
      attr('empty', () => undefined),
      attr('arr', (v) =>
        v.message(F.anyValue.array, (a) =>
          a
            .message(1, (x) => x.string(F.anyValue.string, 'a'))
            .message(1, (x) => x.varint(F.anyValue.int, 1))
            .message(1, () => undefined),
        ),
      ),
      attr('map', (v) =>
        v.message(F.anyValue.kvlist, (m) =>
          keyValue(m, 1, 'inner', (x) =>
            x.message(F.anyValue.kvlist, (m2) => keyValue(m2, 1, 'deep', (y) => y.varint(2, 1))),
          ),
        ),
      ),
      attr('__proto__', (v) => v.string(F.anyValue.string, 'own property')),
    ];
    const [decoded] = decodeOtlpProtobuf(request((ss) => span(ss, (s) => fields.forEach((f) => f(s)))));
    expect(decoded!.attributes).toEqual({
      s: 'text <b>',
      t: true,
      f: false,
      i: 42,
      neg: -5,
      big: '9007199254740993',
      max: '9223372036854775807',
      min: '-9223372036854775808',
      safe: 2 ** 53 - 1,
      d: -2.5,
      nan: 'NaN',
      inf: '-Infinity',
      bytes: 'AAEC+v8=',
      empty: null,
      arr: ['a', 1, null],
      map: { inner: { deep: true } },
      ['__proto__']: 'own property',
    });
    expect(Object.getPrototypeOf(decoded!.attributes)).toBe(Object.prototype);
    expect(Object.prototype.hasOwnProperty.call(decoded!.attributes, '__proto__')).toBe(true);
  });

  it('skips unknown fields of every wire type at every level', () => {
    const body = new ProtoWriter()
      .message(F.request.resourceSpans, (rs) => {
        unknowns(rs);
        rs.message(F.resourceSpans.resource, (r) => {
          unknowns(r);
          keyValue(r, F.resource.attributes, 'service.name', (v) =>
            unknowns(v).string(F.anyValue.string, 'svc'),
          );
        });
        rs.message(F.resourceSpans.scopeSpans, (ss) => {
          unknowns(ss);
          ss.message(F.scopeSpans.scope, (sc) => unknowns(sc).string(F.scope.name, 'scope'));
          span(ss, (s) => {
            unknowns(s);
            s.message(F.span.status, (st) => unknowns(st).varint(F.status.code, 1));
            s.message(F.span.events, (e) => unknowns(e).string(F.event.name, 'e').fixed64(F.event.time, 5n));
            s.message(F.span.attributes, (kv) =>
              unknowns(kv)
                .string(F.keyValue.key, 'k')
                .message(F.keyValue.value, (v) =>
                  unknowns(v).message(F.anyValue.array, (a) => unknowns(a).message(1, (x) => x.varint(3, 7))),
                ),
            );
          });
        });
      })
      .varint(77, 1)
      .finish();
    expect(decodeOtlpProtobuf(body)).toEqual([
      {
        ...minimal,
        status: { code: 'OK' },
        events: [{ name: 'e', timeUnixNano: '5', attributes: {} }],
        attributes: { k: [7] },
      },
    ]);
  });

  it('takes fields in any order: the resource after its spans, the scope after its spans', () => {
    const body = new ProtoWriter()
      .message(F.request.resourceSpans, (rs) =>
        rs
          .message(F.resourceSpans.scopeSpans, (ss) => {
            span(ss);
            ss.message(F.scopeSpans.scope, (sc) =>
              sc.string(F.scope.version, '2.0').string(F.scope.name, 'late'),
            );
          })
          .message(F.resourceSpans.resource, (r) =>
            keyValue(r, F.resource.attributes, 'service.name', (v) => v.string(1, 'late-svc')),
          ),
      )
      .finish();
    expect(decodeOtlpProtobuf(body)).toEqual([
      {
        ...minimal,
        serviceName: 'late-svc',
        resource: { 'service.name': 'late-svc' },
        scope: { name: 'late', version: '2.0' },
      },
    ]);
  });

  it('reads the deprecated instrumentation_library_spans, and names a service-less resource unknown_service', () => {
    const body = new ProtoWriter()
      .message(F.request.resourceSpans, (rs) =>
        rs.message(F.resourceSpans.instrumentationLibrarySpans, (ss) => {
          ss.message(1, (sc) => sc.string(1, 'old-lib'));
          span(ss);
        }),
      )
      .finish();
    expect(decodeOtlpProtobuf(body)).toEqual([
      { ...minimal, serviceName: 'unknown_service', resource: {}, scope: { name: 'old-lib' } },
    ]);
  });

  it('decodes an empty request to no spans', () => {
    expect(decodeOtlpProtobuf(Buffer.alloc(0))).toEqual([]);
    expect(decodeOtlpProtobuf(new ProtoWriter().message(1, () => undefined).finish())).toEqual([]);
  });

  describe('malformed input', () => {
    it('names a trace id of the wrong length, with its byte offset', () => {
      const body = request((ss) =>
        ss.message(F.scopeSpans.spans, (s) => s.hex(F.span.traceId, 'abcdef').hex(2, SPAN_ID)),
      );
      const error = decodeError(body);
      expect(error.message).toBe(
        `invalid OTLP/protobuf: resource_spans[0].scope_spans[0].spans[0].trace_id: 3 bytes, expected 16 (at byte ${body.indexOf(Buffer.from('abcdef', 'hex')) - 1})`,
      );
      expect(error.field).toBe('resource_spans[0].scope_spans[0].spans[0].trace_id');
    });

    it('refuses all-zero and missing ids', () => {
      const zeros = request((ss) => span(ss, (s) => s.hex(F.span.spanId, '0000000000000000')));
      expect(decodeError(zeros).message).toContain('spans[0].span_id: all zeros');
      const missing = request((ss) => ss.message(F.scopeSpans.spans, (s) => s.hex(F.span.traceId, TRACE_ID)));
      expect(decodeError(missing).message).toContain('spans[0].span_id: missing');
      const badParent = request((ss) => span(ss, (s) => s.hex(F.span.parentSpanId, 'ff')));
      expect(decodeError(badParent).message).toContain('spans[0].parent_span_id: 1 bytes, expected 8');
    });

    it('names the span among several, and a bad value deep in an attribute', () => {
      const body = request((ss) => {
        span(ss);
        span(ss, (s) =>
          keyValue(s, F.span.attributes, 'ok', (v) => v.string(1, 'fine')).message(F.span.attributes, (kv) =>
            kv
              .string(1, 'list')
              .message(2, (v) =>
                v.message(F.anyValue.array, (a) =>
                  a
                    .message(1, (x) => x.string(1, 'a'))
                    .message(1, (x) => x.tag(F.anyValue.string, VARINT).raw([1])),
                ),
              ),
          ),
        );
      });
      expect(decodeError(body).message).toMatch(
        /^invalid OTLP\/protobuf: resource_spans\[0\]\.scope_spans\[0\]\.spans\[1\]\.attributes\[1\]\.value \(key "list"\)\.array_value\.values\[1\]\.string_value: wire type varint, expected length-delimited \(at byte \d+\)$/,
      );
    });

    it.each([
      [
        'a length past the end',
        Buffer.from([0x0a, 0x05, 0x01]),
        'resource_spans: length 5 runs past the end of its message (1 bytes left) (at byte 1)',
      ],
      ['a truncated varint', Buffer.from([0x0a, 0x80]), 'resource_spans: truncated varint (at byte 1)'],
      [
        'a varint longer than 10 bytes',
        Buffer.from([0x10, ...Array(11).fill(0xff), 0x01]),
        'ExportTraceServiceRequest: varint longer than 10 bytes (at byte 1)',
      ],
      ['field number 0', Buffer.from([0x02, 0x00]), 'ExportTraceServiceRequest: field number 0 (at byte 0)'],
      ['wire type 7', Buffer.from([0x0f]), 'ExportTraceServiceRequest: invalid wire type 7 (at byte 0)'],
      [
        'an end group without a start',
        Buffer.from([0x14]),
        'ExportTraceServiceRequest field 2: end of a group that was not started (at byte 1)',
      ],
      [
        'a group without its end',
        Buffer.from([0x13, 0x08, 0x01]),
        'ExportTraceServiceRequest field 2: group without its end (at byte 1)',
      ],
      [
        'a truncated fixed64',
        Buffer.from([0x11, 1, 2, 3]),
        'ExportTraceServiceRequest field 2: truncated fixed64 (at byte 1)',
      ],
      [
        'a known field of another wire type',
        Buffer.from([0x08, 0x01]),
        'resource_spans: wire type varint, expected length-delimited (at byte 0)',
      ],
    ])('%s', (_name, body, message) => {
      expect(decodeError(body).message).toBe(`invalid OTLP/protobuf: ${message}`);
    });

    it('fails with an OtlpDecodeError, never another exception, on every truncation of a request', () => {
      const body = request((ss) =>
        span(ss, (s) =>
          keyValue(s, F.span.attributes, 'k', (v) =>
            v.message(F.anyValue.kvlist, (m) => keyValue(m, 1, 'x', (y) => y.double(4, 1.5))),
          )
            .message(F.span.events, (e) => e.string(2, 'ev').fixed64(1, 1n))
            .message(F.span.status, (st) => st.varint(3, 2)),
        ),
      );
      let failures = 0;
      for (let length = 1; length < body.length; length++) {
        try {
          decodeOtlpProtobuf(body.subarray(0, length));
        } catch (error) {
          expect(error).toBeInstanceOf(OtlpDecodeError);
          expect((error as OtlpDecodeError).offset).toBeLessThanOrEqual(length);
          failures++;
        }
      }
      // Only a cut at the end of the whole request can be complete.
      expect(failures).toBe(body.length - 1);
    });

    it('fails cleanly on random bytes and on random corruptions of a request', () => {
      let seed = 7;
      const random = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
      const valid = request((ss) => {
        span(ss, (s) =>
          keyValue(s, F.span.attributes, 'a', (v) =>
            v.message(5, (a) => a.message(1, (x) => x.string(1, 'b'))),
          ),
        );
        span(ss, (s) => s.message(F.span.events, (e) => e.string(2, 'x')));
      });
      for (let i = 0; i < 3000; i++) {
        let body: Buffer;
        if (i % 2 === 0) {
          body = Buffer.from(
            Array.from({ length: Math.floor(random() * 64) }, () => Math.floor(random() * 256)),
          );
        } else {
          body = Buffer.from(valid);
          for (let j = 0; j < 1 + Math.floor(random() * 4); j++)
            body[Math.floor(random() * body.length)] = Math.floor(random() * 256);
        }
        try {
          const spans = decodeOtlpProtobuf(body);
          for (const s of spans) {
            expect(s.traceId).toMatch(/^[0-9a-f]{32}$/);
            expect(s.spanId).toMatch(/^[0-9a-f]{16}$/);
          }
        } catch (error) {
          if (!(error instanceof OtlpDecodeError)) throw error;
        }
      }
    });
  });

  describe('bounds', () => {
    const limits = resolveLimits({
      maxAttributeValueLength: 8,
      maxAttributeKeyLength: 4,
      maxAttributesPerSpan: 2,
      maxEventsPerSpan: 1,
      maxSpanNameLength: 5,
      maxValueItems: 2,
      maxValueDepth: 2,
      maxSpansPerRequest: 3,
    });

    it('truncates strings with a marker (without splitting a surrogate pair) and caps counts', () => {
      const long = 'x'.repeat(100_000);
      const body = request((ss) =>
        ss.message(F.scopeSpans.spans, (s) => {
          s.hex(1, TRACE_ID).hex(2, SPAN_ID).string(F.span.name, 'a-long-name');
          keyValue(s, F.span.attributes, 'keylong', (v) => v.string(1, 'abcdefghij'));
          keyValue(s, F.span.attributes, 'emo', (v) => v.string(1, 'abcdefg😀'));
          keyValue(s, F.span.attributes, 'big', (v) => v.string(1, long));
          keyValue(s, F.span.attributes, 'more', (v) => v.varint(3, 1));
          s.varint(F.span.droppedAttributesCount, 5);
          s.message(F.span.events, (e) =>
            e
              .string(2, 'first')
              .message(3, (kv) => kv.string(1, 'b').message(2, (v) => v.bytes(7, Buffer.alloc(30)))),
          );
          s.message(F.span.events, (e) => e.string(2, 'second'));
          s.message(F.span.status, (st) => st.string(2, 'a long message'));
        }),
      );
      const [decoded] = decodeOtlpProtobuf(body, limits);
      expect(decoded!.name).toBe(`a-lon${TRUNCATION_MARKER}`);
      expect(decoded!.attributes).toEqual({
        [`keyl${TRUNCATION_MARKER}`]: `abcdefgh${TRUNCATION_MARKER}`,
        emo: `abcdefg${TRUNCATION_MARKER}`,
      });
      expect(decoded!.dropped).toEqual({ attributes: 7, events: 1 });
      expect(decoded!.events).toEqual([
        { name: 'first', timeUnixNano: '0', attributes: { b: `AAAAAAAA${TRUNCATION_MARKER}` } },
      ]);
      expect(decoded!.status.message).toBe(`a long m${TRUNCATION_MARKER}`);
    });

    it('cuts a long string without decoding all of it', () => {
      const body = request((ss) =>
        span(ss, (s) => keyValue(s, F.span.attributes, 'big', (v) => v.string(1, '€'.repeat(50_000)))),
      );
      expect(decodeOtlpProtobuf(body, limits)[0]!.attributes.big).toBe(
        `${'€'.repeat(8)}${TRUNCATION_MARKER}`,
      );
    });

    it('caps nesting and items of arrays and maps', () => {
      const body = request((ss) =>
        span(ss, (s) =>
          keyValue(s, F.span.attributes, 'a', (v) =>
            v.message(5, (a) =>
              a
                .message(1, (x) => x.message(5, (b) => b.message(1, (y) => y.message(5, () => undefined))))
                .message(1, (x) => x.varint(3, 2))
                .message(1, (x) => x.varint(3, 3)),
            ),
          ).message(F.span.attributes, (kv) =>
            kv.string(1, 'm').message(2, (v) =>
              v.message(6, (m) => {
                keyValue(m, 1, 'x', (y) => y.varint(3, 1));
                keyValue(m, 1, 'y', (y) => y.varint(3, 2));
                keyValue(m, 1, 'z', (y) => y.varint(3, 3));
              }),
            ),
          ),
        ),
      );
      expect(decodeOtlpProtobuf(body, limits)[0]!.attributes).toEqual({
        a: [[TOO_DEEP], 2],
        m: { x: 1, y: 2 },
      });
    });

    it('refuses more spans than maxSpansPerRequest with an OtlpLimitError', () => {
      const body = request((ss) => {
        for (let i = 0; i < 4; i++) span(ss);
      });
      expect(() => decodeOtlpProtobuf(body, limits)).toThrow(OtlpLimitError);
      expect(() => decodeOtlpProtobuf(body, limits)).toThrow('more than 3 spans in one request');
    });
  });
});
