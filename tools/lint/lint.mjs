// Lints BPMN files with bpmnlint's recommended rules and Camunda's own compatibility rules for
// the Camunda version the project targets. The bpmnlint CLI does not load the zeebe moddle schema
// (it then reports false errors on valid Camunda 8 files), so the files are parsed here with it.
// Usage: node lint.mjs FILE.bpmn...   Exit code 1 on any error.
import { readFile } from 'node:fs/promises';
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

let errors = 0;
for (const file of process.argv.slice(2)) {
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
      console.log(`${file}: ${level} ${r.id || '-'}: ${r.message} (${rule})`);
      if (level === 'error') errors++;
      count++;
    }
  }
  console.log(`${file}: ${count === 0 ? 'clean' : count + ' report(s)'} (bpmnlint:recommended + camunda-compat/${CAMUNDA})`);
}
process.exit(errors > 0 ? 1 : 0);
