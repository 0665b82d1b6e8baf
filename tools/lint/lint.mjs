// Lints BPMN files with bpmnlint's recommended rules and Camunda's own compatibility rules for
// the Camunda version the project targets. The bpmnlint CLI does not load the zeebe moddle schema
// (it then reports false errors on valid Camunda 8 files), so the files are parsed here with it.
// A warning fails like an error unless its rule is in MAY_WARN, with the reason (none may, today).
// Usage: node lint.mjs FILE.bpmn|FOLDER...   Exit code 1 on any error or warning.
import { readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { BpmnModdle } from 'bpmn-moddle';

const require = createRequire(import.meta.url);
const { Linter } = require('bpmnlint');
const NodeResolver = require('bpmnlint/lib/resolver/node-resolver');
const zeebe = require('zeebe-bpmn-moddle/resources/zeebe.json');
const modeler = require('modeler-moddle/resources/modeler.json');

const CAMUNDA = 'camunda-cloud-8-8';
const linter = new Linter({
  config: { extends: ['bpmnlint:recommended', `plugin:camunda-compat/${CAMUNDA}`] },
  resolver: new NodeResolver({ require })
});

// rule name -> why a warning of it is acceptable in this model
const MAY_WARN = {};

// a folder stands for every .bpmn file in it: a new model is linted without anyone listing it
const files = [];
for (const arg of process.argv.slice(2)) {
  if ((await stat(arg)).isDirectory()) {
    files.push(...(await readdir(arg)).filter(f => f.endsWith('.bpmn')).sort().map(f => join(arg, f)));
  } else {
    files.push(arg);
  }
}
if (files.length === 0) {
  console.log('no .bpmn file to lint');
  process.exit(1);
}

let errors = 0;
for (const file of files) {
  const moddle = new BpmnModdle({ zeebe, modeler });
  const { rootElement, warnings } = await moddle.fromXML(await readFile(file, 'utf8'), 'bpmn:Definitions');
  for (const w of warnings) {
    console.log(`${file}: parse warning: ${w.message}`);
    errors++;
  }
  const reports = await linter.lint(rootElement);
  let count = 0;
  for (const [rule, list] of Object.entries(reports)) {
    for (const r of list) {
      const level = r.category === 'warn' ? 'warning' : 'error';
      const allowed = level === 'warning' && rule in MAY_WARN;
      console.log(`${file}: ${level} ${r.id || '-'}: ${r.message} (${rule})${allowed ? ' - allowed: ' + MAY_WARN[rule] : ''}`);
      if (!allowed) errors++;
      count++;
    }
  }
  console.log(`${file}: ${count === 0 ? 'clean' : count + ' report(s)'} (bpmnlint:recommended + camunda-compat/${CAMUNDA})`);
}
process.exit(errors > 0 ? 1 : 0);
