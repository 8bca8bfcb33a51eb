import { diag, DiagLogLevel } from '@opentelemetry/api';
import { isWrapped } from '@opentelemetry/instrumentation';
import { setTracingDisabled } from '@agent-otel/core';
import { OpenAIInstrumentation, PACKAGE_NAME, SUPPORTED_VERSIONS } from '../src/index.js';
import { OPENAI_VERSIONS, useHarness } from './helpers';

const REQUEST = { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hi' }] };

function prototypesOf(module: any): any[] {
  const OpenAI = module.OpenAI;
  return [
    OpenAI.Chat.Completions.prototype,
    OpenAI.Completions.prototype,
    OpenAI.Responses.prototype,
    OpenAI.Embeddings.prototype,
    OpenAI.Audio.Speech.prototype,
    OpenAI.Audio.Transcriptions.prototype,
  ];
}

describe('OpenAIInstrumentation', () => {
  it('declares the supported openai range', () => {
    expect(SUPPORTED_VERSIONS).toEqual(['>=6.0.0 <8']);
    const instrumentation = new OpenAIInstrumentation({ enabled: false });
    const [definition] = instrumentation.getModuleDefinitions();
    expect(definition?.name).toBe('openai');
    // Every version reaches the patch function, which checks SUPPORTED_VERSIONS and says once when
    // a version is outside it (AgentOtelInstrumentation).
    expect(definition?.supportedVersions).toEqual(['*']);
    expect(instrumentation.instrumentationName).toBe(PACKAGE_NAME);
  });
});

describe.each(OPENAI_VERSIONS)('%s patching', (_name, OpenAI) => {
  const h = useHarness();
  afterEach(() => {
    setTracingDisabled(false);
    // Tests below may leave another instance's wrapper; the harness instance patches again.
    h.instrumentation.enable();
    h.instrumentation.manuallyInstrument(OpenAI);
  });

  it('patches create of every instrumented resource', () => {
    for (const prototype of prototypesOf(OpenAI)) expect(isWrapped(prototype.create)).toBe(true);
  });

  it('patches once however often it is enabled or given the module', async () => {
    h.instrumentation.enable();
    h.instrumentation.enable();
    h.instrumentation.manuallyInstrument(OpenAI);
    h.instrumentation.manuallyInstrument({ default: OpenAI }); // an ESM namespace
    for (const prototype of prototypesOf(OpenAI)) {
      expect(isWrapped(prototype.create)).toBe(true);
      expect(isWrapped(prototype.create.__original)).toBe(false);
    }
    h.server.enqueue({ text: 'once' });
    await h.client(OpenAI).chat.completions.create(REQUEST);
    expect(h.spans()).toHaveLength(1);
  });

  it('a second instance replaces the first wrapper instead of stacking on it', async () => {
    const second = new OpenAIInstrumentation();
    second.setTracerProvider(h.provider);
    second.manuallyInstrument(OpenAI);
    expect(isWrapped(OpenAI.OpenAI.Chat.Completions.prototype.create.__original)).toBe(false);
    h.server.enqueue({ text: 'one span' });
    await h.client(OpenAI).chat.completions.create(REQUEST);
    expect(h.spans()).toHaveLength(1);
    second.disable();
  });

  it('costs nothing observable when disabled: no span, the same result, the original method', async () => {
    const original = OpenAI.OpenAI.Chat.Completions.prototype.create.__original;
    h.instrumentation.disable();
    expect(OpenAI.OpenAI.Chat.Completions.prototype.create).toBe(original);
    h.server.enqueue({ text: 'untraced', id: 'chatcmpl-same' });
    const promise = h.client(OpenAI).chat.completions.create(REQUEST);
    expect(promise).toBeInstanceOf(OpenAI.APIPromise);
    const completion = await promise;
    expect(completion.id).toBe('chatcmpl-same');
    expect(completion.choices[0].message.content).toBe('untraced');
    expect(h.spans()).toHaveLength(0);

    h.instrumentation.enable();
    expect(isWrapped(OpenAI.OpenAI.Chat.Completions.prototype.create)).toBe(true);
    h.server.enqueue({ text: 'traced again' });
    await h.client(OpenAI).chat.completions.create(REQUEST);
    expect(h.spans()).toHaveLength(1);
  });

  it('a patched but not enabled instance calls the SDK directly', async () => {
    const idle = new OpenAIInstrumentation({ enabled: false });
    idle.manuallyInstrument(OpenAI);
    expect(idle.isEnabled()).toBe(false);
    h.server.enqueue({ text: 'idle' });
    const completion = await h.client(OpenAI).chat.completions.create(REQUEST);
    expect(completion.choices[0].message.content).toBe('idle');
    expect(h.spans()).toHaveLength(0);
  });

  it('records nothing while agent-otel tracing is disabled', async () => {
    setTracingDisabled(true);
    h.server.enqueue({ text: 'quiet' });
    const stream = await h.client(OpenAI).chat.completions.create({ ...REQUEST, stream: true });
    let chunks = 0;
    for await (const _chunk of stream) chunks++;
    expect(chunks).toBeGreaterThan(0);
    expect(h.spans()).toHaveLength(0);
  });

  it('warns and leaves the module alone when it has no OpenAI client class', () => {
    const warnings: string[] = [];
    diag.setLogger(
      {
        error: () => {},
        warn: (...args: unknown[]) => warnings.push(args.join(' ')),
        info: () => {},
        debug: () => {},
        verbose: () => {},
      },
      { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true },
    );
    try {
      const odd = { something: 'else' };
      expect(() => h.instrumentation.manuallyInstrument(odd)).not.toThrow();
      expect(warnings.join('\n')).toContain('no OpenAI client class');
    } finally {
      diag.disable();
    }
  });

  it('calls the SDK untraced when building the span data fails', async () => {
    h.capture('SPAN_ONLY');
    const warnings: string[] = [];
    diag.setLogger(
      {
        error: () => {},
        warn: (...args: unknown[]) => warnings.push(args.join(' ')),
        info: () => {},
        debug: () => {},
        verbose: () => {},
      },
      { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true },
    );
    // The SDK serialises the list by index; copying it for the span (a spread) throws.
    const messages = new Proxy([{ role: 'user', content: 'Hi' }], {
      get(target, key, receiver) {
        if (key === Symbol.iterator) throw new Error('hostile list');
        return Reflect.get(target, key, receiver);
      },
    });
    h.server.enqueue({ text: 'still works' });
    try {
      const completion = await h.client(OpenAI).chat.completions.create({ model: 'gpt-4o-mini', messages });
      expect(completion.choices[0].message.content).toBe('still works');
      expect(h.spans()).toHaveLength(0);
      expect(warnings.join('\n')).toContain('calling it untraced');
    } finally {
      diag.disable();
    }
  });
});
