import {
  anthropicFinishReasons,
  anthropicOutputMessage,
  anthropicUsage,
} from '@agent-otel/core/instrumentation';
import { type GenerationSpanData } from '@agent-otel/core';
import { isRecord } from './utils.js';

/** The response fields of a span, from a parsed Anthropic `message`. */
export function messageSpanData(
  message: unknown,
  captureContent: boolean,
): Partial<Omit<GenerationSpanData, 'type'>> {
  if (!isRecord(message)) return {};
  const patch: Partial<Omit<GenerationSpanData, 'type'>> = {};
  if (typeof message.id === 'string') patch.responseId = message.id;
  if (typeof message.model === 'string') patch.responseModel = message.model;
  const finishReasons = anthropicFinishReasons(message.stop_reason);
  if (finishReasons) patch.finishReasons = finishReasons;
  const usage = anthropicUsage(message.usage);
  if (usage) patch.usage = usage;
  if (captureContent) patch.output = [anthropicOutputMessage(message.content, message.stop_reason)];
  return patch;
}
