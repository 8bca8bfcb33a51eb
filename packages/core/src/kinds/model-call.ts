import type {
  EmbeddingsSpanData,
  GenerationSpanData,
  RerankSpanData,
  ResponseSpanData,
  SpanData,
  SpeechSpanData,
  TranscriptionSpanData,
} from './span-data.js';

/** The kinds that are one model call. */
export type ModelCallSpanData =
  | GenerationSpanData
  | ResponseSpanData
  | EmbeddingsSpanData
  | RerankSpanData
  | SpeechSpanData
  | TranscriptionSpanData;

/** The model-call kinds a framework bridge opens for a call that a client instrumentation also sees. */
export type ClaimableModelCallData = GenerationSpanData | ResponseSpanData;

/** A model call: its usage is the call's own and rolls up into the agent and workflow spans above. */
export function isModelCall(data: SpanData): data is ModelCallSpanData {
  switch (data.type) {
    case 'generation':
    case 'response':
    case 'embeddings':
    case 'rerank':
    case 'speech':
    case 'transcription':
      return true;
    default:
      return false;
  }
}

/**
 * A model call that one layer can open and another claim (one call, one span): the kinds of a
 * framework bridge's chat model spans. Takes the kind (`SpanData['type']`), or any value.
 */
export function isClaimableModelCallType(type: unknown): type is ClaimableModelCallData['type'] {
  return type === 'generation' || type === 'response';
}
