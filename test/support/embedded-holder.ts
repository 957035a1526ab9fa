/**
 * A process that opens the embedded database in the directory given as its argument, commits a
 * row, says "ready" and waits: a test kills it with SIGKILL, as a crash or an OOM kill would.
 */
import pg from 'pg';
import { startEmbeddedPostgres } from '../../src/gateways/db/embedded-postgres.js';

const embedded = await startEmbeddedPostgres({ dataDir: process.argv[2]! });
const client = new pg.Client({ connectionString: embedded.url });
await client.connect();
await client.query('create table if not exists survivor (note text)');
await client.query(`insert into survivor values ('committed before the kill')`);
process.stdout.write(`${JSON.stringify({ ready: true, serverPid: embedded.pid })}\n`);
setInterval(() => {}, 60_000);
