/**
 * Person-level exports need approval (授权审批): a user requests an export of a worklist
 * for a region with a reason; a user of a higher level whose region contains the
 * requester's, with the approve_export permission, approves or rejects it; only then can
 * the requester download it, and the file carries the requester and the time.
 */
import { randomUUID } from 'node:crypto';
import { stateSchema, type StateDb } from '../../warehouse/state/open-state-db.ts';

stateSchema(
  'person_exports',
  `CREATE TABLE IF NOT EXISTS person_exports (
     id TEXT PRIMARY KEY,
     requester TEXT NOT NULL,
     requester_region TEXT NOT NULL,
     region TEXT NOT NULL,
     worklist TEXT NOT NULL,
     reason TEXT NOT NULL,
     status TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected')),
     approver TEXT,
     decision_note TEXT,
     created_at TEXT NOT NULL,
     decided_at TEXT,
     downloads INTEGER NOT NULL DEFAULT 0
   );`,
);

export interface PersonExport {
  id: string;
  requester: string;
  requester_region: string;
  region: string;
  worklist: string;
  reason: string;
  status: 'pending' | 'approved' | 'rejected';
  approver: string | null;
  decision_note: string | null;
  created_at: string;
  decided_at: string | null;
  downloads: number;
}

export class PersonExportStore {
  constructor(
    private readonly db: StateDb,
    private readonly now: () => Date = () => new Date(),
  ) {}

  request(input: { requester: string; requesterRegion: string; region: string; worklist: string; reason: string }): PersonExport {
    const id = randomUUID();
    this.db
      .prepare("INSERT INTO person_exports (id, requester, requester_region, region, worklist, reason, status, created_at) VALUES (?, ?, ?, ?, ?, ?, 'pending', ?)")
      .run(id, input.requester, input.requesterRegion, input.region, input.worklist, input.reason, this.now().toISOString());
    return this.get(id)!;
  }

  get(id: string): PersonExport | undefined {
    return this.db.prepare('SELECT * FROM person_exports WHERE id = ?').get(id) as PersonExport | undefined;
  }

  list(): PersonExport[] {
    return this.db.prepare('SELECT * FROM person_exports ORDER BY created_at DESC LIMIT 500').all() as PersonExport[];
  }

  decide(id: string, approver: string, approve: boolean, note: string | null): PersonExport {
    this.db
      .prepare("UPDATE person_exports SET status = ?, approver = ?, decision_note = ?, decided_at = ? WHERE id = ? AND status = 'pending'")
      .run(approve ? 'approved' : 'rejected', approver, note, this.now().toISOString(), id);
    return this.get(id)!;
  }

  countDownload(id: string): void {
    this.db.prepare('UPDATE person_exports SET downloads = downloads + 1 WHERE id = ?').run(id);
  }
}
