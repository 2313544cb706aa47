import { loadRulesFiles } from './src/rules/loader/load-rules.js';
import { printCondition } from './src/rules/condition/printer.js';
const R = '/work/shared/rules/';
const rs = loadRulesFiles([R + 'falco_rules.yaml', R + 'falco-incubating_rules.yaml', R + 'falco-sandbox_rules.yaml']);
for (const n of ['Mount Launched in Privileged Container','Reverse Shell from Web Server']) { const c = printCondition(rs.rules.find(r=>r.def.name===n)!.ast); console.log(c.slice(0, 700)); }
