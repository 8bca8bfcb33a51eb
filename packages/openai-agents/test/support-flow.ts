// The customer-support workflow the tests run: a triage agent with an input guardrail hands off to a
// billing agent that calls function tools, against the scripted model server.
import { Agent, tool, type InputGuardrail } from '@openai/agents';
import { toolResults, type RecordedRequest, type ScriptedResponse } from '@agent-otel/testing';
import { z } from 'zod';

export const MODEL = 'gpt-4o-mini';

/** The span tree of a run of the workflow on a billing question (`treeOf`). */
export const SUPPORT_TREE: readonly string[] = [
  'invoke_workflow support [INTERNAL]',
  '  task support [INTERNAL]',
  '    invoke_agent Billing agent [INTERNAL]',
  '      turn Billing agent [INTERNAL]',
  '        chat gpt-4o-mini [CLIENT]',
  '        execute_tool lookup_invoice [INTERNAL]',
  '      turn Billing agent [INTERNAL]',
  '        chat gpt-4o-mini [CLIENT]',
  '    invoke_agent Triage agent [INTERNAL]',
  '      guardrail account_ownership [INTERNAL]',
  '      turn Triage agent [INTERNAL]',
  '        chat gpt-4o-mini [CLIENT]',
  '        execute_tool transfer_to_Billing_agent [INTERNAL]',
];

/** Tools calls made inside `lookup_invoice`, e.g. to nest an HTTP call; replaceable per test. */
export const hooks: { insideLookup: (invoiceId: string) => Promise<void> | void } = {
  insideLookup: () => undefined,
};

export const lookupInvoice = tool({
  name: 'lookup_invoice',
  description: 'Looks up an invoice by id.',
  parameters: z.object({ invoiceId: z.string() }),
  execute: async ({ invoiceId }) => {
    await hooks.insideLookup(invoiceId);
    if (invoiceId === 'INV-404') throw new Error(`invoice ${invoiceId} not found`);
    return JSON.stringify({ invoiceId, amount: 42, currency: 'EUR', status: 'paid' });
  },
});

export const refundInvoice = tool({
  name: 'refund_invoice',
  description: 'Refunds a paid invoice.',
  parameters: z.object({ invoiceId: z.string() }),
  execute: async ({ invoiceId }) => JSON.stringify({ invoiceId, refunded: true }),
});

/** Trips on messages asking for someone else's account. */
export const accountGuardrail: InputGuardrail = {
  name: 'account_ownership',
  execute: async ({ input }) => {
    const text = typeof input === 'string' ? input : JSON.stringify(input);
    return { tripwireTriggered: /someone else/i.test(text), outputInfo: { checked: true } };
  },
};

export function createAgents(): { triage: Agent; billing: Agent } {
  const billing = new Agent({
    name: 'Billing agent',
    instructions: 'You are the billing agent. Look invoices up before answering.',
    handoffDescription: 'Answers invoice and refund questions.',
    tools: [lookupInvoice, refundInvoice],
    model: MODEL,
  });
  const triage = new Agent({
    name: 'Triage agent',
    instructions: 'You are the triage agent. Hand billing questions to the billing agent.',
    handoffs: [billing],
    inputGuardrails: [accountGuardrail],
    model: MODEL,
  });
  return { triage, billing };
}

function requestText(request: RecordedRequest): string {
  return JSON.stringify((request.body as { input?: unknown }).input ?? '');
}

/**
 * The scripted model: the triage agent hands billing questions over; the billing agent looks the
 * invoice named in the question up (`INV-…`), then answers with what the tool returned.
 */
export function supportModel(request: RecordedRequest): ScriptedResponse {
  const body = request.body as { instructions?: string; tools?: { name?: string }[] };
  const invoiceId = /INV-\d+/.exec(requestText(request))?.[0] ?? 'INV-1';
  const transfer = body.tools?.find((tool) => tool.name?.startsWith('transfer_to_'))?.name;
  if (transfer) {
    return { toolCalls: [{ name: transfer, arguments: {} }], usage: { inputTokens: 50, outputTokens: 5 } };
  }
  const lookups = toolResults(request)
    .map((result) => String(result.content))
    .filter((content) => content.includes('invoiceId') || content.includes('error occurred'));
  if (lookups.length === 0) {
    return {
      toolCalls: [{ name: 'lookup_invoice', arguments: { invoiceId } }],
      usage: { inputTokens: 80, outputTokens: 10 },
    };
  }
  if (lookups.some((content) => content.includes('error occurred'))) {
    return {
      text: `Sorry, I could not find invoice ${invoiceId}.`,
      usage: { inputTokens: 90, outputTokens: 12 },
    };
  }
  return {
    text: `Invoice ${invoiceId} is paid: 42 EUR.`,
    usage: { inputTokens: 120, outputTokens: 15, cacheReadInputTokens: 64 },
  };
}
