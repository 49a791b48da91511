/**
 * For Prisma's own CLI (`prisma migrate deploy`, `prisma studio`) on a machine that has Prisma's binaries: the same
 * DATABASE_URL that Trilha reads picks the schema and the migrations folder. Trilha itself never needs this file: it
 * applies migrations on its own (docs/decisions/0001-migrations-with-the-wasm-schema-engine.md).
 */
import { defineConfig } from 'prisma/config';

const url = process.env.DATABASE_URL || 'file:./data/trilha.db';
const kind = url.startsWith('file:') ? 'sqlite' : 'postgresql';

export default defineConfig({
  schema: `prisma/${kind}/schema.prisma`,
  migrations: { path: `prisma/${kind}/migrations` },
  datasource: { url },
});
