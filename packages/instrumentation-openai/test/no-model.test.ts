// A call whose request names no model: a Responses call that runs a stored prompt, whose model the
// prompt chooses. `gen_ai.request.model`, which the openai refinement requires, is then left unset
// rather than invented (the response's model stays in `gen_ai.response.model`), and the conformance
// check reports exactly that missing attribute: this suite records it on purpose.
import { OPENAI_VERSIONS, useHarness } from './helpers';
import { onlyHistogramPoint } from '@agent-otel/testing/tracing';

describe.each(OPENAI_VERSIONS)('%s a call whose request names no model', (_name, OpenAI) => {
  const h = useHarness({
    skipConformance:
      'a Responses call with a stored prompt names no model, so gen_ai.request.model (required for openai) is left unset on purpose',
  });

  it('leaves gen_ai.request.model unset instead of inventing one, and keeps the response model', async () => {
    h.server.enqueue({ text: 'Hello from the prompt.', model: 'gpt-4.1-2025-04-14' });
    await h.client(OpenAI).responses.create({ prompt: { id: 'pmpt_123', version: '2' }, input: 'Hi' });

    expect(h.server.requests[0]?.body).not.toHaveProperty('model');
    const span = h.span();
    expect(span.name).toBe('chat');
    expect(span.attributes).not.toHaveProperty('gen_ai.request.model');
    expect(span.attributes['gen_ai.response.model']).toBe('gpt-4.1-2025-04-14');
    const duration = onlyHistogramPoint(await h.tracing.metrics(), 'gen_ai.client.inference.duration');
    expect(duration.attributes).not.toHaveProperty('gen_ai.request.model');
    expect(duration.attributes['gen_ai.response.model']).toBe('gpt-4.1-2025-04-14');
    // The one finding: the attribute the caller did not give.
    expect((await h.tracing.conformance()).violations).toEqual([
      {
        signal: 'span',
        item: 'chat',
        rule: 'missing-required',
        detail: 'gen_ai.request.model is required on span.openai.gen_ai.client.inference',
      },
    ]);
  });
});
