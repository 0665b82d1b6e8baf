// Checks Camunda forms by loading them the way Tasklist does: with form-js (the viewer, in a
// jsdom window). A form passes when it imports without warnings, declares the Camunda 8 execution
// platform, and refuses an empty submission exactly for the fields it marks required.
// Usage: node lint-forms.mjs FILE.form|FOLDER...   Exit code 1 on any error.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { JSDOM } from 'jsdom';

const dom = new JSDOM('<!doctype html><html><body></body></html>', { pretendToBeVisual: true });
for (const name of ['window', 'document', 'navigator', 'Node', 'Element', 'HTMLElement', 'MutationObserver',
  'DOMParser', 'Event', 'CustomEvent', 'KeyboardEvent', 'MouseEvent']) {
  globalThis[name] ??= dom.window[name];
}
globalThis.getComputedStyle ??= dom.window.getComputedStyle.bind(dom.window);
globalThis.requestAnimationFrame ??= dom.window.requestAnimationFrame.bind(dom.window);

// the CommonJS build: the ES build's extension-less imports are meant for a bundler
const require = createRequire(import.meta.url);
const { Form, getSchemaVariables, schemaVersion } = require('@bpmn-io/form-js-viewer');

let errors = 0;
const fail = (file, message) => { console.log(`${file}: error: ${message}`); errors++; };

// a folder stands for every .form file in it: a new form is linted without anyone listing it
const files = process.argv.slice(2).flatMap(arg => statSync(arg).isDirectory()
  ? readdirSync(arg).filter(f => f.endsWith('.form')).sort().map(f => join(arg, f))
  : [arg]);
if (files.length === 0) {
  console.log('no .form file to lint');
  process.exit(1);
}

for (const file of files) {
  const before = errors;
  let schema;
  try {
    schema = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    fail(file, `not JSON: ${e.message}`);
    continue;
  }
  if (schema.type !== 'default') fail(file, `type is ${schema.type}, expected default`);
  if (schema.executionPlatform !== 'Camunda Cloud') fail(file, 'executionPlatform must be "Camunda Cloud"');
  if (!(schema.schemaVersion <= schemaVersion)) fail(file, `schemaVersion ${schema.schemaVersion} is newer than form-js ${schemaVersion}`);

  const container = document.createElement('div');
  document.body.appendChild(container);
  const form = new Form({ container });
  try {
    const { warnings } = await form.importSchema(schema, {});
    for (const w of warnings) fail(file, `import warning: ${w.message || w}`);
    const required = schema.components.filter(c => c.validate && c.validate.required && !('defaultValue' in c));
    const refused = Object.keys(form.submit().errors);
    const expected = required.map(c => c.id);
    if (refused.sort().join() !== expected.sort().join()) {
      fail(file, `an empty submission is refused for [${refused}] but the required fields without default are [${expected}]`);
    }
    console.log(`${file}: ${errors === before ? 'ok' : 'errors'} (form-js ${require('@bpmn-io/form-js-viewer/package.json').version}, `
      + `schemaVersion ${schema.schemaVersion}; variables: ${getSchemaVariables(schema).join(', ')})`);
  } catch (e) {
    fail(file, `form-js cannot load it: ${e.message}`);
  } finally {
    form.destroy();
  }
}
process.exit(errors > 0 ? 1 : 0);
