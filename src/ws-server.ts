import type { IncomingMessage } from 'node:http';
import { CloseCode, handleProtocols, makeServer, type ServerOptions } from 'graphql-ws';
import type { WebSocket, WebSocketServer } from 'ws';

/** What each graphql-ws connection carries besides its params: the socket and its upgrade request. */
export interface SocketExtra {
  socket: WebSocket;
  request: IncomingMessage;
}

/** How often an idle connection is pinged; one that has not answered by the next ping is dropped. */
const KEEP_ALIVE_MS = 12_000;

/**
 * graphql-ws's server (makeServer) on a ws server, as graphql-ws/use/ws does, but with nothing
 * written to the console. use/ws prints every socket error with its stack on stderr, and so
 * anybody could write there: a frame past `maxPayload` or a text frame that is not UTF-8 is a
 * socket error, which ws answers itself by closing the connection with the code that says why.
 * What fails in handling a message is the service's fault, and is reported to `onInternalError`.
 */
export function serveGraphqlWs(
  options: ServerOptions<Record<string, unknown>, SocketExtra>,
  wsServer: WebSocketServer,
  onInternalError: (error: unknown) => void,
) {
  const server = makeServer(options);
  wsServer.options.handleProtocols = handleProtocols;
  wsServer.on('connection', (socket, request) => {
    // ws has closed, or is closing, the connection of a client that broke the protocol.
    socket.on('error', () => {});
    let answered = true;
    const pinging = setInterval(() => {
      if (socket.readyState !== socket.OPEN) return;
      if (!answered) return socket.terminate();
      answered = false;
      socket.ping();
    }, KEEP_ALIVE_MS);
    socket.on('pong', () => (answered = true));
    const closed = server.opened(
      {
        protocol: socket.protocol,
        send: (data) =>
          new Promise<void>((resolve, reject) => {
            if (socket.readyState !== socket.OPEN) return resolve();
            socket.send(data, (error) => (error ? reject(error) : resolve()));
          }),
        close: (code, reason) => socket.close(code, reason),
        onMessage: (handle) =>
          socket.on('message', async (data) => {
            try {
              await handle(String(data));
            } catch (error) {
              onInternalError(error);
              socket.close(CloseCode.InternalServerError, 'Internal server error');
            }
          }),
      },
      { socket, request },
    );
    socket.once('close', (code, reason) => {
      clearInterval(pinging);
      void closed(code, String(reason));
    });
  });
  return {
    async dispose() {
      for (const client of wsServer.clients) client.close(1001, 'Going away');
      wsServer.removeAllListeners();
      await new Promise<void>((resolve, reject) => wsServer.close((error) => (error ? reject(error) : resolve())));
    },
  };
}
