/**
 * Masked names and ID numbers for a page of a person worklist, from the warehouse's
 * vault (decrypted in memory, masked at once); the vault key comes from the data folder.
 * Every worklist read is audited.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { loadDataKeys } from '../../../../warehouse/vault/data-keys.ts';
import { maskedIdentities, type MaskedIdentity } from '../../../../warehouse/quality/masked-identities.ts';
import type { WarehouseQuery } from '../../../../warehouse/quality/warehouse-query.ts';
import { currentUser } from '../../../plugins/auth.ts';

export class WorklistIdentities {
  private key: Buffer | undefined;

  constructor(
    private readonly app: FastifyInstance,
    private readonly dataDir: string,
    private readonly query: WarehouseQuery,
  ) {}

  async lookup(pids: readonly string[]): Promise<Map<string, MaskedIdentity>> {
    this.key ??= loadDataKeys(this.dataDir).vaultKey;
    return maskedIdentities(this.query, pids, this.key);
  }

  audit(request: FastifyRequest, action: string, region: string, target: string, detail: Record<string, unknown>): void {
    this.app.audit.append({ actor: currentUser(request).username, action, region, target, detail, ip: request.ip });
  }
}
