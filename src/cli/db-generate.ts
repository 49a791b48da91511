/**
 * `npm run db:generate` (also run after `npm install`): writes prisma/<kind>/schema.prisma from prisma/models.prisma
 * and generates the Prisma client of each database into src/db/generated/.
 *
 * `prisma generate` only needs the WebAssembly schema parser, but the CLI checks for its schema-engine binary at
 * start and would try to download it; any executable path in PRISMA_SCHEMA_ENGINE_BINARY satisfies the check, and
 * generate never runs it.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { databaseKinds, renderSchema, schemaPath } from '../db/schema-files.ts';

const prismaCli = createRequire(import.meta.url).resolve('prisma/build/index.js');

for (const kind of databaseKinds) {
  writeFileSync(schemaPath(kind), renderSchema(kind));
  execFileSync(process.execPath, [prismaCli, 'generate', '--schema', schemaPath(kind)], {
    stdio: 'pipe',
    env: {
      ...process.env,
      PRISMA_SCHEMA_ENGINE_BINARY: process.execPath,
      CHECKPOINT_DISABLE: '1',
      PRISMA_HIDE_UPDATE_MESSAGE: '1',
    },
  });
  console.log(`prisma/${kind}/schema.prisma written, client generated in src/db/generated/${kind}`);
}
