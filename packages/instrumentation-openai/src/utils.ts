import {
  GEN_AI_PROVIDER_NAME_VALUE_AZURE_AI_OPENAI,
  GEN_AI_PROVIDER_NAME_VALUE_OPENAI,
} from '@agent-otel/core/semconv';
import { getContentPolicy, serverAddressFromURL, type ServerAddress } from '@agent-otel/core/instrumentation';
import type { ClientLike } from './internal-types.js';

/** `stop` as sent: a string or a list of strings. */
export function stopSequencesOf(stop: unknown): string[] | undefined {
  if (typeof stop === 'string') return [stop];
  if (!Array.isArray(stop)) return undefined;
  const strings = stop.filter((item): item is string => typeof item === 'string');
  return strings.length > 0 ? strings : undefined;
}

/** Who serves a client's calls (`gen_ai.provider.name`) and where (`server.address` / `server.port`). */
export interface ClientEndpoint extends ServerAddress {
  provider: string;
}

/** Hosts of Azure OpenAI resources, reached with the plain `OpenAI` client (Azure's `/openai/v1` API). */
const AZURE_OPENAI_HOST_SUFFIXES = ['.openai.azure.com', '.cognitiveservices.azure.com'];

function isAzureOpenAIHost(host: string | undefined): boolean {
  return host !== undefined && AZURE_OPENAI_HOST_SUFFIXES.some((suffix) => host.endsWith(suffix));
}

/** Only the SDK's `AzureOpenAI` client has an `apiVersion` (the `api-version` query it sends). */
function isAzureClient(client: ClientLike | undefined): boolean {
  return typeof client?.apiVersion === 'string';
}

let lastEndpoint: { baseURL: string; azureClient: boolean; endpoint: Readonly<ClientEndpoint> } | undefined;

/**
 * The provider and server of a client: `azure.ai.openai` for an `AzureOpenAI` client or a base URL
 * on an Azure OpenAI host, else `openai` (a proxy or compatible server is reported as `openai`: it
 * speaks OpenAI's API, and the server address says where it is). The last base URL's answer is
 * kept, so a call neither parses the URL nor allocates.
 */
export function endpointOf(client: ClientLike | undefined): Readonly<ClientEndpoint> {
  const baseURL = client?.baseURL;
  const azureClient = isAzureClient(client);
  const last = lastEndpoint;
  if (last !== undefined && last.baseURL === baseURL && last.azureClient === azureClient)
    return last.endpoint;
  const server = serverAddressFromURL(baseURL);
  const provider =
    azureClient || isAzureOpenAIHost(server.serverAddress)
      ? GEN_AI_PROVIDER_NAME_VALUE_AZURE_AI_OPENAI
      : GEN_AI_PROVIDER_NAME_VALUE_OPENAI;
  const endpoint = Object.freeze({ provider, ...server });
  if (typeof baseURL === 'string') lastEndpoint = { baseURL, azureClient, endpoint };
  return endpoint;
}

/**
 * True when content is captured: request and response content is then kept for the mapping (which
 * applies the policy); otherwise it is never even referenced.
 */
export function capturesContent(): boolean {
  return getContentPolicy().mode !== 'NO_CONTENT';
}
