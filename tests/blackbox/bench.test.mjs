// `pathway bench`: the engine's answers to the benchmark's questions equal SQLite's on a
// small demo workforce, and bad input is refused. Timings are printed, never checked.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { runPathway, root } from '../lib/pathway.mjs'

function lines (stdout) {
  const out = {}
  for (const line of stdout.trim().split('\n')) {
    const fields = Object.fromEntries(line.split(' ').map(p => p.split('=')))
    if (fields.scenario) out[fields.scenario] = fields
  }
  return out
}

test('pathway bench answers match, closest and capability map as SQLite does, one line per scenario', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'pathway-bench-'))
  try {
    const db = path.join(dir, 'demo.db')
    assert.equal(runPathway(['demo', '--db', db, '--root', root, '--people', '300', '--seed', '5']).status, 0)
    const res = runPathway(['bench', '--db', db, '--runs', '3', 'match,closest,capmap,routes'])
    assert.equal(res.status, 0, res.stderr)
    const out = lines(res.stdout)
    assert.deepEqual(Object.keys(out).sort(), ['capmap', 'closest', 'closest_roles', 'match', 'reachable_vacancies', 'routes'])
    assert.equal(out.match.same_answer, '1')
    assert.equal(out.closest.same_answer, '1')
    assert.equal(out.capmap.same_meeting, '1')
    assert.equal(out.capmap.cells, out.capmap.sql_cells)
    for (const name of ['match', 'capmap']) {
      assert.ok(Number(out[name].median_ms) > 0, name)
      assert.ok(Number(out[name].baseline_median_ms) > 0, name)
    }
    const quick = lines(runPathway(['bench', '--db', db, '--no-baseline', '--runs', '2', 'match']).stdout)
    assert.equal(quick.match.baseline_median_ms, 'NA')
    const unknown = runPathway(['bench', '--db', db, 'nonsense'])
    assert.equal(unknown.status, 1)
    const missing = runPathway(['bench', '--db', path.join(dir, 'none.db')])
    assert.equal(missing.status, 1)
    assert.match(missing.stderr, /There is no database/)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})
