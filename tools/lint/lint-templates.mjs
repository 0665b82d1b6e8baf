// Validates element templates against Camunda's own JSON schema for Zeebe element templates.
// Usage: node lint-templates.mjs FILE.json...   Exit code 1 on any error.
import { readFileSync } from 'node:fs';
import { validateAllZeebe, getZeebeSchemaVersion } from '@bpmn-io/element-templates-validator';

let errors = 0;
for (const file of process.argv.slice(2)) {
  const templates = JSON.parse(readFileSync(file, 'utf8'));
  const { valid, results } = validateAllZeebe(Array.isArray(templates) ? templates : [templates]);
  for (const r of results) {
    for (const e of r.errors || []) {
      console.log(`${file}: error in ${r.object && r.object.id}: ${e.message}`);
      errors++;
    }
  }
  console.log(`${file}: ${valid ? 'ok' : 'errors'} (${results.length} templates, zeebe element templates schema ${getZeebeSchemaVersion()})`);
}
process.exit(errors > 0 ? 1 : 0);
