// The server answers other requests while engine questions run: on a demo workforce,
// several matches and capability maps are sent at once, and while they are in flight
// /healthz, a page and the people list answer 200. Every answer is checked for what it
// says (status and body), never for how long it took. Then a change written by another
// process (assessments appended and logged, as `pathway import` does) is in the answer
// to the next question.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { runPathway, startPathway, Browserless, root } from '../lib/pathway.mjs'

let dir
let server
let admin

function sql (db, text) {
  const res = spawnSync('sqlite3', ['-batch', db], { input: `PRAGMA foreign_keys = ON;\n${text}`, encoding: 'utf8' })
  assert.equal(res.status, 0, res.stderr)
  return res.stdout.trim()
}

function signIns (text) {
  return Object.fromEntries([...text.matchAll(/^\s+(.+?)\s{2,}(\S+@demo\.pathway\.test)\s+(demo-[0-9a-f-]+)/gm)].map(m => [m[1], { email: m[2], password: m[3] }]))
}

before(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'pathway-engine-concurrency-'))
  const db = path.join(dir, 'demo.db')
  const created = runPathway(['demo', '--db', db, '--root', root, '--people', '4000', '--seed', '3'])
  assert.equal(created.status, 0, created.stderr)
  const administrator = signIns(created.stdout).Administrator
  assert.ok(administrator, 'the demo prints an administrator sign-in')
  server = await startPathway([], { db })
  admin = new Browserless(server.base)
  assert.equal((await admin.signIn(administrator.email, administrator.password)).status, 303)
})

after(async () => {
  await server?.stop()
  if (dir) rmSync(dir, { recursive: true, force: true })
})

const post = (path, body) => admin.fetch(path, {
  method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body)
})

test('health, pages and lists answer while matches and capability maps are in flight', async t => {
  const levels = sql(server.db, 'SELECT code FROM role_level ORDER BY id LIMIT 4;').split('\n')
  assert.equal(levels.length, 4)
  const heavy = []
  let outstanding = 0
  const ask = (kind, level, path, body) => {
    outstanding++
    heavy.push(post(path, body).then(async res => {
      const answer = { kind, level, status: res.status, body: await res.json() }
      outstanding--
      return answer
    }))
  }
  for (const level of levels) {
    ask('match', level, '/api/v1/match', { role_level: level, k: 1000 })
    ask('closest', level, '/api/v1/match', { role_level: level, k: 500, mode: 'closest_to_ready' })
    ask('map', level, '/api/v1/capability-map', { rows: 'profession', columns: 'region', role_level: level })
  }
  // Sent while the questions above are outstanding; answered whatever they are doing.
  const light = await Promise.all([
    admin.fetch('/healthz').then(async res => ({ status: res.status, body: await res.text() })),
    admin.fetch('/frameworks').then(async res => ({ status: res.status, body: await res.text() })),
    admin.fetch('/people').then(async res => ({ status: res.status, body: await res.text() })),
    admin.fetch('/healthz').then(async res => ({ status: res.status, body: await res.text() }))
  ])
  // For the reader only: how many questions were still unanswered (not asserted, as
  // it depends on the machine's speed).
  t.diagnostic(`${outstanding} of ${heavy.length} engine questions were unanswered when the other requests had answered`)
  assert.deepEqual(light.map(r => r.status), [200, 200, 200, 200])
  for (const health of [light[0], light[3]]) {
    const body = JSON.parse(health.body)
    assert.equal(body.status, 'ok')
    assert.ok(body.schema_version >= 8, 'migrated to the change log')
  }
  assert.match(light[1].body, /<h1[^>]*>/)
  assert.match(light[2].body, /<table/)

  const people = Number(sql(server.db, 'SELECT COUNT(*) FROM person;'))
  for (const answer of await Promise.all(heavy)) {
    assert.equal(answer.status, 200, `${answer.kind} ${answer.level}: ${JSON.stringify(answer.body)}`)
    if (answer.kind === 'map') {
      assert.ok(answer.body.cells.length > 0, `${answer.level} map has cells`)
      const headcount = answer.body.cells.reduce((n, c) => n + c.headcount, 0)
      assert.ok(headcount > 0 && headcount <= people, `${answer.level} headcount ${headcount}`)
    } else {
      assert.equal(answer.body.mode, answer.kind === 'match' ? 'match' : 'closest_to_ready')
      assert.equal(answer.body.items.length, Math.min(answer.kind === 'match' ? 1000 : 500, answer.body.candidates))
      assert.deepEqual(answer.body.items.map(i => i.rank), answer.body.items.map((_, i) => i + 1))
    }
  }
})

test('a change written and logged by another process is in the next answer', async () => {
  // The first person's first assessed item, raised to 9 by a panel: they now rank first
  // for it at level 9 (ties go to the lowest person id, and theirs is the lowest).
  const [person, itemRef, itemId] = sql(server.db, `
    SELECT a.person_id, a.item_ref_id, r.item_id FROM assessment a JOIN item_ref r ON r.id = a.item_ref_id
    ORDER BY a.person_id, a.item_ref_id LIMIT 1;`).split('|')
  const query = { requirements: [{ item: itemId, level: 9 }], k: 1 }
  const before = await (await post('/api/v1/match', query)).json()
  assert.equal(before.items.length, 1)
  assert.ok(!(before.items[0].person.id === Number(person) && before.items[0].fit[0].has === 9), 'not at 9 yet')
  sql(server.db, `
    BEGIN IMMEDIATE;
    INSERT INTO assessment (person_id, item_ref_id, seq, level, assessor, assessed_on, framework_version)
      SELECT ${person}, ${itemRef}, MAX(seq) + 1, 9, 'panel', '2025-06-01', 1 FROM assessment
      WHERE person_id = ${person} AND item_ref_id = ${itemRef};
    UPDATE workforce_change SET generation = generation + 1 WHERE id = 1;
    INSERT INTO workforce_change_log (generation, person_id) SELECT generation, ${person} FROM workforce_change;
    COMMIT;`)
  const after = await post('/api/v1/match', query)
  assert.equal(after.status, 200)
  const ranked = await after.json()
  assert.equal(ranked.items[0].person.id, Number(person))
  assert.equal(ranked.items[0].fit[0].has, 9)
  assert.equal(ranked.items[0].fit[0].met, true)
})
