/**
 * The host side of the sandbox's `fetch`: performs a hook's request with undici through a connector
 * that refuses internal addresses, bounded by the run's remaining time and a response size cap, and
 * answers with plain JSON (or an error message) for the isolate.
 */
import type { Socket } from 'node:net';
import { Agent, buildConnector, fetch as undiciFetch } from 'undici';
import {
  checkLiteralHost,
  guardedLookup,
  isAllowedHost,
  RefusedAddressError,
  refusedRange,
  type AddressPolicy,
} from './address-guard.ts';
import type { FetchOptions } from './options.ts';
import type { FetchOutcome, FetchRequest } from './runtime-protocol.ts';

// The records of a fetch that cross the isolate's boundary are part of its protocol.
export type { FetchOutcome, FetchRequest };

export class HostFetcher {
  private readonly agent: Agent;
  private readonly options: FetchOptions;

  constructor(options: FetchOptions) {
    this.options = options;
    const policy: AddressPolicy = { allowHosts: new Set(options.allowHosts) };
    const connect = buildConnector({ lookup: guardedLookup(policy) } as buildConnector.BuildOptions);
    this.agent = new Agent({
      connect(connectOptions, callback) {
        const { hostname } = connectOptions;
        try {
          checkLiteralHost(policy, hostname);
        } catch (error) {
          return callback(error as Error, null);
        }
        connect(connectOptions, (error, socket) => {
          if (error || !socket) return callback(error ?? new Error('connection failed'), null);
          // Belt and braces: whatever path the connection took, the peer must be acceptable.
          const remote = (socket as Socket).remoteAddress;
          const range = remote && !isAllowedHost(policy, hostname) ? refusedRange(remote) : null;
          if (range !== null && remote) {
            socket.destroy();
            return callback(new RefusedAddressError(hostname, remote, range), null);
          }
          callback(null, socket);
        });
      },
      keepAliveTimeout: 4_000,
      // Runs awaiting a slow peer hold no sandbox slot: many may wait on one host at once.
      connections: this.options.maxConnectionsPerHost,
    });
  }

  async fetch(request: FetchRequest, signal: AbortSignal): Promise<FetchOutcome> {
    const tooLarge = headProblem(request, this.options);
    if (tooLarge !== null) return { error: `fetch failed: ${tooLarge}`, code: 'ERR_REQUEST_TOO_LARGE' };
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      return { error: `fetch failed: invalid URL ${JSON.stringify(request.url)}`, code: 'ERR_INVALID_URL' };
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      return { error: `fetch failed: only http: and https: URLs are supported, not ${url.protocol}`, code: 'ERR_UNSUPPORTED_PROTOCOL' };
    }
    try {
      const response = await undiciFetch(url, {
        method: request.method,
        headers: request.headers,
        body: request.body,
        signal,
        dispatcher: this.agent,
        redirect: 'follow',
      });
      const body = await readCapped(response.body as ReadableStream<Uint8Array> | null, this.options.maxResponseBytes, signal);
      return {
        status: response.status,
        statusText: response.statusText,
        url: response.url,
        redirected: response.redirected,
        headers: [...response.headers],
        body,
      };
    } catch (error) {
      return describeFailure(error, signal);
    }
  }

  async close(): Promise<void> {
    await this.agent.destroy().catch(() => undefined);
  }
}

/** The runtime bounds a request's head already; checked again here, whatever the isolate claims. */
function headProblem(request: FetchRequest, options: FetchOptions): string | null {
  if (typeof request.url !== 'string' || !Array.isArray(request.headers)) return 'the request is malformed';
  if (request.headers.length > options.maxRequestHeaders) return `a request may carry at most ${options.maxRequestHeaders} headers`;
  let bytes = request.url.length;
  for (const pair of request.headers) {
    if (!Array.isArray(pair) || typeof pair[0] !== 'string' || typeof pair[1] !== 'string') return 'the request is malformed';
    bytes += pair[0].length + pair[1].length;
  }
  return bytes > options.maxRequestHeadBytes ? `the URL and headers of a request may be at most ${options.maxRequestHeadBytes} characters` : null;
}

class BodyTooLargeError extends Error {
  readonly code = 'HOOKGATE_BODY_TOO_LARGE';
}

async function readCapped(body: ReadableStream<Uint8Array> | null, maxBytes: number, signal: AbortSignal): Promise<string> {
  if (body === null) return '';
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > maxBytes) {
        throw new BodyTooLargeError(`fetch failed: the response body is larger than ${maxBytes} bytes`);
      }
      chunks.push(value);
    }
  } catch (error) {
    // Cancelling the stream aborts the download instead of draining it.
    await reader.cancel().catch(() => undefined);
    if (signal.aborted && !(error instanceof BodyTooLargeError)) throw signal.reason ?? error;
    throw error;
  }
  return new TextDecoder().decode(Buffer.concat(chunks));
}

function describeFailure(error: unknown, signal: AbortSignal): FetchOutcome {
  if (error instanceof BodyTooLargeError) return { error: error.message, code: error.code };
  if (signal.aborted) {
    const reason = signal.reason as Error | undefined;
    const timedOut = reason?.name === 'TimeoutError';
    return {
      error: timedOut ? 'fetch failed: the run ran out of time before the response arrived' : 'fetch failed: the run has ended',
      code: timedOut ? 'ETIMEDOUT' : 'ABORT_ERR',
    };
  }
  // undici reports connection problems as TypeError('fetch failed') with the real reason as cause.
  let cause: unknown = error;
  while (cause instanceof Error && cause.cause instanceof Error) cause = cause.cause;
  if (cause instanceof RefusedAddressError) return { error: `fetch failed: ${cause.message}`, code: cause.code };
  const message = cause instanceof Error ? cause.message : String(cause);
  const code = (cause as { code?: unknown } | null)?.code;
  return { error: `fetch failed: ${message}`, code: typeof code === 'string' ? code : 'FETCH_FAILED' };
}
