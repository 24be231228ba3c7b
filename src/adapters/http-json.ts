import http from 'node:http';
import https from 'node:https';
import { urlToHttpOptions } from 'node:url';

export interface JsonReply {
  status: number;
  /** The body parsed as JSON, or `{}` when it was empty or not JSON. */
  body: unknown;
}

/** A reply larger than this is cut off and read as not JSON: nothing an API answers to a send is this big. */
const MAX_REPLY_BYTES = 1 << 20;
/** A supplier's price list holds thousands of SKUs: several MB. */
export const SUPPLIER_REPLY_BYTES = 64 << 20;

/** One keep-alive pool per scheme for the whole process: a send reuses a warm connection. */
const agents = {
  'http:': new http.Agent({ keepAlive: true, maxSockets: 300 }),
  'https:': new https.Agent({ keepAlive: true, maxSockets: 300 }),
};

/** A few addresses are posted to all day (the Graph API's messages URL): each parsed once, into request options. */
const endpoints = new Map<string, { target: http.RequestOptions; client: typeof http | typeof https; agent: http.Agent }>();
function endpoint(url: string) {
  let known = endpoints.get(url);
  if (!known) {
    const parsed = new URL(url);
    const secure = parsed.protocol === 'https:';
    known = { target: urlToHttpOptions(parsed), client: secure ? https : http, agent: secure ? agents['https:'] : agents['http:'] };
    if (endpoints.size > 100) endpoints.clear();
    endpoints.set(url, known);
  }
  return known;
}

/**
 * Sends `payload` as JSON (none: an empty body) and reads the JSON reply, within `timeoutMs` from the start to the
 * last byte. Rejects only when no reply came (refused, reset, timed out); any HTTP status resolves.
 *
 * node:http rather than the global `fetch`: the Graph API send is on every reply's path, and
 * measured with the same local server (`docs/performance.md`), `fetch` cost ~600 µs of CPU
 * a request against ~140 µs here, most of it in its web streams and the garbage they leave;
 * and the first `fetch` loads undici, ~28 MB of resident memory in a bare process (a payment
 * link through Midtrans was enough to load it).
 */
export async function requestJson(method: 'GET' | 'POST', url: string, payload: unknown, headers: Record<string, string>, timeoutMs: number): Promise<JsonReply> {
  const reply = await requestText(method, url, payload === undefined ? null : { type: 'application/json', body: JSON.stringify(payload) }, headers, timeoutMs);
  let body: unknown = {};
  if (reply.text) {
    try {
      body = JSON.parse(reply.text);
    } catch {
      body = {};
    }
  }
  return { status: reply.status, body };
}

export interface TextReply {
  status: number;
  /** The body as text; '' when there was none, or when it was larger than the limit (cut off: unreadable). */
  text: string;
}

/**
 * The request under `requestJson`, for callers that read the reply themselves (a supplier whose
 * empty or unreadable answer means "unknown") or send a form. `maxBytes`: a price list of
 * thousands of SKUs is several MB; a Graph API answer is a few hundred bytes.
 */
export function requestText(
  method: 'GET' | 'POST',
  url: string,
  content: { type: string; body: string } | null,
  headers: Record<string, string>,
  timeoutMs: number,
  maxBytes = MAX_REPLY_BYTES,
): Promise<TextReply> {
  const { target, client, agent } = endpoint(url);
  const data = content === null ? null : Buffer.from(content.body, 'utf8');
  return new Promise<TextReply>((resolve, reject) => {
    const req = client.request(
      { ...target, method, agent, headers: { ...headers, ...(content ? { 'content-type': content.type } : {}), ...(method === 'POST' ? { 'content-length': data?.length ?? 0 } : {}) } },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size <= maxBytes) chunks.push(chunk);
        });
        res.on('error', fail);
        res.on('end', () => {
          clearTimeout(deadline);
          resolve({ status: res.statusCode ?? 0, text: size > 0 && size <= maxBytes ? Buffer.concat(chunks, size).toString('utf8') : '' });
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
    req.end(data ?? undefined);
  });
}

/** `requestJson` with POST: the Graph API's sends. */
export const postJson = (url: string, payload: unknown, headers: Record<string, string>, timeoutMs: number): Promise<JsonReply> =>
  requestJson('POST', url, payload, headers, timeoutMs);
