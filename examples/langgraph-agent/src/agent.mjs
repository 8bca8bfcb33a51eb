// A support agent written with LangGraph: langchain's `createAgent` (a LangGraph graph: a model node
// and a tool node) with two tools and a policy retriever exposed as a third tool, and a checkpointer
// that keeps each conversation by thread id. Plain LangChain code, no tracing calls:
// `--import @agent-otel/node/register` loads @agent-otel/langchain, which registers a callback handler
// with @langchain/core and records the agent run, its graph nodes, every model call, every tool call
// and every retrieval.
import { Document } from '@langchain/core/documents';
import { BaseRetriever } from '@langchain/core/retrievers';
import { tool } from '@langchain/core/tools';
import { MemorySaver } from '@langchain/langgraph';
import { createAgent } from 'langchain';
import { z } from 'zod';

export const MODEL = 'gpt-4o-mini';
export const AGENT_NAME = 'support-agent';

const ORDERS = new Map([
  ['A-1001', { status: 'shipped', carrier: 'DHL', trackingNumber: 'JD014600003', shippingFee: 4.9 }],
]);
const SHIPMENTS = new Map([
  ['JD014600003', { status: 'in transit', location: 'Leipzig hub', estimatedDelivery: '2025-06-12' }],
]);

const POLICIES = [
  new Document({
    pageContent:
      'Late delivery: if a parcel arrives after its estimated delivery date, the shipping fee is refunded.',
    metadata: { id: 'policy-late-delivery', topics: ['late', 'delivery', 'shipping', 'refund'] },
  }),
  new Document({
    pageContent: 'Returns: unused items can be returned within 30 days of delivery for a full refund.',
    metadata: { id: 'policy-returns', topics: ['return', 'refund'] },
  }),
  new Document({
    pageContent: 'Damaged items: report damage within 7 days of delivery; we replace the item or refund it.',
    metadata: { id: 'policy-damaged', topics: ['damaged', 'broken', 'refund'] },
  }),
];

/**
 * A small in-memory retriever over the support policies: the documents whose topics share the most
 * words with the query, best first. Any LangChain retriever (a vector store's `asRetriever()`, …) is
 * traced the same way.
 */
export class PolicyRetriever extends BaseRetriever {
  lc_namespace = ['agent_otel', 'examples', 'retrievers'];

  constructor(documents, { k = 2 } = {}) {
    super();
    this.documents = documents;
    this.k = k;
  }

  async _getRelevantDocuments(query) {
    const words = new Set(query.toLowerCase().match(/[a-z]+/g) ?? []);
    return this.documents
      .map((document) => ({ document, score: document.metadata.topics.filter((t) => words.has(t)).length }))
      .filter(({ score }) => score > 0)
      .sort((a, b) => b.score - a.score)
      .slice(0, this.k)
      .map(({ document }) => document);
  }
}

const policies = new PolicyRetriever(POLICIES);

const lookupOrder = tool(
  async ({ orderId }) => {
    const order = ORDERS.get(orderId);
    if (!order) throw new Error(`no order ${orderId}`);
    return JSON.stringify({ orderId, ...order });
  },
  {
    name: 'lookup_order',
    description: 'Look up an order by id',
    schema: z.object({ orderId: z.string() }),
  },
);

const shippingStatus = tool(
  async ({ trackingNumber }) => {
    const shipment = SHIPMENTS.get(trackingNumber);
    if (!shipment) throw new Error(`no shipment ${trackingNumber}`);
    return JSON.stringify({ trackingNumber, ...shipment });
  },
  {
    name: 'get_shipping_status',
    description: "Get a shipment's status from the carrier by tracking number",
    schema: z.object({ trackingNumber: z.string() }),
  },
);

// The retriever as a tool: its run nests under the tool's run, so its span nests under the tool's.
const searchPolicies = tool(
  async ({ query }) => {
    const documents = await policies.invoke(query, { runName: 'support-policies' });
    return documents.map((document) => document.pageContent).join('\n');
  },
  {
    name: 'search_policies',
    description: 'Search the support policies (refunds, returns, late or damaged deliveries)',
    schema: z.object({ query: z.string() }),
  },
);

/** The agent, on `model` (a LangChain chat model, e.g. `new ChatOpenAI({ model: 'gpt-4o-mini' })`). */
export function createSupportAgent(model) {
  return createAgent({
    name: AGENT_NAME,
    model,
    tools: [lookupOrder, shippingStatus, searchPolicies],
    systemPrompt:
      'You are a helpful support agent. Look orders up before answering, and quote the policies that apply.',
    // Keeps each conversation's state by `configurable.thread_id`, so a thread can be continued.
    checkpointer: new MemorySaver(),
  });
}
