import { IncomingMessage } from 'node:http';
import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { boundedBytes } from '../lib/bounded-body.ts';

/**
 * The bound on a GraphQL request's body, in place of yoga's `maxRequestBodySize` (answers alike:
 * 413 `REQUEST_ENTITY_TOO_LARGE`, or 400 for a Content-Length that is not one number).
 *
 * Yoga pipes every body through a counting stream, and the pipe's end aborts a signal, which builds
 * a DOMException with its stack: about a twentieth of the service's time per dispatch. A body that
 * Node's HTTP parser reads under a Content-Length is never longer than that header says (it reads
 * that many bytes; a request with both Content-Length and Transfer-Encoding is refused), so such a
 * body is checked by its header alone. A body without the header (chunked), or one handed to
 * `yoga.fetch` in-process, whose header nobody enforces, is counted as it streams in.
 *
 * It must come after every request parser is registered (yoga's own come first; put it last).
 */
export function useBodyLimit(limit: number): Plugin {
  return {
    onRequestParse({ request, serverContext, requestParser, setRequestParser, fetchAPI }) {
      const contentLength = request.headers.get('content-length');
      if (contentLength !== null) {
        if (!/^\d+$/.test(contentLength)) throw invalidContentLength();
        if (Number(contentLength) > limit) throw tooLarge();
        if ((serverContext as { req?: unknown }).req instanceof IncomingMessage) return;
      }
      if (!requestParser || !request.body) return;
      setRequestParser(async (counted) => {
        const bytes = await boundedBytes(counted.body, limit);
        if (!bytes) throw tooLarge();
        return requestParser(new fetchAPI.Request(counted.url, { method: counted.method, headers: counted.headers, body: bytes as Uint8Array<ArrayBuffer> }));
      });
    },
  };
}

const tooLarge = () => new GraphQLError('Request body too large', { extensions: { http: { status: 413 }, code: 'REQUEST_ENTITY_TOO_LARGE' } });

const invalidContentLength = () =>
  new GraphQLError('Content-Length header is invalid.', { extensions: { http: { status: 400 }, code: 'BAD_REQUEST' } });
