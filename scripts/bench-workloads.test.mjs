// The engine benchmark's wasm workloads run and report every row (a quick run: one batch,
// one machine), with the figures the kernel's layout implies where a row says them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { loadEngine, Playground } from '../www/src/engine.js';
import { runWorkloads, MODES, OPS, MACHINES, BATCHES, DIVERGENCE, REPEATS, SYNC_BATCH } from './bench-workloads.mjs';

await loadEngine(readFileSync(new URL('../www/pkg/vmsync_bg.wasm', import.meta.url)));

test('every workload reports a best and a median, in the rows cargo bench names', () => {
  const rows = runWorkloads(Playground, { quick: true });
  const names = rows.map((r) => r.name);
  assert.equal(new Set(names).size, names.length, 'row names are unique');
  for (const r of rows) {
    assert.ok(Number.isFinite(r.best) && r.best >= 0, `${r.name}: best ${r.best}`);
    assert.ok(r.median >= r.best, `${r.name}: median ${r.median} < best ${r.best}`);
    assert.ok(['ms', 'ns/entry'].includes(r.unit), `${r.name}: unit ${r.unit}`);
  }
  // PAE, 1G split, 512 MiB: the vmalloc area spans 1,268 PMD slots, each copied into
  // every process (Joerg's "sync all 1272" case, docs/kernel-facts.md §4); eager ioremap of
  // 256 MiB fills 128 PMD entries in each of 1,000 processes.
  const byName = new Map(rows.map((r) => [r.name, r]));
  assert.equal(byName.get('sync mappings, PAE 1G, 1000 procs (1268000 copied)')?.entries, 1_268_000);
  assert.equal(byName.get('sync mappings, PAE 1G, 10 procs (12680 copied)')?.entries, 12_680);
  assert.equal(byName.get('eager ioremap 256M, PAE 1G, 1000 procs')?.entries, 128_000);
  for (const [mode, strategy] of MODES) {
    for (const [op] of [...OPS, ['divergence of all']]) {
      assert.ok(byName.has(`${mode} ${strategy}, 1000 procs: ${op}`), `${mode} ${strategy}: ${op}`);
    }
  }
});

test('the procedure is the one crate/benches/engine.rs follows natively', () => {
  // Both sides take the best of the same number of machines, batches and repeats, or
  // their ratio compares two procedures.
  const native = readFileSync(new URL('../crate/benches/engine.rs', import.meta.url), 'utf8');
  const constant = (name) => Number(native.match(new RegExp(`^const ${name}: usize = (\\d+);`, 'm'))?.[1]);
  assert.deepEqual(
    [constant('MACHINES'), constant('BATCHES'), constant('DIVERGENCE'), constant('REPEATS'), constant('SYNC_BATCH_1000'), constant('SYNC_BATCH_10')],
    [MACHINES, BATCHES, DIVERGENCE, REPEATS, SYNC_BATCH[1000], SYNC_BATCH[10]],
  );
});
