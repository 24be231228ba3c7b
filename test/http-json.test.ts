import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postJson, requestJson, requestText } from '../src/adapters/http-json.js';
import { freePort } from './helpers.js';

/**
 * The JSON POST the Cloud API sends go through (adapters/http-json.ts): what it reads of a reply,
 * and how it fails when the other side misbehaves (never answers, stops halfway, answers junk).
 */
describe('postJson', () => {
  let server: http.Server;
  let base: string;
  const seen: { method: string; headers: http.IncomingHttpHeaders; body: string }[] = [];

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('utf8')));
      req.on('end', () => {
        seen.push({ method: req.method ?? '', headers: req.headers, body });
        if (req.url === '/ok') return res.writeHead(200, { 'content-type': 'application/json' }).end('{"messages":[{"id":"wamid.1"}]}');
        if (req.url === '/refused') return res.writeHead(400, { 'content-type': 'application/json' }).end('{"error":{"code":131047}}');
        if (req.url === '/junk') return res.writeHead(502, { 'content-type': 'text/html' }).end('<html>bad gateway</html>');
        if (req.url === '/big') return res.writeHead(200, { 'content-type': 'application/json' }).end(`[${'"sku",'.repeat(400_000)}"last"]`);
        if (req.url === '/half') return res.writeHead(200, { 'content-type': 'application/json' }).write('{"messages":'); // and never more
        // '/silent': never answers
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  it('sends the payload as JSON with the given headers and reads the JSON reply', async () => {
    const reply = await postJson(`${base}/ok`, { to: '6281', text: { body: 'Halo 👋' } }, { authorization: 'Bearer t' }, 2_000);
    expect(reply).toEqual({ status: 200, body: { messages: [{ id: 'wamid.1' }] } });
    const last = seen.at(-1)!;
    expect(JSON.parse(last.body)).toEqual({ to: '6281', text: { body: 'Halo 👋' } });
    expect(last.headers['content-type']).toBe('application/json');
    expect(last.headers.authorization).toBe('Bearer t');
    expect(Number(last.headers['content-length'])).toBe(Buffer.byteLength(last.body));
  });

  it('sends a GET, or a POST with nothing to say, without a body (Midtrans: a status, a cancel)', async () => {
    expect(await requestJson('GET', `${base}/ok`, undefined, { authorization: 'Basic k' }, 2_000)).toEqual({ status: 200, body: { messages: [{ id: 'wamid.1' }] } });
    expect(seen.at(-1)).toMatchObject({ method: 'GET', body: '' });
    expect(seen.at(-1)!.headers.authorization).toBe('Basic k');
    expect(seen.at(-1)!.headers['content-length']).toBeUndefined();
    expect((await requestJson('POST', `${base}/ok`, undefined, {}, 2_000)).status).toBe(200);
    expect(seen.at(-1)).toMatchObject({ method: 'POST', body: '' });
    expect(seen.at(-1)!.headers['content-length']).toBe('0');
  });

  it('reads a reply as text for callers that read it themselves (a supplier): a form sent as a form, a large price list whole, one past the limit as unreadable', async () => {
    const form = await requestText('POST', `${base}/ok`, { type: 'application/x-www-form-urlencoded', body: 'key=k&sign=s' }, { accept: 'application/json' }, 2_000);
    expect(form).toEqual({ status: 200, text: '{"messages":[{"id":"wamid.1"}]}' });
    expect(seen.at(-1)).toMatchObject({ method: 'POST', body: 'key=k&sign=s' });
    expect(seen.at(-1)!.headers['content-type']).toBe('application/x-www-form-urlencoded');
    const whole = await requestText('POST', `${base}/big`, null, {}, 5_000, 8 << 20);
    expect((JSON.parse(whole.text) as string[]).length).toBe(400_001);
    expect(await requestText('POST', `${base}/big`, null, {}, 5_000, 1 << 20)).toEqual({ status: 200, text: '' });
    expect((await requestJson('POST', `${base}/big`, {}, {}, 5_000)).body).toEqual({});
  });

  it('resolves any HTTP status with what the body said; a body that is not JSON reads as {}', async () => {
    expect(await postJson(`${base}/refused`, {}, {}, 2_000)).toEqual({ status: 400, body: { error: { code: 131047 } } });
    expect(await postJson(`${base}/junk`, {}, {}, 2_000)).toEqual({ status: 502, body: {} });
  });

  it('rejects when no reply comes within the time, also when the reply stops halfway', async () => {
    await expect(postJson(`${base}/silent`, {}, {}, 300)).rejects.toThrow(/no reply within 300 ms/);
    await expect(postJson(`${base}/half`, {}, {}, 300)).rejects.toThrow();
  });

  it('rejects when nothing listens', async () => {
    const port = await freePort();
    await expect(postJson(`http://127.0.0.1:${port}/x`, {}, {}, 2_000)).rejects.toThrow(/ECONNREFUSED/);
  });
});
