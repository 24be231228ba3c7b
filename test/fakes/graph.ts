import { createHmac } from 'node:crypto';
import Fastify from 'fastify';

export interface GraphCall {
  /** When the fake accepted it (ms since the epoch). */
  at: number;
  phoneNumberId: string;
  authorization: string | undefined;
  body: {
    to: string;
    type: string;
    text?: { body: string };
    image?: { link: string; caption?: string };
    interactive?: {
      type: string;
      body: { text: string };
      action: { button: string; sections: { title: string; rows: { id: string; title: string; description?: string }[] }[] };
    };
  };
}

/** A local Graph API: records what kedai posts to /{phone_number_id}/messages; answers can be made to fail. */
export async function startFakeGraph(opts: { token?: string } = {}) {
  const app = Fastify({ bodyLimit: 10_000_000 });
  // The phone number's node, as `GET /{phone-number-id}` answers it; a wrong token gets Meta's 190.
  app.get<{ Params: { phoneNumberId: string } }>('/:phoneNumberId', async (req, reply) => {
    if (opts.token && req.headers.authorization !== `Bearer ${opts.token}`) {
      return reply.code(401).send({ error: { message: 'Error validating access token: Session has expired', type: 'OAuthException', code: 190, fbtrace_id: 'Afake' } });
    }
    return { id: req.params.phoneNumberId, display_phone_number: '+62 811-0000-0000', verified_name: 'Toko Test' };
  });
  const accepted: GraphCall[] = [];
  // Statuses to answer, in order, before accepting again; `to` limits a failure to one recipient;
  // `code` is the Graph error code (default: the status); `until` keeps failing (not used up) until that time.
  const failures: { status: number; to?: string; code?: number; until?: number }[] = [];
  let attempts = 0;
  /** Random faults on every send (a soak): a share answered 500, a share answered only after `hangMs`; an outage answers 503 to all. */
  const chaos = { errorRate: 0, hangRate: 0, hangMs: 0, outageUntil: 0 };
  /** Inbound message ids kedai marked read. */
  const reads: string[] = [];
  /** Recipients whose sends hang (unanswered) while listed: a reply in flight at WhatsApp. */
  const hold = new Set<string>();
  /** Sends that arrived for a held recipient (they hang until the caller gives up or dies). */
  const held: string[] = [];
  app.post<{ Params: { phoneNumberId: string }; Body: GraphCall['body'] & { status?: string; message_id?: string } }>('/:phoneNumberId/messages', async (req, reply) => {
    if (req.body.status === 'read') {
      reads.push(String(req.body.message_id));
      return { success: true };
    }
    attempts++;
    if (hold.has(req.body.to)) {
      held.push(req.body.to);
      while (hold.has(req.body.to)) await new Promise((r) => setTimeout(r, 50));
      // The sender died (or gave up) while it hung: it never reached WhatsApp.
      if (req.raw.socket.destroyed) return reply.code(504).send({ error: { message: 'sender gone', code: 2 } });
    }
    if (Date.now() < chaos.outageUntil) return reply.code(503).send({ error: { message: 'outage', code: 2 } });
    if (Math.random() < chaos.errorRate) return reply.code(500).send({ error: { message: 'injected', code: 1 } });
    if (Math.random() < chaos.hangRate) await new Promise((r) => setTimeout(r, chaos.hangMs));
    const i = failures.findIndex((f) => (!f.to || f.to === req.body.to) && (f.until === undefined || Date.now() < f.until));
    if (i >= 0) {
      const fail = failures[i]!;
      if (fail.until === undefined) failures.splice(i, 1);
      return reply.code(fail.status).send({ error: { message: 'injected', type: 'OAuthException', code: fail.code ?? fail.status, error_data: { details: `injected ${fail.code ?? fail.status}` }, fbtrace_id: 'Afake' } });
    }
    accepted.push({ at: Date.now(), phoneNumberId: req.params.phoneNumberId, authorization: req.headers.authorization, body: req.body });
    return { messaging_product: 'whatsapp', contacts: [{ input: req.body.to, wa_id: req.body.to }], messages: [{ id: `wamid.${accepted.length}` }] };
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
  return {
    url,
    accepted,
    failures,
    chaos,
    reads,
    hold,
    held,
    /** The message id the fake gave the n-th accepted message (1-based), as Meta's answer carried it. */
    idOf: (call: GraphCall) => `wamid.${accepted.indexOf(call) + 1}`,
    attempts: () => attempts,
    textsTo: (to: string) => accepted.filter((c) => c.body.to === to).map((c) => c.body.text?.body ?? c.body.image?.caption ?? ''),
    close: () => app.close(),
  };
}

/** One Cloud API webhook carrying one text message, as Meta POSTs it: the raw body and its signature header. */
export function signedTextWebhook(opts: { secret: string; phoneNumberId: string; from: string; id: string; text: string; name?: string }): { raw: string; signature: string } {
  const raw = JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [
      {
        id: 'WABA',
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { phone_number_id: opts.phoneNumberId },
              ...(opts.name ? { contacts: [{ wa_id: opts.from, profile: { name: opts.name } }] } : {}),
              messages: [{ from: opts.from, id: opts.id, timestamp: String(Math.floor(Date.now() / 1000)), type: 'text', text: { body: opts.text } }],
            },
          },
        ],
      },
    ],
  });
  return { raw, signature: `sha256=${createHmac('sha256', opts.secret).update(raw).digest('hex')}` };
}
