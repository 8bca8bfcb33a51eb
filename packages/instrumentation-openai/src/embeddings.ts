// embeddings.create → an `embeddings` span (`embeddings {model}`).
import { isRecord, numberOf, openAIErrorType, openAIUsage, stringOf } from '@agent-otel/core/instrumentation';
import { type EmbeddingsSpanData } from '@agent-otel/core';
import type { ClientLike, Json, TracedCall } from './internal-types.js';

import { endpointOf } from './utils.js';

/** Span data of an embeddings request. `encoding_format` is recorded only when the caller set it. */
export function embeddingsRequestData(body: unknown, client: ClientLike | undefined): EmbeddingsSpanData {
  const params: Json = isRecord(body) ? body : {};
  const encodingFormat = stringOf(params.encoding_format);
  return {
    type: 'embeddings',
    model: stringOf(params.model),
    dimensionCount: numberOf(params.dimensions),
    encodingFormats: encodingFormat ? [encodingFormat] : undefined,
    ...endpointOf(client),
  };
}

/** Length of the first returned vector (a number array, or a typed array once the SDK decoded base64). */
function vectorLength(response: Json): number | undefined {
  const first: unknown = Array.isArray(response.data) ? response.data[0] : undefined;
  const embedding = isRecord(first) ? first.embedding : undefined;
  if (Array.isArray(embedding) || ArrayBuffer.isView(embedding)) {
    return (embedding as ArrayLike<unknown>).length;
  }
  return undefined;
}

/** Span data of an embeddings response; the dimension count comes from the vectors when not requested. */
export function embeddingsResultData(
  response: unknown,
  requested: EmbeddingsSpanData,
): Partial<EmbeddingsSpanData> {
  if (!isRecord(response)) return {};
  return {
    responseModel: stringOf(response.model),
    usage: openAIUsage(response.usage),
    dimensionCount: requested.dimensionCount ?? vectorLength(response),
  };
}

/** Traces one `embeddings.create` call. */
export function startEmbeddings(
  body: unknown,
  client: ClientLike | undefined,
): TracedCall<EmbeddingsSpanData> {
  const data = embeddingsRequestData(body, client);
  return {
    data,
    hooks: {
      onResult: (span, response) => span.update(embeddingsResultData(response, data)),
      errorType: openAIErrorType,
    },
  };
}
