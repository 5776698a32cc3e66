/**
 * The alert tables of the application-state database (SQLite; registered with
 * stateSchema so that every openStateDb creates them). Names and columns are
 * documented in docs/alerts.md.
 */
import { stateSchema } from '../warehouse/state/open-state-db.ts';

stateSchema(
  'alerts',
  `CREATE TABLE IF NOT EXISTS alert_series (
     rule TEXT NOT NULL,
     region TEXT NOT NULL,
     level TEXT NOT NULL,
     scope TEXT NOT NULL,
     state TEXT NOT NULL,
     status TEXT NOT NULL,            -- JSON SeriesStatus of alerts/state-machine.ts
     alert_id INTEGER,
     updated_at TEXT NOT NULL,
     PRIMARY KEY (rule, region)
   );
   CREATE TABLE IF NOT EXISTS alerts (
     id INTEGER PRIMARY KEY,
     rule TEXT NOT NULL,
     region TEXT NOT NULL,            -- region code, or point code for level 'point'
     level TEXT NOT NULL,
     scope TEXT NOT NULL,             -- region code for access scoping (a point's township)
     county TEXT,                     -- county the alert belongs to (notification group), null above county
     city TEXT,
     period TEXT NOT NULL,            -- episode start: first breaching period
     last_period TEXT NOT NULL,
     state TEXT NOT NULL,             -- pending | firing | resolved | nodata | error | normal (pending that cleared)
     reason TEXT NOT NULL,
     severity TEXT,
     max_severity TEXT,
     signal TEXT,
     value REAL,
     threshold REAL,
     quantities TEXT NOT NULL DEFAULT '{}',
     labels TEXT NOT NULL DEFAULT '{}',
     evidence TEXT NOT NULL DEFAULT '{}',
     fired INTEGER NOT NULL DEFAULT 0,
     created_at TEXT NOT NULL,
     updated_at TEXT NOT NULL,
     fired_at TEXT,
     resolved_at TEXT,
     workflow TEXT NOT NULL DEFAULT 'open',   -- open | acknowledged | closed
     assignee TEXT,
     acknowledged_by TEXT,
     acknowledged_at TEXT,
     outcome TEXT,
     outcome_note TEXT,
     closed_by TEXT,
     closed_at TEXT,
     escalation TEXT NOT NULL DEFAULT 'none', -- none | city | province
     escalated_at TEXT,
     inhibited_by INTEGER,
     silenced_by INTEGER,
     UNIQUE (rule, region, period)
   );
   CREATE INDEX IF NOT EXISTS alerts_scope ON alerts (scope);
   CREATE INDEX IF NOT EXISTS alerts_state ON alerts (state, rule);
   CREATE TABLE IF NOT EXISTS alert_history (
     id INTEGER PRIMARY KEY,
     alert_id INTEGER NOT NULL REFERENCES alerts (id),
     at TEXT NOT NULL,
     actor TEXT,                       -- user name; null for the system
     action TEXT NOT NULL,             -- transition | severity | assigned | acknowledged | comment | closed | escalated | inhibited | uninhibited | silenced | notified
     from_state TEXT,
     to_state TEXT,
     detail TEXT NOT NULL DEFAULT '{}',
     run_id TEXT
   );
   CREATE INDEX IF NOT EXISTS alert_history_alert ON alert_history (alert_id, id);
   CREATE TABLE IF NOT EXISTS alert_runs (
     run_id TEXT PRIMARY KEY,
     trigger TEXT NOT NULL,
     started_at TEXT NOT NULL,
     finished_at TEXT NOT NULL,
     warehouse_version TEXT,
     data_as_of TEXT,
     result TEXT NOT NULL,             -- ok | partial | failed | no_warehouse
     message TEXT NOT NULL,
     detail TEXT NOT NULL DEFAULT '{}'
   );
   CREATE TABLE IF NOT EXISTS alert_evaluations (
     rule TEXT NOT NULL,
     period TEXT NOT NULL,
     run_id TEXT NOT NULL,
     warehouse_version TEXT,
     evaluated_at TEXT NOT NULL,
     status TEXT NOT NULL,             -- ok | not_applicable | error
     message TEXT,
     observations INTEGER NOT NULL,
     breaches INTEGER NOT NULL,
     nodata INTEGER NOT NULL,
     ms INTEGER NOT NULL,
     PRIMARY KEY (rule, period)
   );
   CREATE TABLE IF NOT EXISTS alert_silences (
     id INTEGER PRIMARY KEY,
     rule TEXT,                        -- null: every rule
     region TEXT NOT NULL,             -- the region and everything below it
     severity TEXT,                    -- null: every severity; else this severity and below
     starts_at TEXT NOT NULL,
     ends_at TEXT NOT NULL,
     reason TEXT NOT NULL,
     created_by TEXT NOT NULL,
     created_at TEXT NOT NULL,
     expired_by TEXT,
     expired_at TEXT
   );
   CREATE TABLE IF NOT EXISTS alert_rule_overrides (
     rule TEXT PRIMARY KEY,
     thresholds TEXT NOT NULL,         -- JSON { signalId: { blue?, yellow?, orange?, red? } }
     updated_by TEXT NOT NULL,
     updated_at TEXT NOT NULL
   );
   CREATE TABLE IF NOT EXISTS alert_settings (
     key TEXT PRIMARY KEY,
     value TEXT NOT NULL,              -- JSON
     updated_by TEXT,
     updated_at TEXT NOT NULL
   );
   CREATE TABLE IF NOT EXISTS alert_channels (
     id INTEGER PRIMARY KEY,
     name TEXT NOT NULL,
     kind TEXT NOT NULL CHECK (kind IN ('webhook', 'email')),
     region TEXT NOT NULL,             -- receives the groups of this region
     mode TEXT NOT NULL DEFAULT 'own' CHECK (mode IN ('own', 'all')),
     target TEXT NOT NULL,             -- URL, or comma-separated e-mail addresses
     secret TEXT,                      -- webhook HMAC key
     enabled INTEGER NOT NULL DEFAULT 1,
     created_by TEXT,
     created_at TEXT NOT NULL
   );
   CREATE TABLE IF NOT EXISTS alert_notifications (
     id INTEGER PRIMARY KEY,
     run_id TEXT NOT NULL,
     channel_id INTEGER NOT NULL REFERENCES alert_channels (id),
     group_region TEXT NOT NULL,
     payload TEXT NOT NULL,            -- JSON
     status TEXT NOT NULL,             -- pending | sending | sent | failed
     attempts INTEGER NOT NULL DEFAULT 0,
     claimed_at TEXT,
     created_at TEXT NOT NULL,
     sent_at TEXT,
     last_error TEXT,
     UNIQUE (run_id, channel_id, group_region)
   );
   CREATE TABLE IF NOT EXISTS alert_deliveries (
     id INTEGER PRIMARY KEY,
     notification_id INTEGER NOT NULL REFERENCES alert_notifications (id),
     attempt INTEGER NOT NULL,
     at TEXT NOT NULL,
     ok INTEGER NOT NULL,
     status_code INTEGER,
     error TEXT,
     ms INTEGER NOT NULL
   );`,
);
