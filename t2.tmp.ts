import { loadRulesText } from './src/rules/loader/load-rules.js';
import { printCondition } from './src/rules/condition/printer.js';
const rs = loadRulesText([{name:'a.yaml', text:`
- list: shells
  items: [bash, sh]
- list: empty
  items: []
- list: more
  items: [shells, "my prog", zsh]
- macro: spawned
  condition: evt.type = execve
- macro: unused_m
  condition: proc.name = x
- rule: r1
  desc: d
  condition: spawned and proc.name in (more, empty) and not proc.pname in (empty)
  output: "%proc.name"
  priority: WARNING
  exceptions:
    - name: e1
      fields: [proc.name, proc.pname]
      comps: [=, in]
      values:
        - [bash, [sshd, "a b"]]
    - name: e2
      fields: proc.cmdline
      comps: startswith
      values: []
- rule: r1
  condition: and user.name = root
  override:
    condition: append
`}]);
for (const r of rs.rules) console.log(r.def.name, '|', r.condition, '|', printCondition(r.ast));
console.log(rs.warnings.map(w=>w.code+' '+w.message));
