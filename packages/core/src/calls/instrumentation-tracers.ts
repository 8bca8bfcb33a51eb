import { trace, type Tracer, type TracerProvider } from '@opentelemetry/api';
import { SEMCONV_SCHEMA_URL } from '../semconv.js';

/**
 * The tracers of an instrumentation class's instances, carrying the semconv schema URL (the tracer
 * `InstrumentationBase` makes has none). `InstrumentationBase` calls `setTracerProvider` from its
 * own constructor, before a subclass's fields exist, so the tracers live here, keyed by instance:
 *
 * ```ts
 * const tracers = new InstrumentationTracers(PACKAGE_NAME, PACKAGE_VERSION);
 * override setTracerProvider(provider) { super.setTracerProvider(provider); tracers.set(this, provider); }
 * protected override get tracer() { return tracers.get(this); }
 * ```
 */
export class InstrumentationTracers {
  private readonly tracers = new WeakMap<object, Tracer>();

  constructor(
    private readonly name: string,
    private readonly version: string,
  ) {}

  /** Uses `provider` for `owner`'s spans from now on. */
  set(owner: object, provider: TracerProvider): void {
    this.tracers.set(owner, this.tracerOf(provider));
  }

  /** `owner`'s tracer: of the provider given to `set`, else of the global provider (then kept). */
  get(owner: object): Tracer {
    let tracer = this.tracers.get(owner);
    if (!tracer) {
      tracer = this.tracerOf(trace.getTracerProvider());
      this.tracers.set(owner, tracer);
    }
    return tracer;
  }

  private tracerOf(provider: TracerProvider): Tracer {
    return provider.getTracer(this.name, this.version, { schemaUrl: SEMCONV_SCHEMA_URL });
  }
}
