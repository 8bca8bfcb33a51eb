// Chains (RunnableSequence, named runnables), retrievers, metadata and tags, the previous major of
// @langchain/core (0.3, as the npm alias langchain-core-v0-3) and the global registration, with the
// real LangChain packages against the scripted server and the real OTel SDK.
import { configureContent } from '@agent-otel/core';
import { Document } from '@langchain/core/documents';
import { StringOutputParser } from '@langchain/core/output_parsers';
import { ChatPromptTemplate } from '@langchain/core/prompts';
import { BaseRetriever } from '@langchain/core/retrievers';
import { RunnableLambda, RunnablePassthrough, RunnableSequence } from '@langchain/core/runnables';
import { FakeVectorStore, SyntheticEmbeddings } from '@langchain/core/utils/testing';
import { SpanStatusCode } from '@opentelemetry/api';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { createLangChainHandler, registerLangChainHandler } from '../src/index';
import { named, scriptedChatModel, sleep } from './graph-fixtures';
import { attributesOf, runAttributes, setupTracing, treeOf, useServer, type TestTracing } from './helpers';

/* eslint-disable @typescript-eslint/no-require-imports -- the 0.3 copy is loaded by its alias, untyped */
const v03 = {
  runnables: require('langchain-core-v0-3/runnables'),
  tools: require('langchain-core-v0-3/tools'),
  testing: require('langchain-core-v0-3/utils/testing'),
  prompts: require('langchain-core-v0-3/prompts'),
  parsers: require('langchain-core-v0-3/output_parsers'),
  context: require('langchain-core-v0-3/context'),
};
const v1Context = require('@langchain/core/context');
/* eslint-enable @typescript-eslint/no-require-imports */

/** The attributes (as attributesOf keeps them) of the retrieval span of the retriever `source`, and `more`. */
const retrievalAttributes = (source: string, more: Record<string, unknown> = {}) => ({
  'agent_otel.span.kind': 'retrieval',
  'gen_ai.operation.name': 'retrieval',
  'gen_ai.data_source.id': source,
  ...more,
});

/** A small retriever: two documents about the query. */
class KnowledgeBase extends BaseRetriever {
  override lc_namespace = ['agent_otel', 'test'];
  override async _getRelevantDocuments(query: string): Promise<Document[]> {
    return [
      new Document({ id: 'doc-1', pageContent: `Cats and ${query}`, metadata: { source: 'cats.md' } }),
      new Document({ pageContent: 'Dogs bark.', metadata: {} }),
    ];
  }
}

const summaryChain = (baseURL: string) =>
  ChatPromptTemplate.fromMessages([
    ['system', 'Summarize in one line.'],
    ['human', '{topic}'],
  ])
    .pipe(scriptedChatModel(baseURL))
    .pipe(new StringOutputParser());

/** A 0.3 chain: prompt | fake chat model | parser | a lambda calling a 0.3 tool with a tool call. */
function v03Chain() {
  const weather = v03.tools.tool(async ({ city }: { city: string }) => `sunny in ${city}`, {
    name: 'weather',
    description: 'The weather in a city',
    schema: z.object({ city: z.string() }),
  });
  return v03.runnables.RunnableSequence.from([
    v03.prompts.ChatPromptTemplate.fromMessages([['human', '{question}']]),
    new v03.testing.FakeListChatModel({ responses: ['Paris'] }),
    new v03.parsers.StringOutputParser(),
    v03.runnables.RunnableLambda.from(async (city: string, config: unknown) =>
      weather.invoke({ name: 'weather', args: { city }, id: 'call_v03', type: 'tool_call' }, config),
    ),
  ]);
}

describe('chains and retrievers', () => {
  const h = useServer();
  let t: TestTracing;
  beforeAll(() => {
    t = setupTracing();
  });
  afterEach(() => {
    t.reset();
    configureContent({ captureMode: 'NO_CONTENT' });
  });
  afterAll(() => t.shutdown());

  describe('chains', () => {
    it('records a root RunnableSequence as invoke_workflow with only the chat span beneath', async () => {
      h.server.enqueue({ text: 'Cats purr.', usage: { inputTokens: 9, outputTokens: 3 } });
      const handler = createLangChainHandler();
      const summary = await summaryChain(h.server.openaiBaseURL).invoke(
        { topic: 'cats' },
        { callbacks: [handler] },
      );
      expect(summary).toBe('Cats purr.');
      // The prompt template and the output parser: no span.
      expect(treeOf(t.spans())).toEqual([
        'invoke_workflow RunnableSequence [INTERNAL]',
        '  chat gpt-4o-mini [CLIENT]',
      ]);
      expect(attributesOf(t.byName('invoke_workflow RunnableSequence'))).toEqual(
        runAttributes('invoke_workflow', 'RunnableSequence', {
          'gen_ai.usage.input_tokens': 9,
          'gen_ai.usage.output_tokens': 3,
          'agent_otel.usage.model_calls': 1,
          'agent_otel.cost.usd': expect.any(Number),
        }),
      );
      expect(handler.openRuns).toBe(0);
    });

    it('records a user-named nested runnable as a task; unnamed lambdas stay invisible', async () => {
      h.server.enqueue({ text: 'Dogs bark.' });
      const pipeline = RunnableSequence.from([
        RunnableLambda.from((input: { topic: string }) => input),
        summaryChain(h.server.openaiBaseURL).withConfig({ runName: 'summarize' }),
        RunnableLambda.from((text: string) => text.toUpperCase()),
      ]).withConfig({ runName: 'pipeline' });
      const result = await pipeline.invoke({ topic: 'dogs' }, { callbacks: [createLangChainHandler()] });
      expect(result).toBe('DOGS BARK.');
      expect(treeOf(t.spans())).toEqual([
        'invoke_workflow pipeline [INTERNAL]',
        '  task summarize [INTERNAL]',
        '    chat gpt-4o-mini [CLIENT]',
      ]);
      expect(attributesOf(t.byName('task summarize'))).toEqual({
        'agent_otel.span.kind': 'task',
        'agent_otel.task.name': 'summarize',
      });
      expect(t.byName('invoke_workflow pipeline').attributes['gen_ai.agent.name']).toBe('pipeline');
    });

    it('records the metadata and tags of the call on the root only; a child records only its own', async () => {
      h.server.enqueue({ text: 'Short.' });
      const pipeline = RunnableSequence.from([
        RunnableLambda.from((input: { topic: string }) => input),
        summaryChain(h.server.openaiBaseURL).withConfig({
          runName: 'summarize',
          tags: ['inner'],
          metadata: { stage: 'summary' },
        }),
      ]);
      await pipeline.invoke(
        { topic: 'birds' },
        { callbacks: [createLangChainHandler()], metadata: { user_id: 'u1' }, tags: ['prod'] },
      );
      const root = t.byName('invoke_workflow RunnableSequence');
      expect(attributesOf(root, ['agent_otel.metadata.', 'agent_otel.langchain.tags'])).toEqual({
        'agent_otel.metadata.user_id': 'u1',
        'agent_otel.langchain.tags': ['prod'],
      });
      expect(
        attributesOf(t.byName('task summarize'), ['agent_otel.metadata.', 'agent_otel.langchain.tags']),
      ).toEqual({
        'agent_otel.metadata.stage': 'summary',
        'agent_otel.langchain.tags': ['inner'],
      });
      expect(
        attributesOf(t.byName('chat gpt-4o-mini'), ['agent_otel.metadata.', 'agent_otel.langchain.tags']),
      ).toEqual({});
    });
  });

  describe('retrievers', () => {
    const documentsJson = JSON.stringify([
      { content: 'Cats and whiskers', id: 'doc-1', metadata: { source: 'cats.md' } },
      { content: 'Dogs bark.' },
    ]);

    it('records retrieval {name} as a CLIENT span with the query and documents under SPAN_ONLY content', async () => {
      configureContent({ captureMode: 'SPAN_ONLY' });
      const documents = await new KnowledgeBase().invoke('whiskers', {
        callbacks: [createLangChainHandler()],
      });
      expect(documents).toHaveLength(2);
      expect(treeOf(t.spans())).toEqual(['retrieval KnowledgeBase [CLIENT]']);
      expect(attributesOf(t.byName('retrieval KnowledgeBase'))).toEqual(
        retrievalAttributes('KnowledgeBase', {
          'gen_ai.retrieval.query.text': 'whiskers',
          'gen_ai.retrieval.documents': documentsJson,
        }),
      );
    });

    it('records neither the query nor the documents without content capture', async () => {
      await new KnowledgeBase().invoke('whiskers', { callbacks: [createLangChainHandler()] });
      expect(attributesOf(t.byName('retrieval KnowledgeBase'))).toEqual(retrievalAttributes('KnowledgeBase'));
    });

    it('records a vector-store retriever (FakeVectorStore.asRetriever) and a named retriever', async () => {
      configureContent({ captureMode: 'SPAN_ONLY' });
      const store = await FakeVectorStore.fromTexts(
        ['cats purr', 'dogs bark', 'birds sing'],
        [{ n: 1 }, { n: 2 }, { n: 3 }],
        new SyntheticEmbeddings({ vectorSize: 8 }),
      );
      const found = await store
        .asRetriever({ k: 2 })
        .invoke('cats', { callbacks: [createLangChainHandler()] });
      expect(found).toHaveLength(2);
      const span = t.byName('retrieval VectorStoreRetriever');
      expect(attributesOf(span)).toEqual(
        retrievalAttributes('VectorStoreRetriever', {
          'gen_ai.retrieval.query.text': 'cats',
          // asRetriever tags the run with the store's type.
          'agent_otel.langchain.tags': ['memory'],
          'gen_ai.retrieval.documents': JSON.stringify(
            found.map((document) => ({ content: document.pageContent, metadata: document.metadata })),
          ),
        }),
      );
      t.reset();
      await new KnowledgeBase()
        .withConfig({ runName: 'kb_search' })
        .invoke('whiskers', { callbacks: [createLangChainHandler()] });
      expect(treeOf(t.spans())).toEqual(['retrieval kb_search [CLIENT]']);
      expect(t.byName('retrieval kb_search').attributes['gen_ai.data_source.id']).toBe('kb_search');
    });

    it('records a retriever inside a RAG chain next to the chat span; the map and the passthrough are invisible', async () => {
      h.server.enqueue({ text: 'They purr.' });
      const rag = RunnableSequence.from([
        {
          context: new KnowledgeBase().pipe((docs: Document[]) =>
            docs.map((doc) => doc.pageContent).join('\n'),
          ),
          question: new RunnablePassthrough(),
        },
        ChatPromptTemplate.fromMessages([['human', 'Context:\n{context}\n\nQuestion: {question}']]),
        scriptedChatModel(h.server.openaiBaseURL),
        new StringOutputParser(),
      ]).withConfig({ runName: 'rag' });
      expect(await rag.invoke('whiskers', { callbacks: [createLangChainHandler()] })).toBe('They purr.');
      expect(treeOf(t.spans())).toEqual([
        'invoke_workflow rag [INTERNAL]',
        '  chat gpt-4o-mini [CLIENT]',
        '  retrieval KnowledgeBase [CLIENT]',
      ]);
      const request = h.server.requests[0]!.body as { messages: { content: string }[] };
      expect(request.messages[0]!.content).toContain('Cats and whiskers');
    });

    it('records a retriever that throws as an error', async () => {
      class Broken extends BaseRetriever {
        override lc_namespace = ['agent_otel', 'test'];
        override async _getRelevantDocuments(): Promise<Document[]> {
          throw new SyntaxError('bad index');
        }
      }
      const error = await new Broken()
        .invoke('x', { callbacks: [createLangChainHandler()] })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SyntaxError);
      const span = t.byName('retrieval Broken');
      expect(span.status).toEqual({ code: SpanStatusCode.ERROR, message: 'bad index' });
      expect(span.attributes['error.type']).toBe('SyntaxError');
    });
  });

  describe('@langchain/core 0.3 (langchain-core-v0-3)', () => {
    it('traces a 0.3 RunnableSequence with a fake chat model and a tool call through callbacks', async () => {
      const handler = createLangChainHandler();
      const message = await v03Chain().invoke({ question: 'Where?' }, { callbacks: [handler] });
      expect(message.content).toBe('sunny in Paris');
      expect(treeOf(t.spans())).toEqual([
        'invoke_workflow RunnableSequence [INTERNAL]',
        '  chat [CLIENT]',
        '  execute_tool weather [INTERNAL]',
      ]);
      expect(attributesOf(t.byName('chat'), ['gen_ai.operation.name', 'agent_otel.span.kind'])).toEqual({
        'agent_otel.span.kind': 'generation',
        'gen_ai.operation.name': 'chat',
      });
      // core 0.3 does not hand the tool call id to handleToolStart: it comes from the ToolMessage at the end.
      expect(attributesOf(t.byName('execute_tool weather'))).toEqual({
        'agent_otel.span.kind': 'function',
        'gen_ai.operation.name': 'execute_tool',
        'gen_ai.tool.name': 'weather',
        'gen_ai.tool.type': 'function',
        'gen_ai.tool.call.id': 'call_v03',
        'gen_ai.agent.name': 'RunnableSequence',
      });
      expect(handler.openRuns).toBe(0);
    });
  });

  // Registers globally for the rest of this file: keep last.
  describe('global registration (registerLangChainHandler)', () => {
    let registered: ReturnType<typeof registerLangChainHandler>;
    beforeAll(() => {
      registered = registerLangChainHandler(v1Context);
    });

    it('registers once per copy of @langchain/core and returns the same handler', () => {
      expect(registered).toBeDefined();
      expect(registerLangChainHandler(v1Context)).toBe(registered);
    });

    it('traces runs without callbacks: directly, after an await, in setTimeout and in an http server handler', async () => {
      h.server.setDefault({ text: 'ok' });
      const chainNamed = (runName: string) => summaryChain(h.server.openaiBaseURL).withConfig({ runName });
      await chainNamed('direct').invoke({ topic: 'a' });
      await sleep(1);
      await chainNamed('after_await').invoke({ topic: 'b' });
      await new Promise<void>((resolve, reject) => {
        setTimeout(() => {
          chainNamed('in_timeout')
            .invoke({ topic: 'c' })
            .then(() => resolve(), reject);
        }, 1);
      });
      const server = createServer((_request, response) => {
        chainNamed('in_http_handler')
          .invoke({ topic: 'd' })
          .then(
            (text) => response.end(text),
            () => response.writeHead(500).end(),
          );
      });
      server.listen(0, '127.0.0.1');
      await once(server, 'listening');
      try {
        const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
        expect(await response.text()).toBe('ok');
      } finally {
        server.close();
      }
      expect(treeOf(t.spans())).toEqual([
        'invoke_workflow after_await [INTERNAL]',
        '  chat gpt-4o-mini [CLIENT]',
        'invoke_workflow direct [INTERNAL]',
        '  chat gpt-4o-mini [CLIENT]',
        'invoke_workflow in_http_handler [INTERNAL]',
        '  chat gpt-4o-mini [CLIENT]',
        'invoke_workflow in_timeout [INTERNAL]',
        '  chat gpt-4o-mini [CLIENT]',
      ]);
      expect(registered!.openRuns).toBe(0);
    });

    it('traces the 0.3 copy and the 1.x copy in the same process, both registered globally', async () => {
      // Each copy keeps its own configure hooks: the 0.3 copy is not traced until registered too.
      await v03Chain().invoke({ question: 'Where?' });
      expect(t.spans()).toEqual([]);
      expect(registerLangChainHandler(v03.context)).toBe(registered);
      h.server.enqueue({ text: 'from 1.x' });
      await Promise.all([
        v03Chain().withConfig({ runName: 'v03_chain' }).invoke({ question: 'Where?' }),
        summaryChain(h.server.openaiBaseURL).withConfig({ runName: 'v1_chain' }).invoke({ topic: 'x' }),
      ]);
      expect(treeOf(t.spans())).toEqual([
        'invoke_workflow v03_chain [INTERNAL]',
        '  chat [CLIENT]',
        '  execute_tool weather [INTERNAL]',
        'invoke_workflow v1_chain [INTERNAL]',
        '  chat gpt-4o-mini [CLIENT]',
      ]);
    });

    it('does not double the spans when a handler is also passed explicitly', async () => {
      h.server.setDefault({ text: 'once' });
      const chain = summaryChain(h.server.openaiBaseURL).withConfig({ runName: 'explicit' });
      await chain.invoke({ topic: 'x' }, { callbacks: [createLangChainHandler()] });
      await chain.invoke({ topic: 'x' }, { callbacks: [registered!] });
      await v03Chain().invoke({ question: 'Where?' }, { callbacks: [createLangChainHandler()] });
      const spans = t.spans();
      expect(named(spans, 'invoke_workflow explicit')).toHaveLength(2);
      expect(named(spans, 'chat gpt-4o-mini')).toHaveLength(2);
      expect(named(spans, 'invoke_workflow RunnableSequence')).toHaveLength(1);
      expect(named(spans, 'execute_tool weather')).toHaveLength(1);
      expect(spans).toHaveLength(7);
    });
  });
});
