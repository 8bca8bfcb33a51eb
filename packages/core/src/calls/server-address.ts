/** `server.address` / `server.port` of a client's base URL (default port from the scheme). */
export interface ServerAddress {
  serverAddress?: string;
  serverPort?: number;
}

/**
 * Reads the host and port of a model client's base URL, e.g. `https://api.openai.com/v1` →
 * `{ serverAddress: 'api.openai.com', serverPort: 443 }`. Credentials in the URL are never returned.
 * Returns `{}` for anything that is not a URL; never throws.
 */
export function serverAddressFromURL(baseURL: unknown): Readonly<ServerAddress> {
  if (typeof baseURL === 'string' && baseURL === lastURL) return lastAddress;
  const address = parseServerAddress(baseURL);
  if (typeof baseURL === 'string') {
    // A process talks to one or two base URLs: the last one is kept, so a call does not parse it again.
    lastURL = baseURL;
    lastAddress = Object.freeze(address);
  }
  return address;
}

// A cache of a pure function, per copy of core: a miss only parses again.
let lastURL: string | undefined;
let lastAddress: Readonly<ServerAddress> = Object.freeze({});

function parseServerAddress(baseURL: unknown): ServerAddress {
  if (typeof baseURL !== 'string' && !(baseURL instanceof URL)) return {};
  try {
    const url = new URL(String(baseURL));
    const port = url.port
      ? Number(url.port)
      : url.protocol === 'https:'
        ? 443
        : url.protocol === 'http:'
          ? 80
          : undefined;
    return { serverAddress: url.hostname.replace(/^\[|\]$/g, ''), serverPort: port };
  } catch {
    return {};
  }
}
