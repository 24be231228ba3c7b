/** `npx tsx bench/cloud-only.ts`: only the Cloud transport part of the bench (quicker to iterate on). */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import pg from 'pg';
import { cloudBench } from './cloud.js';

const BASE_DB = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const freePort = () =>
  new Promise<number>((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
const name = `kedai_bench_${randomBytes(4).toString('hex')}`;
const admin = new pg.Client({ connectionString: BASE_DB });
await admin.connect();
await admin.query(`CREATE DATABASE ${name}`);
const url = new URL(BASE_DB);
url.pathname = `/${name}`;
try {
  process.stdout.write(`${JSON.stringify(await cloudBench(url.toString(), process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', freePort), null, 2)}\n`);
} finally {
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.end();
}
