// Recruitment end to end on the demo: HR builds a vacancy whose Success Profile comes from
// the frameworks; Ben applies, an external candidate is entered; the panel (Chloe) sees
// applications anonymised, scores 1–7 and agrees scores; the merit list orders them with
// documented tie-breaks; the accepted offer places Ben, writes the ledger as "recruitment"
// and starts his induction; unsuccessful candidates' data is purged. Refusals change nothing.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { runPathway, startPathway, Browserless, root } from '../lib/pathway.mjs'

let dir, db, server, users

function signIns (text) {
  return Object.fromEntries([...text.matchAll(/^\s+(.+?)\s{2,}(\S+@demo\.pathway\.test)\s+(demo-[0-9a-f-]+)/gm)].map(m => [m[1], { email: m[2], password: m[3] }]))
}
async function as (role) {
  const b = new Browserless(server.base)
  assert.equal((await b.signIn(users[role].email, users[role].password)).status, 303, role)
  return b
}
function call (b, method, url, body) {
  return b.fetch(url, { method, headers: { 'content-type': 'application/json', origin: server.base }, body: body === undefined ? undefined : JSON.stringify(body) })
}
async function problem (res, status, field) {
  if (res.status !== status) assert.fail(`expected ${status}, got ${res.status}: ${await res.text()}`)
  const body = await res.json()
  if (field) assert.ok(body.errors?.some(e => e.field === field), `names ${field}: ${JSON.stringify(body)}`)
  return body
}

before(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'pathway-recruit-'))
  db = path.join(dir, 'demo.db')
  const created = runPathway(['demo', '--db', db, '--root', root, '--seed', '7', '--people', '300'])
  assert.equal(created.status, 0, created.stderr)
  users = signIns(created.stdout)
  server = await startPathway([], { db })
})
after(async () => {
  await server?.stop()
  rmSync(dir, { recursive: true, force: true })
})

test('a vacancy from the frameworks, applications, panel scores, a merit list, an offer and an induction', async () => {
  const hr = await as('HR partner')
  const ben = await as('Individual')
  const chloe = await as('Line manager')
  const femi = await as('Head of profession')
  const roleLevel = (await (await ben.fetch('/api/v1/people/3/gap')).json()).role_level
  const vacancy = { title: 'Policy adviser', department: 'DWP', grade: 'HEO', role_level: roleLevel, closes_on: '2099-12-31', posts: 1, elements: [{ kind: 'experience', title: 'Leading a small team', stages: ['application', 'interview'], minimum: 4 }] }

  await problem(await call(hr, 'POST', '/api/v1/vacancies', { ...vacancy, closes_on: '2020-01-01' }), 422, 'closes_on')
  await problem(await call(hr, 'POST', '/api/v1/vacancies', { ...vacancy, grade: 'ZZ' }), 422, 'grade')
  await problem(await call(hr, 'POST', '/api/v1/vacancies', { ...vacancy, elements: [{ kind: 'experience', title: 'x', stages: ['lunch'] }] }), 422)
  assert.ok([403, 404].includes((await call(ben, 'POST', '/api/v1/vacancies', vacancy)).status), 'an individual does not create vacancies')
  let res = await call(hr, 'POST', '/api/v1/vacancies', vacancy)
  assert.equal(res.status, 201)
  const v = await res.json()
  const behaviours = v.elements.filter(e => e.kind === 'behaviour')
  assert.equal(behaviours.length, 9, 'the Success Profiles behaviours')
  assert.ok(behaviours.every(e => e.level === 3), 'at the HEO level')
  assert.ok(v.elements.some(e => e.kind === 'technical'), 'the role level\'s technical requirements')
  assert.equal(v.elements.at(-1).kind, 'experience')
  const profile = await (await ben.fetch(`/api/v1/vacancies/${v.id}`)).json()
  assert.equal(profile.elements.length, v.elements.length)
  assert.match(await (await ben.fetch(`/vacancies/${v.id}`)).text(), /Security clearance/)

  // Chloe sits on the panel; Femi does not.
  assert.equal((await call(hr, 'POST', `/api/v1/vacancies/${v.id}/panel`, { email: users['Line manager'].email })).status, 200)
  await problem(await call(hr, 'POST', `/api/v1/vacancies/${v.id}/panel`, { email: 'nobody@example.gov.uk' }), 422, 'email')

  // Applications: Ben's own, an external candidate's; limits and duplicates refused.
  const statements = v.elements.map((e, i) => `Statement ${i}`)
  await problem(await call(ben, 'POST', `/api/v1/vacancies/${v.id}/applications`, { statements: ['x'.repeat(2501)] }), 422, 'statements[0]')
  res = await call(ben, 'POST', `/api/v1/vacancies/${v.id}/applications`, { statements })
  assert.equal(res.status, 201)
  const benApp = (await res.json()).application
  await problem(await call(ben, 'POST', `/api/v1/vacancies/${v.id}/applications`, { statements }), 409)
  res = await call(hr, 'POST', `/api/v1/vacancies/${v.id}/applications`, { name: 'Sam External', email: 'sam@example.com', statements })
  assert.equal(res.status, 201)
  const samApp = (await res.json()).application

  // The panel sees applications anonymised; others see nothing.
  const seen = await (await chloe.fetch(`/api/v1/applications/${benApp}`)).json()
  assert.equal(seen.anonymised, true)
  assert.match(seen.candidate, /^Candidate \d+$/)
  assert.equal((await femi.fetch(`/api/v1/applications/${benApp}`)).status, 404)
  assert.equal((await ben.fetch(`/api/v1/applications/${benApp}`)).status, 200, 'a candidate sees their own')
  assert.equal((await ben.fetch(`/api/v1/applications/${samApp}`)).status, 404, 'and no one else\'s')

  // Scores 1–7, by panel members only.
  await problem(await call(chloe, 'POST', `/api/v1/applications/${benApp}/scores`, { scores: [{ element: 0, score: 8 }] }), 422, 'scores[0].score')
  assert.equal((await call(femi, 'POST', `/api/v1/applications/${benApp}/scores`, { scores: [{ element: 0, score: 5 }] })).status, 404)
  assert.equal((await call(chloe, 'POST', `/api/v1/applications/${benApp}/scores`, { scores: [{ element: 0, score: 5, evidence: 'Clear' }] })).status, 200)
  await problem(await call(chloe, 'POST', `/api/v1/applications/${benApp}/agreed-scores`, { scores: [{ element: 0, score: 5 }] }), 422, 'scores[0].reason')
  const agree = (app, score) => call(chloe, 'POST', `/api/v1/applications/${app}/agreed-scores`, { scores: v.elements.map((e, i) => ({ element: i, score, reason: 'Agreed at the wash-up' })) })
  assert.equal((await agree(benApp, 6)).status, 200)
  assert.equal((await agree(samApp, 5)).status, 200)

  // The merit list: Ben first and appointable, Sam on the reserve list.
  const merit = await (await hr.fetch(`/api/v1/vacancies/${v.id}/merit-list`)).json()
  assert.deepEqual(merit.entries.map(e => e.application), [benApp, samApp])
  assert.deepEqual(merit.entries.map(e => e.place), ['appointable', 'reserve'])
  assert.equal(merit.entries[0].candidate, 'Ben Okafor', 'HR sees names')
  const panelMerit = await (await chloe.fetch(`/api/v1/vacancies/${v.id}/merit-list`)).json()
  assert.match(panelMerit.entries[0].candidate, /^Candidate/)
  assert.equal((await femi.fetch(`/api/v1/vacancies/${v.id}/merit-list`)).status, 404)

  // An offer only to an appointable candidate; Ben's starts his induction.
  await problem(await call(hr, 'POST', `/api/v1/applications/${samApp}/acceptance`, { start_date: '2027-01-04' }), 422, 'application')
  await problem(await call(hr, 'POST', `/api/v1/applications/${benApp}/acceptance`, { start_date: 'soon' }), 422, 'start_date')
  const before = (await (await ben.fetch('/api/v1/people/3/levels')).json()).levels.flatMap(l => l.why).filter(w => w.source === 'recruitment').length
  res = await call(hr, 'POST', `/api/v1/applications/${benApp}/acceptance`, { start_date: '2027-01-04' })
  assert.equal(res.status, 201)
  const { induction } = await res.json()
  const plan = await (await ben.fetch(`/api/v1/inductions/${induction}`)).json()
  const kinds = new Set(plan.items.map(i => i.kind))
  for (const kind of ['security', 'contact', 'objective']) assert.ok(kinds.has(kind), `induction has ${kind}`)
  const after = (await (await ben.fetch('/api/v1/people/3/levels')).json()).levels.flatMap(l => l.why).filter(w => w.source === 'recruitment').length
  assert.ok(after > before, 'the agreed scores entered the ledger as recruitment')
  assert.match(await (await ben.fetch(`/inductions/${induction}`)).text(), /Induction: Ben Okafor/)
  assert.equal((await chloe.fetch(`/api/v1/inductions/${induction}`)).status, 404)

  // The vacancy is filled: no more applications; Sam was unsuccessful and is purged.
  await problem(await call(femi, 'POST', `/api/v1/vacancies/${v.id}/applications`, { statements }), 409)
  const purge = runPathway(['recruitment', 'purge', '--db', db, '--root', root, '--older-than-days', '0'])
  assert.equal(purge.status, 0, purge.stderr)
  assert.match(purge.stdout, /Removed the data of 1 unsuccessful/)
  const left = spawnSync('sqlite3', [db, `SELECT external_name || '|' || (SELECT count(*) FROM application_statement WHERE application_id = ${samApp}) FROM application WHERE id = ${samApp}`], { encoding: 'utf8' })
  assert.equal(left.stdout.trim(), '|0')
})

test('applications after the closing date are refused', async () => {
  const hr = await as('HR partner')
  const ben = await as('Individual')
  const res = await call(hr, 'POST', '/api/v1/vacancies', { title: 'Closing soon', department: 'DWP', grade: 'EO', closes_on: '2099-01-01' })
  assert.equal(res.status, 201)
  const v = await res.json()
  const closed = spawnSync('sqlite3', [db, `UPDATE vacancy SET closes_on = '2020-01-01' WHERE id = ${v.id}`], { encoding: 'utf8' })
  assert.equal(closed.status, 0, closed.stderr)
  const refused = await problem(await call(ben, 'POST', `/api/v1/vacancies/${v.id}/applications`, { statements: [] }), 409, 'vacancy')
  assert.match(JSON.stringify(refused), /closed on 2020-01-01/)
})
