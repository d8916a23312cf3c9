// Importing the workforce from HR CSV exports with the command line: a good set of
// files imports in order, importing again changes nothing, a huge people file with one
// bad row on its last line is refused whole, and Excel-style files (BOM, CRLF, quoted
// commas) import, while a line break inside a value is refused.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { spawnSync } from 'node:child_process'
import { runPathway, root } from '../lib/pathway.mjs'

function withDir (fn) {
  const dir = mkdtempSync(path.join(tmpdir(), 'pathway-workforce-import-'))
  try { return fn(dir) } finally { rmSync(dir, { recursive: true, force: true }) }
}

function importFile (db, kind, file) {
  return runPathway(['import', kind, '--db', db, '--root', root, file])
}

function sql (db, query) {
  return spawnSync('sqlite3', [db, query], { encoding: 'utf8' }).stdout.trim()
}

const org = [
  'type,code,name,department,parent_unit,region',
  'department,DWP,Department for Work and Pensions,,,',
  'unit,DIG,Digital,DWP,,',
  'unit,DIG-A,"Digital, team A",DWP,DIG,',
  'location,LDS,Leeds,,,TLE',
  'location,LDN,London,,,London'
].join('\n') + '\n'

const roles = [
  'profession,profession_name,career_framework,job_family,job_family_name,role,role_name,role_level,role_level_title,position,grade_min,grade_max,requirement_type,requirement,level,weight',
  'ddat,"Digital, Data and Technology",,software,Software development,dev,Developer,dev-1,Junior developer,1,EO,HEO,experience,Has written code,,',
  'ddat,,,software,,dev,,dev-2,Senior developer,2,SEO,G7,qualification,"A degree, or equivalent",,',
  'policy,Policy,,,,,,,,,,,,,,'
].join('\n') + '\n'

function posts (count) {
  const lines = ['external_id,role_level,unit,location,grade,clearance,critical']
  for (let i = 0; i < count; i++) lines.push(`P${i},dev-1,DIG-A,LDS,HEO,SC,no`)
  return lines.join('\n') + '\n'
}

const peopleHeader = 'external_id,name,grade,department,location,profession,other_professions,post,line_manager,clearance_level,clearance_status,clearance_granted,clearance_review_due,start_date'

function person (i, manager = '') {
  return `E${i},Person ${i},HEO,DWP,LDS,ddat,policy,${i < 10 ? 'P' + i : ''},${manager},SC,active,2021-05-01,,2019-09-02`
}

function importSetUp (dir) {
  const db = path.join(dir, 'w.db')
  for (const [kind, text] of [['org', org], ['roles', roles], ['posts', posts(10)]]) {
    const file = path.join(dir, `${kind}.csv`)
    writeFileSync(file, text)
    const res = importFile(db, kind, file)
    assert.equal(res.status, 0, res.stderr)
  }
  return db
}

test('a good set of files imports in order, and importing again inserts nothing', () => withDir(dir => {
  const db = importSetUp(dir)
  const people = path.join(dir, 'people.csv')
  const rows = [peopleHeader]
  for (let i = 0; i < 50; i++) rows.push(person(i, i === 0 ? '' : `E${Math.floor((i - 1) / 5)}`))
  writeFileSync(people, rows.join('\n') + '\n')
  const first = importFile(db, 'people', people)
  assert.equal(first.status, 0, first.stderr)
  assert.match(first.stdout, /people: 50 inserted, 0 updated/)
  assert.equal(sql(db, 'SELECT COUNT(*) FROM person WHERE line_manager_id IS NOT NULL'), '49')
  assert.equal(sql(db, 'SELECT COUNT(*) FROM unit WHERE parent_id IS NOT NULL'), '1')

  for (const [kind, expected] of [['org', /locations: 0 inserted, 2 updated/],
    ['roles', /role levels: 0 inserted, 2 updated/], ['posts', /posts: 0 inserted, 10 updated/],
    ['people', /people: 0 inserted, 0 updated, 50 unchanged/]]) {
    const again = importFile(db, kind, path.join(dir, `${kind}.csv`))
    assert.equal(again.status, 0, again.stderr)
    assert.match(again.stdout, expected)
  }
  assert.equal(sql(db, 'SELECT COUNT(*) FROM person'), '50')
  assert.equal(sql(db, "SELECT COUNT(*) FROM audit_event WHERE action = 'workforce.import' AND outcome = 'success'"), '8')
}))

test('a 500,000-row people file whose last row is bad is refused whole, naming the line', () => withDir(dir => {
  const db = importSetUp(dir)
  const people = path.join(dir, 'big.csv')
  const rows = [peopleHeader]
  for (let i = 0; i < 499999; i++) rows.push(person(i, i === 0 ? '' : 'E0'))
  rows.push('LAST,Last Person,HEO,DWP,LDS,ddat,,,E0,,,,,2023-02-30')
  writeFileSync(people, rows.join('\n') + '\n')
  const res = importFile(db, 'people', people)
  assert.equal(res.status, 1)
  assert.match(res.stderr, /big\.csv:500001:14: The start date must be a real date/)
  assert.match(res.stderr, /nothing was changed \(1 problem\)/)
  assert.equal(sql(db, 'SELECT COUNT(*) FROM person'), '0')
}))

test('a file with a BOM, CRLF line ends and a quoted comma imports; a line break inside a value is refused', () => withDir(dir => {
  const db = importSetUp(dir)
  const people = path.join(dir, 'excel.csv')
  writeFileSync(people, '\ufeff' + [peopleHeader,
    'E1,"Lovelace, Ada",G7,DWP,LDS,ddat,,P1,,SC,active,2021-05-01,2026-05-01,2015-09-01',
    'E2,Bob,EO,DWP,LDN,ddat,,,E1,,,,,2022-01-10'].join('\r\n') + '\r\n')
  const res = importFile(db, 'people', people)
  assert.equal(res.status, 0, res.stderr)
  assert.match(res.stdout, /people: 2 inserted/)
  assert.equal(sql(db, "SELECT display_name FROM person WHERE external_id = 'E1'"), 'Lovelace, Ada')
  const broken = path.join(dir, 'broken.csv')
  writeFileSync(broken, [peopleHeader,
    'E3,"Countess\r\nof Lovelace",G7,DWP,LDS,ddat,,,,,,,,2015-09-01'].join('\r\n') + '\r\n')
  const refused = importFile(db, 'people', broken)
  assert.equal(refused.status, 1)
  assert.match(refused.stderr, /broken\.csv:2:2: The name must be one line/)
  assert.equal(sql(db, "SELECT COUNT(*) FROM person WHERE external_id = 'E3'"), '0')
}))

test('every problem is listed as FILE:LINE:COLUMN and nothing is written', () => withDir(dir => {
  const db = importSetUp(dir)
  const people = path.join(dir, 'bad.csv')
  writeFileSync(people, [peopleHeader,
    'A,A,HEO,DWP,LDS,ddat,,,C,,,,,2019-09-02',
    'B,B,XX,DWP,LDS,ddat,,,A,,,,,2019-09-02',
    'C,C,HEO,DWP,LDS,ddat,,,B,,,,,2019-09-02',
    'A,D,HEO,DWP,LDS,ddat,,,,,,,,2019-09-02'].join('\n') + '\n')
  const res = importFile(db, 'people', people)
  assert.equal(res.status, 1)
  assert.match(res.stderr, /bad\.csv:3:3: ‘XX’ is not a grade/)
  assert.match(res.stderr, /bad\.csv:5:1: The person id ‘A’ is already used on line 2/)
  assert.equal(sql(db, 'SELECT COUNT(*) FROM person'), '0')

  const header = path.join(dir, 'header.csv')
  writeFileSync(header, 'external_id,name,grade,dept\nE1,A,HEO,DWP\n')
  const wrong = importFile(db, 'people', header)
  assert.equal(wrong.status, 1)
  assert.match(wrong.stderr, /header\.csv:1:4: Column 4 of the header must be ‘department’, not ‘dept’/)

  const loop = path.join(dir, 'loop.csv')
  writeFileSync(loop, [peopleHeader,
    'A,A,HEO,DWP,LDS,ddat,,,C,,,,,2019-09-02',
    'B,B,HEO,DWP,LDS,ddat,,,A,,,,,2019-09-02',
    'C,C,HEO,DWP,LDS,ddat,,,B,,,,,2019-09-02'].join('\n') + '\n')
  const cycle = importFile(db, 'people', loop)
  assert.equal(cycle.status, 1)
  assert.match(cycle.stderr, /loop\.csv:2:9: Line managers form a loop: A → C → B → A/)
}))

test('a people list downloaded as CSV imports back unchanged', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'pathway-workforce-roundtrip-'))
  const { startPathway, Browserless } = await import('../lib/pathway.mjs')
  let server
  try {
    const db = path.join(dir, 'demo.db')
    const made = runPathway(['demo', '--db', db, '--root', root, '--seed', '7', '--people', '300'])
    assert.equal(made.status, 0, made.stderr)
    const admin = /^\s+Administrator\s+(\S+)\s+(demo-[0-9a-f-]+)/m.exec(made.stdout)
    server = await startPathway([], { db })
    const browser = new Browserless(server.base)
    assert.equal((await browser.signIn(admin[1], admin[2])).status, 303)
    const res = await browser.fetch('/people?department=DWP&format=csv')
    assert.equal(res.status, 200)
    const csv = await res.text()
    assert.match(csv, /^external_id,name,grade,department,location,profession,other_professions,post,line_manager,clearance_level,clearance_status,clearance_granted,clearance_review_due,start_date\r\n/)
    const rows = csv.trim().split('\r\n').length - 1
    assert.ok(rows > 10)
    assert.ok(/,SC,|,BPSS,|,CTC,|,DV,/.test(csv), 'clearances travel')
    await server.stop()
    server = undefined
    const file = path.join(dir, 'people.csv')
    writeFileSync(file, csv)
    const before = sql(db, 'SELECT group_concat(external_id || display_name || COALESCE(post_id, \'\') || COALESCE(line_manager_id, \'\') || COALESCE(clearance_level, \'\'), \';\') FROM person ORDER BY id')
    const imported = importFile(db, 'people', file)
    assert.equal(imported.status, 0, imported.stderr)
    assert.match(imported.stdout, new RegExp(`people: 0 inserted, 0 updated, ${rows} unchanged`))
    assert.equal(sql(db, 'SELECT group_concat(external_id || display_name || COALESCE(post_id, \'\') || COALESCE(line_manager_id, \'\') || COALESCE(clearance_level, \'\'), \';\') FROM person ORDER BY id'), before)
  } finally {
    await server?.stop()
    rmSync(dir, { recursive: true, force: true })
  }
})
