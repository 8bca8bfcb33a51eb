// The support workflow: a triage agent, guarded by an input guardrail, hands billing questions to a
// billing agent that looks invoices up and refunds them with function tools.
import { Agent, tool } from '@openai/agents';
import { z } from 'zod';

export const MODEL = 'gpt-4o-mini';

const INVOICES = {
  'INV-1001': { invoiceId: 'INV-1001', amount: 42, currency: 'EUR', status: 'paid' },
};

const lookupInvoice = tool({
  name: 'lookup_invoice',
  description: 'Looks an invoice up by id.',
  parameters: z.object({ invoiceId: z.string() }),
  execute: async ({ invoiceId }) => {
    const invoice = INVOICES[invoiceId];
    if (!invoice) throw new Error(`invoice ${invoiceId} not found`);
    return JSON.stringify(invoice);
  },
});

const refundInvoice = tool({
  name: 'refund_invoice',
  description: 'Refunds a paid invoice.',
  parameters: z.object({ invoiceId: z.string() }),
  execute: async ({ invoiceId }) => JSON.stringify({ invoiceId, refunded: true, refundId: 'RF-77' }),
});

/** Trips when the customer asks about someone else's account. */
const accountOwnership = {
  name: 'account_ownership',
  execute: async ({ input }) => ({
    tripwireTriggered: /someone else/i.test(typeof input === 'string' ? input : JSON.stringify(input)),
    outputInfo: { checked: 'account ownership' },
  }),
};

export function createSupportAgents() {
  const billing = new Agent({
    name: 'Billing agent',
    instructions: 'You are the billing agent. Look invoices up before answering; refund when asked.',
    handoffDescription: 'Answers invoice and refund questions.',
    tools: [lookupInvoice, refundInvoice],
    model: MODEL,
  });
  const triage = new Agent({
    name: 'Triage agent',
    instructions: 'You are the triage agent. Hand billing questions to the billing agent.',
    handoffs: [billing],
    inputGuardrails: [accountOwnership],
    model: MODEL,
  });
  return { triage, billing };
}
