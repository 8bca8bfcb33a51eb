// The scripted model behind the demo, as a function-form script for the scripted server: it answers
// each Responses request from what the request carries — the tools offered (a `transfer_to_…` tool
// means the triage agent is asking), the customer's message and the tool results so far — so the real
// Runner goes through handoff, tool calls and a final answer without any fixed order of replies.
import { toolResults } from '@agent-otel/testing';

function customerMessage(request) {
  const input = request.body.input;
  const first = Array.isArray(input) ? input.find((item) => item.role === 'user') : input;
  return typeof first === 'string' ? first : String(first?.content ?? '');
}

export function scriptedSupportModel(request) {
  const tools = (request.body.tools ?? []).map((tool) => tool.name);
  const question = customerMessage(request);
  const invoiceId = /INV-\d+/.exec(question)?.[0] ?? 'INV-1001';
  const transfer = tools.find((name) => name.startsWith('transfer_to_'));
  if (transfer) {
    return { toolCalls: [{ name: transfer, arguments: {} }], usage: { inputTokens: 96, outputTokens: 7 } };
  }
  const results = toolResults(request).map((result) => String(result.content));
  const invoice = results.find((content) => content.includes('"status"'));
  if (!invoice) {
    return {
      toolCalls: [{ name: 'lookup_invoice', arguments: { invoiceId } }],
      usage: { inputTokens: 154, outputTokens: 12 },
    };
  }
  const wantsRefund = /refund/i.test(question);
  const refund = results.find((content) => content.includes('"refunded"'));
  if (wantsRefund && !refund) {
    return {
      toolCalls: [{ name: 'refund_invoice', arguments: { invoiceId } }],
      usage: { inputTokens: 201, outputTokens: 12 },
    };
  }
  return {
    text: refund
      ? `Done: invoice ${invoiceId} (42 EUR) is refunded, refund RF-77. It reaches your card in 3–5 days.`
      : `Invoice ${invoiceId} is paid: 42 EUR, settled on 2026-11-02.`,
    usage: { inputTokens: 240, outputTokens: 24, cacheReadInputTokens: 128 },
  };
}
