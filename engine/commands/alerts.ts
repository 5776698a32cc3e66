/**
 * `npm run alerts -- <evaluate|escalate|rules> [options]`:
 *   evaluate  evaluate the alert rules on the published warehouse (catching up every month
 *             not yet evaluated, or exactly --month), apply the state machine, persist in
 *             the state database, send notifications; prints a summary
 *   escalate  escalate unacknowledged firing alerts that are due and send pending notifications
 *   rules     validate the rule file and list the rules
 * Works while the server runs on the same data folder (SQLite WAL; one evaluation at a
 * time through data/alerts.lock).
 */
import { helpText, parseArgs, UsageError, type Options } from './args.ts';
import { resolveDataDir } from '../config.ts';
import { runAlertEvaluation, runEscalations } from '../../alerts/run-evaluation.ts';
import { loadRules, RULES_FILE } from '../../alerts/load-rules.ts';
import { BUILT_IN_RULE_IDS } from '../../alerts/rule-schema.ts';

const OPTIONS = {
  data: { type: 'string', description: 'data folder (env RLM_DATA_DIR)', default: '' },
  month: { type: 'month', description: 'evaluate exactly this month YYYY-MM (evaluate)' },
  warehouse: { type: 'string', description: 'a warehouse build file instead of the one warehouse/CURRENT names (evaluate)' },
  rules: { type: 'string', description: 'rule file (default alerts/rules.yaml)' },
  rule: { type: 'string', description: 'only these rules, comma-separated ids (evaluate)' },
  'no-notify': { type: 'boolean', description: 'queue notifications but do not send them now (evaluate)' },
} satisfies Options;

const USAGE = 'npm run alerts -- <evaluate|escalate|rules> [options]';

export async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, OPTIONS, 1);
  const sub = args.positionals[0];
  if (args.help || !sub) {
    console.log(helpText(USAGE, 'Evaluate the unemployment-risk alert rules, escalate overdue alerts, or check the rule file.', OPTIONS));
    return args.help ? 0 : 2;
  }
  const rulesFile = args.rules || RULES_FILE;
  switch (sub) {
    case 'rules': {
      const set = loadRules(rulesFile);
      for (const r of set.rules) {
        console.log(`${r.id.padEnd(38)}${(r.enabled ? '' : '(disabled) ') + r.name.zh}  [${r.levels.join(', ')}]  pending ${r.pendingFor}, keep ${r.keepFiringFor}`);
      }
      console.log(`${set.rules.length} rules valid in ${set.file}`);
      return 0;
    }
    case 'evaluate': {
      const ids = args.rule ? args.rule.split(',').map((s) => s.trim()) : undefined;
      const known = new Set(loadRules(rulesFile).rules.map((r) => r.id));
      for (const id of ids ?? []) if (!known.has(id)) throw new UsageError(`unknown rule '${id}' (known: ${[...BUILT_IN_RULE_IDS].join(', ')})`);
      const t0 = performance.now();
      const s = await runAlertEvaluation({
        dataDir: resolveDataDir(args.data),
        trigger: 'cli',
        month: args.month || undefined,
        warehouseFile: args.warehouse || undefined,
        rulesFile,
        ruleIds: ids,
        notify: !args['no-notify'],
      });
      if (s.result === 'no_warehouse') {
        console.error(`rlm alerts: no published warehouse in ${resolveDataDir(args.data)} (run npm run refresh first)`);
        return 1;
      }
      const periods = [...new Set(s.evaluations.map((e) => e.period))].sort();
      console.log(`warehouse ${s.warehouseVersion} (data as of ${s.dataAsOf}); periods ${periods[0] ?? '-'}..${periods[periods.length - 1] ?? '-'}`);
      const byRule = new Map<string, { ok: number; na: number; err: number; breaches: number }>();
      for (const e of s.evaluations) {
        const r = byRule.get(e.rule) ?? { ok: 0, na: 0, err: 0, breaches: 0 };
        if (e.status === 'ok') r.ok++;
        else if (e.status === 'error') r.err++;
        else r.na++;
        r.breaches += e.breaches;
        byRule.set(e.rule, r);
      }
      for (const [rule, r] of byRule) console.log(`  ${rule.padEnd(38)}${r.ok} evaluated, ${r.na} not applicable, ${r.err} failed, ${r.breaches} breaches`);
      for (const e of s.evaluations.filter((x) => x.status === 'error')) console.log(`  error ${e.rule} ${e.period}: ${e.message}`);
      console.log(s.message);
      console.log(`notifications sent ${s.notifications.sent}, failed ${s.notifications.failed}; ${((performance.now() - t0) / 1000).toFixed(1)} s (evaluate ${s.ms.evaluate} ms, evidence ${s.ms.evidence} ms, persist ${s.ms.persist} ms)`);
      return s.result === 'failed' ? 1 : 0;
    }
    case 'escalate': {
      const r = await runEscalations({ dataDir: resolveDataDir(args.data) });
      console.log(`${r.escalated} alerts escalated; notifications sent ${r.notifications.sent}, failed ${r.notifications.failed}`);
      return 0;
    }
    default:
      throw new UsageError(`unknown subcommand '${sub}' (evaluate, escalate, rules)`);
  }
}
