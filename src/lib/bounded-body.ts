/**
 * The bytes of a request body as they stream in, or null as soon as more than `limit` of them have
 * arrived. The rest is left unread, not cancelled: cancelling the stream of a Node request destroys
 * its socket, and the client would see it hang up instead of the answer that says why.
 */
export async function boundedBytes(body: ReadableStream<Uint8Array> | null, limit: number): Promise<Buffer | null> {
  if (!body) return Buffer.alloc(0);
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (let read = await reader.read(); !read.done; read = await reader.read()) {
      size += read.value.byteLength;
      if (size > limit) return null;
      chunks.push(read.value);
    }
  } finally {
    reader.releaseLock();
  }
  return Buffer.concat(chunks, size);
}
