import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../../app/deps.js';
import type { DashTexts } from '../../i18n/dashboard.js';

/* What the dashboard's pages share: the form a POST carries, and what every page handler gets. */

export type Form = Record<string, string>;

/** What every dashboard page handler gets: the deps, the CSRF token, and a renderer with the nav. */
export interface AdminPage {
  deps: AppDeps;
  /** The dashboard's words in the store's language, and its dates. */
  t: DashTexts;
  when(d: Date | null): string;
  render(req: FastifyRequest, reply: FastifyReply, title: string, body: string): FastifyReply;
  csrf(req: FastifyRequest): string;
  /** Runs a form action: on success back to `to` with a message; a DomainError becomes the message. */
  act(reply: FastifyReply, to: string, run: () => Promise<string>): Promise<FastifyReply>;
}
