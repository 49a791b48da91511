/**
 * The stored stand-in for a platform account where Trilha must remember an account without keeping its id: a
 * deleted member's tombstone (Tombstone) and the link-code rate limit (LinkFailure). A SHA-256 of the workspace row id
 * and the platform user id: the same account always gives the same key, and the key gives neither back.
 */
import { createHash } from 'node:crypto';

export function accountKey(workspaceId: string, externalId: string): string {
  return createHash('sha256').update(`${workspaceId}\u0000${externalId}`).digest('hex');
}
