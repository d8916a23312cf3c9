// Importing and exporting frameworks with the command line: every format round-trips,
// and a bad file is refused whole with its problems listed, changing nothing.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { spawnSync } from 'node:child_process'
import { runPathway, root } from '../lib/pathway.mjs'

const seed = path.join(root, 'data/frameworks/cscf-level5-sms1.txt')

function withDir (fn) {
  const dir = mkdtempSync(path.join(tmpdir(), 'pathway-import-'))
  try { return fn(dir) } finally { rmSync(dir, { recursive: true, force: true }) }
}

function importFile (db, format, file) {
  return runPathway(['import', 'framework', '--db', db, '--root', root, '--format', format, file])
}

function exportFramework (db, format, id) {
  const res = runPathway(['export', 'framework', '--db', db, '--root', root, '--format', format, id])
  assert.equal(res.status, 0, res.stderr)
  return res.stdout
}

function versions (db) {
  return spawnSync('sqlite3', [db, 'SELECT COUNT(*) FROM framework_version'], { encoding: 'utf8' }).stdout.trim()
}

test('importing the seed document prints the new id and version 1, with every indicator', () => withDir(dir => {
  const db = path.join(dir, 'a.db')
  const res = importFile(db, 'document', seed)
  assert.equal(res.status, 0, res.stderr)
  assert.match(res.stdout, /^[0-9a-f-]{36} 1\n$/)
  const counts = spawnSync('sqlite3', [db, "SELECT kind, COUNT(*) FROM fw_indicator GROUP BY kind ORDER BY kind; SELECT COUNT(*) FROM fw_item; SELECT COUNT(*) FROM fw_cluster"], { encoding: 'utf8' }).stdout
  assert.equal(counts, 'effective|59\nineffective|59\n10\n3\n')
}))

test('CSV and CASE exports import back to an identical framework', () => withDir(dir => {
  const first = path.join(dir, 'first.db')
  const id = importFile(first, 'document', seed).stdout.split(' ')[0]
  const csv = exportFramework(first, 'csv', id)
  const caseJson = exportFramework(first, 'case', id)
  JSON.parse(caseJson)
  for (const [format, text] of [['csv', csv], ['case', caseJson]]) {
    const file = path.join(dir, `export.${format}`)
    writeFileSync(file, text)
    const db = path.join(dir, `${format}.db`)
    const res = importFile(db, format, file)
    assert.equal(res.status, 0, res.stderr)
    assert.equal(res.stdout, `${id} 1\n`, 'same id, first version')
    assert.equal(exportFramework(db, 'csv', id), csv, `${format}: the re-imported framework is identical`)
  }
  // And CASE twice over gives the same package, apart from when it was stamped.
  const again = path.join(dir, 'again.db')
  const file = path.join(dir, 'export.case')
  importFile(again, 'case', file)
  const strip = text => text.replace(/"lastChangeDateTime": "[^"]+"/g, '')
  assert.equal(strip(exportFramework(again, 'case', id)), strip(caseJson))
}))

test('a file of the wrong format is refused with line and column, and nothing is written', () => withDir(dir => {
  const db = path.join(dir, 'b.db')
  importFile(db, 'document', seed)
  const before = versions(db)
  const asCsv = importFile(db, 'csv', seed)
  assert.equal(asCsv.status, 1)
  assert.match(asCsv.stderr, /was not imported; nothing was changed/)
  assert.match(asCsv.stderr, /Line 1, column 1:/)
  const asCase = importFile(db, 'case', seed)
  assert.equal(asCase.status, 1)
  assert.match(asCase.stderr, /Line \d+, column \d+:/)
  const json = path.join(dir, 'x.json')
  writeFileSync(json, '{"CFDocument": {"identifier": "nope"}}')
  const asDocument = importFile(db, 'document', json)
  assert.equal(asDocument.status, 1)
  const badCsv = path.join(dir, 'bad.csv')
  const lines = readFileSync(path.join(root, 'data/frameworks/success-profiles-behaviours.csv'), 'utf8').split('\n')
  const clusterLine = lines.findIndex(line => line.startsWith('cluster,'))
  lines[clusterLine] = lines[clusterLine].replace(/^cluster,[0-9a-f-]{36}/, 'cluster,not-a-uuid')
  writeFileSync(badCsv, lines.join('\n'))
  const bad = importFile(db, 'csv', badCsv)
  assert.equal(bad.status, 1)
  assert.match(bad.stderr, new RegExp(`Line ${clusterLine + 1}, column 2:`))
  const invalidUtf8 = path.join(dir, 'latin1.txt')
  writeFileSync(invalidUtf8, Buffer.concat([readFileSync(seed).subarray(0, 200), Buffer.from([0xff, 0xfe]), readFileSync(seed).subarray(200)]))
  const latin = importFile(db, 'document', invalidUtf8)
  assert.equal(latin.status, 1)
  assert.match(latin.stderr, /UTF-8/)
  assert.equal(versions(db), before, 'nothing was written')
}))
