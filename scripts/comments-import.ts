// npm run comments:import -- <export.json> [--report <file>] [--root <dir>] [--dry-run]
//
// Validates, sanitises and merges an export of reader threads into content/comments/ (see
// src/comments/importer.ts). Every record that is set aside is written to the report with its reason
// (default: <export>.report.json) and printed, and so is every change to an existing thread that the
// merge does not apply (it only adds replies). Exit status: 0 when every record was imported or was
// already there, 1 when some were rejected (the valid ones are still written), 2 on a usage error.
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { importThreads } from '../src/comments/importer.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    report: { type: 'string' },
    root: { type: 'string', default: '.' },
    'dry-run': { type: 'boolean', default: false },
  },
});
const file = positionals[0];
if (!file) {
  console.error(
    'usage: npm run comments:import -- <export.json> [--report <file>] [--root <dir>] [--dry-run]',
  );
  process.exit(2);
}
let input: unknown;
try {
  input = JSON.parse(readFileSync(file, 'utf8'));
} catch (err) {
  console.error(`${file}: cannot read JSON: ${(err as Error).message}`);
  process.exit(2);
}
let report: ReturnType<typeof importThreads>;
try {
  report = importThreads(input, { root: resolve(values.root), source: file, dryRun: values['dry-run'] });
} catch (err) {
  console.error(`${file}: ${(err as Error).message}`);
  process.exit(2);
}
const reportFile = values.report ?? file.replace(/(\.json)?$/, '.report.json');
writeFileSync(reportFile, `${JSON.stringify(report, null, 2)}\n`);

for (const o of report.outcomes) {
  if (o.status === 'rejected') {
    console.error(`rejected record ${o.index}${o.id ? ` (${o.id})` : ''}:\n  ${o.reasons.join('\n  ')}`);
  } else if (o.status === 'duplicate') {
    console.log(`duplicate record ${o.index} (${o.id}): same as record ${o.of}, imported once`);
  } else {
    if (o.status !== 'unchanged') {
      console.log(`${o.status} ${o.file}${o.newReplies ? ` (+${o.newReplies} replies)` : ''}`);
    }
    // Changes to a thread that already exists are not merged (only new replies are): say so.
    if (o.notApplied?.length) {
      console.error(`not applied to ${o.file} (${o.id}):\n  ${o.notApplied.join('\n  ')}`);
    }
  }
}
console.log(
  `${report.records} records: ${report.created} created, ${report.updated} updated, ${report.unchanged} unchanged, ${report.duplicate} duplicate, ${report.rejected} rejected${report.notApplied ? `, ${report.notApplied} with changes not applied` : ''}${values['dry-run'] ? ' (dry run: nothing written)' : ''}. Report: ${reportFile}`,
);
process.exit(report.rejected ? 1 : 0);
