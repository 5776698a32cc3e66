/**
 * Masked identities for worklists and sample exports: decrypts the vault records of the
 * listed pids (a page or a sample: small), merges them in date order, and returns only
 * the masked name (张*三) and masked ID number (5101**********123X). The plaintext never
 * leaves this function.
 */
import { decryptPii, mergePiiRecords, type PiiRecord } from '../vault/pii-vault.ts';
import { maskIdNumber } from '../reference/id-number.ts';
import type { WarehouseQuery } from './warehouse-query.ts';

export interface MaskedIdentity {
  readonly name: string | null;
  readonly idNumber: string | null;
}

/** 张三 → 张*, 张小三 → 张*三, 欧阳小明 → 欧**明. */
export function maskName(name: string): string {
  const chars = [...name.trim()];
  if (chars.length === 0) return '';
  if (chars.length === 1) return '*';
  if (chars.length === 2) return `${chars[0]}*`;
  return chars[0] + '*'.repeat(chars.length - 2) + chars[chars.length - 1];
}

/** Masked identities of the pids (missing from the map when the vault has no record). */
export async function maskedIdentities(query: WarehouseQuery, pids: readonly string[], vaultKey: Buffer): Promise<Map<string, MaskedIdentity>> {
  const out = new Map<string, MaskedIdentity>();
  const unique = [...new Set(pids)];
  for (let i = 0; i < unique.length; i += 500) {
    const chunk = unique.slice(i, i + 500);
    const rows = await query(
      `SELECT pid, to_base64(nonce) AS nonce, to_base64(ciphertext) AS ciphertext FROM pii_vault
       WHERE pid IN (${chunk.map(() => '?').join(', ')}) ORDER BY pid, recorded_on, rowid`,
      chunk,
    );
    const records = new Map<string, PiiRecord[]>();
    for (const r of rows) {
      const pid = String(r.pid);
      const rec = decryptPii({ nonce: Buffer.from(String(r.nonce), 'base64'), ciphertext: Buffer.from(String(r.ciphertext), 'base64') }, pid, vaultKey);
      let l = records.get(pid);
      if (!l) records.set(pid, (l = []));
      l.push(rec);
    }
    for (const [pid, list] of records) {
      const m = mergePiiRecords(list);
      out.set(pid, { name: m.name ? maskName(m.name) : null, idNumber: m.id_number ? maskIdNumber(m.id_number) : null });
    }
  }
  return out;
}
