// Creates an embedded database folder (PGlite's initdb) and exits: run by kedai in a child
// process on the first start, so initdb's memory (a second WebAssembly PostgreSQL and a
// copy of its heap: ~730 MB at the peak for ~3 s, ~890 MB without the small buffer pool
// below) is given back to the system when this process ends, instead of staying in the
// bot's heap. Usage: node scripts/pglite-init.mjs DIR
import { PGlite } from '@electric-sql/pglite';

const dir = process.argv[2];
if (!dir) {
  process.stderr.write('usage: node scripts/pglite-init.mjs DIR\n');
  process.exit(2);
}
// initdb -c also writes the setting into the folder's postgresql.conf (kedai sets it again at each start).
const small = ['-c', 'shared_buffers=16MB'];
const db = await PGlite.create(dir, { initDbStartParams: small, startParams: [...PGlite.defaultStartParams, ...small] });
await db.close();
