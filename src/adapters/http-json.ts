import http from 'node:http';
import https from 'node:https';

export interface JsonReply {
  status: number;
  /** The body parsed as JSON, or `{}` when it was empty or not JSON. */
  body: unknown;
}

/** A reply larger than this is cut off and read as not JSON: nothing an API answers to a send is this big. */
const MAX_REPLY_BYTES = 1 << 20;

/** One keep-alive pool per scheme for the whole process: a send reuses a warm connection. */
const agents = {
  'http:': new http.Agent({ keepAlive: true, maxSockets: 300 }),
  'https:': new https.Agent({ keepAlive: true, maxSockets: 300 }),
};

/**
 * POSTs `payload` as JSON and reads the JSON reply, within `timeoutMs` from the start to the
 * last byte. Rejects only when no reply came (refused, reset, timed out); any HTTP status resolves.
 *
 * node:http rather than the global `fetch`: the Graph API send is on every reply's path, and
 * measured with the same local server (`docs/performance.md`), `fetch` cost ~600 µs of CPU
 * a request against ~140 µs here, most of it in its web streams and the garbage they leave.
 */
export function postJson(url: string, payload: unknown, headers: Record<string, string>, timeoutMs: number): Promise<JsonReply> {
  const target = new URL(url);
  const client = target.protocol === 'https:' ? https : http;
  const agent = target.protocol === 'https:' ? agents['https:'] : agents['http:'];
  const data = Buffer.from(JSON.stringify(payload), 'utf8');
  return new Promise<JsonReply>((resolve, reject) => {
    const req = client.request(
      target,
      { method: 'POST', agent, headers: { ...headers, 'content-type': 'application/json', 'content-length': data.length } },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size <= MAX_REPLY_BYTES) chunks.push(chunk);
        });
        res.on('error', fail);
        res.on('end', () => {
          clearTimeout(deadline);
          let body: unknown = {};
          if (size <= MAX_REPLY_BYTES && size > 0) {
            try {
              body = JSON.parse(Buffer.concat(chunks, size).toString('utf8'));
            } catch {
              body = {};
            }
          }
          resolve({ status: res.statusCode ?? 0, body });
        });
      },
    );
    function fail(err: Error) {
      clearTimeout(deadline);
      reject(err);
    }
    const deadline = setTimeout(() => {
      const err = new Error(`no reply within ${timeoutMs} ms`);
      err.name = 'TimeoutError';
      req.destroy(err);
    }, timeoutMs);
    req.on('error', fail);
    req.end(data);
  });
}
