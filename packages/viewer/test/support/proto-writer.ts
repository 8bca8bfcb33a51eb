// A minimal protobuf wire-format writer for the decoder's tests: requests with unknown fields,
// groups, odd field orders, malformed parts, ... that no exporter sends.

export const VARINT = 0;
export const I64 = 1;
export const LEN = 2;
export const START_GROUP = 3;
export const END_GROUP = 4;
export const I32 = 5;

/** Builds a message; every method appends one field and returns `this`. */
export class ProtoWriter {
  readonly #bytes: number[] = [];

  get length(): number {
    return this.#bytes.length;
  }

  /** The raw varint encoding of `value` (up to 64 bits, negative numbers as 10-byte two's complement). */
  static varint(value: number | bigint): number[] {
    let v = BigInt.asUintN(64, BigInt(value));
    const out: number[] = [];
    do {
      let byte = Number(v & 0x7fn);
      v >>= 7n;
      if (v !== 0n) byte |= 0x80;
      out.push(byte);
    } while (v !== 0n);
    return out;
  }

  raw(bytes: readonly number[] | Uint8Array): this {
    for (const b of bytes) this.#bytes.push(b);
    return this;
  }

  tag(field: number, wireType: number): this {
    return this.raw(ProtoWriter.varint(field * 8 + wireType));
  }

  varint(field: number, value: number | bigint): this {
    return this.tag(field, VARINT).raw(ProtoWriter.varint(value));
  }

  fixed64(field: number, value: bigint): this {
    const buf = Buffer.alloc(8);
    buf.writeBigUInt64LE(BigInt.asUintN(64, value));
    return this.tag(field, I64).raw(buf);
  }

  fixed32(field: number, value: number): this {
    const buf = Buffer.alloc(4);
    buf.writeUInt32LE(value >>> 0);
    return this.tag(field, I32).raw(buf);
  }

  double(field: number, value: number): this {
    const buf = Buffer.alloc(8);
    buf.writeDoubleLE(value);
    return this.tag(field, I64).raw(buf);
  }

  bytes(field: number, value: Uint8Array | readonly number[]): this {
    return this.tag(field, LEN).raw(ProtoWriter.varint(value.length)).raw(value);
  }

  string(field: number, value: string): this {
    return this.bytes(field, Buffer.from(value, 'utf8'));
  }

  hex(field: number, hex: string): this {
    return this.bytes(field, Buffer.from(hex, 'hex'));
  }

  message(field: number, build: (w: ProtoWriter) => unknown): this {
    const inner = new ProtoWriter();
    build(inner);
    return this.bytes(field, inner.finish());
  }

  finish(): Buffer {
    return Buffer.from(this.#bytes);
  }
}

/** Field numbers of the OTLP trace messages. */
export const F = {
  request: { resourceSpans: 1 },
  resourceSpans: { resource: 1, scopeSpans: 2, schemaUrl: 3, instrumentationLibrarySpans: 1000 },
  resource: { attributes: 1, droppedAttributesCount: 2 },
  scopeSpans: { scope: 1, spans: 2, schemaUrl: 3 },
  scope: { name: 1, version: 2, attributes: 3 },
  span: {
    traceId: 1,
    spanId: 2,
    traceState: 3,
    parentSpanId: 4,
    name: 5,
    kind: 6,
    start: 7,
    end: 8,
    attributes: 9,
    droppedAttributesCount: 10,
    events: 11,
    droppedEventsCount: 12,
    links: 13,
    droppedLinksCount: 14,
    status: 15,
    flags: 16,
  },
  event: { time: 1, name: 2, attributes: 3, droppedAttributesCount: 4 },
  status: { message: 2, code: 3 },
  keyValue: { key: 1, value: 2 },
  anyValue: { string: 1, bool: 2, int: 3, double: 4, array: 5, kvlist: 6, bytes: 7 },
} as const;

export const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';
export const SPAN_ID = 'b7ad6b7169203331';
export const PARENT_ID = '00f067aa0ba902b7';

/** A KeyValue with a value built by `value`. */
export function keyValue(
  w: ProtoWriter,
  field: number,
  key: string,
  value: (v: ProtoWriter) => unknown,
): ProtoWriter {
  return w.message(field, (kv) => kv.string(F.keyValue.key, key).message(F.keyValue.value, value));
}

/** A span with ids, a name, times and `extra` fields. */
export function span(w: ProtoWriter, extra: (s: ProtoWriter) => unknown = () => undefined): ProtoWriter {
  return w.message(F.scopeSpans.spans, (s) => {
    s.hex(F.span.traceId, TRACE_ID)
      .hex(F.span.spanId, SPAN_ID)
      .string(F.span.name, 'op')
      .fixed64(F.span.start, 1_700_000_000_000_000_001n)
      .fixed64(F.span.end, 1_700_000_000_500_000_002n);
    extra(s);
  });
}

/** A request with one resource (service.name `svc`) and one scope (`scope`) holding `spans`. */
export function request(spans: (scopeSpans: ProtoWriter) => unknown): Buffer {
  return new ProtoWriter()
    .message(F.request.resourceSpans, (rs) =>
      rs
        .message(F.resourceSpans.resource, (r) =>
          keyValue(r, F.resource.attributes, 'service.name', (v) => v.string(F.anyValue.string, 'svc')),
        )
        .message(F.resourceSpans.scopeSpans, (ss) => {
          ss.message(F.scopeSpans.scope, (sc) => sc.string(F.scope.name, 'scope'));
          spans(ss);
        }),
    )
    .finish();
}
