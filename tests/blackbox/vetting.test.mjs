// Vetting end to end over HTTP on the demo: the clearance report (page, CSV, API), a
// case from opening to decision changing the person's clearance, bad input refused with
// nothing changed, need to know (404 for everyone outside the case), notes read with a
// reason and never stored in clear, exports approved by a second officer, and an HR
// referral where each side sees its own part.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, statSync, readFileSync, existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { addUser, runPathway, startPathway, Browserless, root } from '../lib/pathway.mjs'

let dir, db, server, users
const password = 'a long test password'

function signIns (text) {
  return Object.fromEntries([...text.matchAll(/^\s+(.+?)\s{2,}(\S+@demo\.pathway\.test)\s+(demo-[0-9a-f-]+)/gm)].map(m => [m[1], { email: m[2], password: m[3] }]))
}

async function as (role) {
  const b = new Browserless(server.base)
  const who = users[role]
  assert.ok(who, role)
  assert.equal((await b.signIn(who.email, who.password)).status, 303)
  return b
}

function post (b, url, body) {
  return b.fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', origin: server.base }, body: JSON.stringify(body) })
}

async function problem (res, status, field) {
  assert.equal(res.status, status)
  const body = await res.json()
  if (field) assert.deepEqual(body.errors.map(e => e.field), [field], JSON.stringify(body))
  return body
}

before(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'pathway-vetting-'))
  db = path.join(dir, 'demo.db')
  const created = runPathway(['demo', '--db', db, '--root', root, '--seed', '7', '--people', '300'])
  assert.equal(created.status, 0, created.stderr)
  users = signIns(created.stdout)
  // A second vetting officer and an HR partner in HMRC, where the demo's officer works.
  addUser(db, 'second.officer@example.gov.uk', 'Sam Second', password, ['vetting_officer:HMRC'])
  addUser(db, 'hmrc.hr@example.gov.uk', 'Hana HR', password, ['hr_partner:HMRC'])
  users['Second officer'] = { email: 'second.officer@example.gov.uk', password }
  users['HMRC HR partner'] = { email: 'hmrc.hr@example.gov.uk', password }
  const key = path.join(dir, 'vetting.key')
  const made = runPathway(['vetting', 'keygen', '--out', key])
  assert.equal(made.status, 0, made.stderr)
  assert.equal(statSync(key).mode & 0o777, 0o600, 'the key is its owner\'s alone')
  assert.equal(runPathway(['vetting', 'keygen', '--out', key]).status, 1, 'a key is never overwritten')
  server = await startPathway(['--vetting-key', key], { db })
})

after(async () => {
  await server?.stop()
  rmSync(dir, { recursive: true, force: true })
})

test('the clearance report: page, CSV and API agree; only the department\'s vetting officers see it', async () => {
  const erin = await as('Vetting officer')
  const res = await erin.fetch('/api/v1/clearances/HMRC?within=180')
  assert.equal(res.status, 200)
  const report = await res.json()
  assert.equal(report.department, 'HMRC')
  assert.equal(report.within_days, 180)
  assert.ok(report.people.length > 0, 'the demo has clearances needing attention')
  for (const p of report.people) {
    assert.ok(p.below_post || p.not_active || p.review_overdue || p.review_due_within, JSON.stringify(p))
  }
  const below = report.people.filter(p => p.below_post).length
  assert.equal(report.totals.below_post, below)
  assert.equal(report.totals.not_active, report.people.filter(p => p.not_active).length)
  const mismatched = report.counts.reduce((n, c) => n + c.mismatched, 0)
  assert.equal(mismatched, report.people.filter(p => p.below_post || p.not_active).length)

  const csv = await erin.fetch('/api/v1/clearances/HMRC?within=180', { headers: { accept: 'text/csv' } })
  assert.equal(csv.status, 200)
  const lines = (await csv.text()).trim().split('\r\n')
  assert.match(lines[0], /^person_id,name,unit,/)
  assert.equal(lines.length, report.people.length + 1)

  const page = await erin.fetch('/vetting/clearances/HMRC?within=180')
  assert.equal(page.status, 200)
  const html = await page.text()
  assert.match(html, /<caption class="govuk-table__caption govuk-table__caption--m">People whose clearance needs attention/)
  assert.match(html, /<caption[^>]*>People holding a post, by unit and clearance held/)
  const download = await erin.fetch('/vetting/clearances/HMRC/download?within=180')
  assert.equal(download.status, 200)
  assert.match(download.headers.get('content-type'), /^text\/csv/)
  assert.equal((await download.text()).trim().split('\r\n').length, lines.length)

  await problem(await erin.fetch('/api/v1/clearances/HMRC?within=45'), 422, 'within')
  assert.equal((await erin.fetch('/api/v1/clearances/DWP')).status, 404, 'another department')
  const dev = await as('HR partner')
  assert.equal((await dev.fetch('/api/v1/clearances/HMRC')).status, 404)
  assert.equal((await dev.fetch('/vetting/clearances/DWP')).status, 404, 'HR partners do not see the report')
})

test('a case from opening to decision; the clearance changes only with the decision; bad input changes nothing', async () => {
  const erin = await as('Vetting officer')
  const report = await (await erin.fetch('/api/v1/clearances/HMRC?within=180')).json()
  const person = report.people.find(p => p.person !== 5).person
  const clearance = async () => (await (await erin.fetch(`/api/v1/people/${person}`)).json()).clearance_detail

  await problem(await post(erin, '/api/v1/vetting/cases', { person, kind: 'sometimes' }), 422, 'kind')
  await problem(await post(erin, '/api/v1/vetting/cases', { person, kind: 'renewal', level_sought: 'TOP SECRET' }), 422, 'level_sought')
  await problem(await post(erin, '/api/v1/vetting/cases', { person, kind: 'renewal', opened_on: '2999-01-01' }), 422, 'opened_on')
  let res = await post(erin, '/api/v1/vetting/cases', { person, kind: 'renewal', level_sought: 'sc', opened_on: '2026-01-05' })
  assert.equal(res.status, 201)
  const opened = await res.json()
  assert.equal(opened.status, 'open')
  assert.equal(opened.level_sought, 'SC')
  const url = `/api/v1/vetting/cases/${opened.id}`
  await problem(await post(erin, '/api/v1/vetting/cases', { person, kind: 'new' }), 409, 'person')

  res = await post(erin, `${url}/stages`, { stage: 'checks', started_on: '2026-02-01' })
  assert.equal(res.status, 201)
  await problem(await post(erin, `${url}/stages`, { stage: 'interview', started_on: '2026-01-20' }), 422, 'started_on')
  await problem(await post(erin, `${url}/stages`, { stage: 'lunch' }), 422, 'stage')

  res = await post(erin, `${url}/notes`, { text: 'Financial checks requested\nfrom the bank' })
  assert.equal(res.status, 201)
  await problem(await post(erin, `${url}/notes`, { text: 'x'.repeat(10001) }), 422, 'text')
  assert.equal((await (await erin.fetch(url)).json()).note_count, 1, 'the long note was not kept')

  const before = await clearance()
  const decision = { outcome: 'granted', granted_level: 'SC', decided_on: '2026-03-01', review_due: '2031-03-01', reason: 'All checks clear' }
  await problem(await post(erin, `${url}/decision`, { ...decision, reason: '' }), 422, 'reason')
  await problem(await post(erin, `${url}/decision`, { ...decision, granted_level: 'ULTRA' }), 422, 'granted_level')
  await problem(await post(erin, `${url}/decision`, { ...decision, review_due: '2026-02-01' }), 422, 'review_due')
  await problem(await post(erin, `${url}/decision`, { ...decision, decided_on: '2026-01-01' }), 422, 'decided_on')
  const unchanged = await (await erin.fetch(url)).json()
  assert.equal(unchanged.status, 'open')
  assert.equal(unchanged.note_count, 1)
  assert.deepEqual(await clearance(), before, 'refused decisions leave the clearance as it was')

  res = await post(erin, `${url}/decision`, decision)
  assert.equal(res.status, 200)
  const decided = await res.json()
  assert.equal(decided.status, 'decided')
  assert.deepEqual(decided.decision, { outcome: 'granted', granted_level: 'SC', decided_on: '2026-03-01', review_due: '2031-03-01' })
  assert.deepEqual(await clearance(), { level: 'SC', status: 'active', granted: '2026-03-01', review_due: '2031-03-01' })
  await problem(await post(erin, `${url}/decision`, decision), 409)
})

test('need to know: notes with a stated reason, 404 for everyone outside, never stored in clear, exports need a second officer', async () => {
  const erin = await as('Vetting officer')
  const report = await (await erin.fetch('/api/v1/clearances/HMRC?within=180')).json()
  const person = report.people.filter(p => p.person !== 5).at(-1).person
  let res = await post(erin, '/api/v1/vetting/cases', { person, kind: 'aftercare' })
  assert.equal(res.status, 201)
  const id = (await res.json()).id
  const url = `/api/v1/vetting/cases/${id}`
  const marker = 'Zanzibar-7f3c-undeclared-association'
  assert.equal((await post(erin, `${url}/notes`, { text: `Interview: ${marker}` })).status, 201)

  await problem(await post(erin, `${url}/notes/read`, {}), 422, 'reason')
  res = await post(erin, `${url}/notes/read`, { reason: 'Preparing the aftercare interview' })
  assert.equal(res.status, 200)
  assert.equal(res.headers.get('cache-control'), 'no-store')
  const notes = (await res.json()).notes
  assert.equal(notes.length, 1)
  assert.equal(notes[0].text, `Interview: ${marker}`)

  for (const role of ['HR partner', 'HMRC HR partner', 'Administrator', 'Line manager', 'Individual']) {
    const outsider = await as(role)
    assert.equal((await outsider.fetch(url)).status, 404, `${role}: the case`)
    assert.equal((await post(outsider, `${url}/notes/read`, { reason: 'curious' })).status, 404, `${role}: the notes`)
    assert.equal((await post(outsider, `${url}/notes`, { text: 'x' })).status, 404, `${role}: adding a note`)
    assert.equal((await outsider.fetch(`/vetting/cases/${id}`)).status, 404, `${role}: the page`)
  }

  // Exports: asked for by one officer, approved by another, downloaded by the first.
  res = await post(erin, `${url}/exports`, {})
  assert.equal(res.status, 201)
  const exportId = (await res.json()).export
  assert.equal((await erin.fetch(`${url}/exports/${exportId}`)).status, 409, 'not before approval')
  await problem(await post(erin, `${url}/exports/${exportId}/approval`, {}), 422, 'approver')
  const sam = await as('Second officer')
  assert.equal((await sam.fetch(`${url}/exports/${exportId}`)).status, 404, 'only the officer who asked downloads')
  assert.equal((await post(sam, `${url}/exports/${exportId}/approval`, {})).status, 200)
  res = await erin.fetch(`${url}/exports/${exportId}`)
  assert.equal(res.status, 200)
  assert.match(await res.text(), new RegExp(marker))

  // The database files hold no trace of the note.
  for (const suffix of ['', '-wal']) {
    if (!existsSync(db + suffix)) continue
    assert.equal(readFileSync(db + suffix).includes(marker), false, `demo.db${suffix}`)
  }
  // Nor do the general exports and search.
  const people = await (await erin.fetch('/api/v1/people?limit=500', { headers: { accept: 'text/csv' } })).text()
  assert.equal(people.includes(marker), false)
})

test('HR refers a concern: it opens a case, and each side sees its own part and the status', async () => {
  const hana = await as('HMRC HR partner')
  const erin = await as('Vetting officer')
  await problem(await post(hana, '/api/v1/vetting/cases', { person: 9, kind: 'concern', note: '' }), 422, 'note')
  await problem(await post(hana, '/api/v1/vetting/cases', { person: 9, kind: 'renewal', note: 'x' }), 422, 'kind')
  let res = await post(hana, '/api/v1/vetting/cases', { person: 9, kind: 'concern', note: 'Repeated unexplained absences' })
  assert.equal(res.status, 201)
  const referred = await res.json()
  assert.equal(referred.kind, 'concern')
  assert.equal(referred.your_part, 'referral')
  assert.equal(referred.note_count, undefined, 'HR does not see the vetting side')
  const url = `/api/v1/vetting/cases/${referred.id}`

  const seen = await (await erin.fetch(url)).json()
  assert.equal(seen.referral, true)
  assert.equal(seen.your_part, 'vetting')
  assert.equal((await post(erin, `${url}/notes`, { text: 'Vetting: financial checks requested' })).status, 201)
  assert.equal((await post(hana, `${url}/notes`, { text: 'HR: absences continue' })).status, 201)

  const hrNotes = (await (await post(hana, `${url}/notes/read`, { reason: 'Following my referral' })).json()).notes
  assert.deepEqual(hrNotes.map(n => n.part), ['referral', 'referral'])
  const allNotes = (await (await post(erin, `${url}/notes/read`, { reason: 'Assessing the referral' })).json()).notes
  assert.equal(allNotes.length, 3)

  // HR cannot decide; the decision's status reaches HR, its reason does not.
  assert.equal((await post(hana, `${url}/decision`, { outcome: 'withdrawn', reason: 'x' })).status, 404)
  assert.equal((await post(erin, `${url}/decision`, { outcome: 'withdrawn', reason: 'Resolved by the line manager' })).status, 200)
  const status = await (await hana.fetch(url)).json()
  assert.equal(status.status, 'decided')
  assert.equal(status.decision.outcome, 'withdrawn')
  const after = (await (await post(hana, `${url}/notes/read`, { reason: 'Closing my referral' })).json()).notes
  assert.equal(after.length, 2)
  assert.ok(!after.some(n => /Resolved/.test(n.text)))
  // Another department's HR partner finds nothing.
  const dev = await as('HR partner')
  assert.equal((await dev.fetch(url)).status, 404)
  assert.equal((await post(dev, '/api/v1/vetting/cases', { person: 9, kind: 'concern', note: 'x' })).status, 404)
})

test('the pages: forms keep what was typed and name the field in the error summary', async () => {
  const erin = await as('Vetting officer')
  const home = await erin.fetch('/vetting')
  assert.equal(home.status, 200)
  const homeHtml = await home.text()
  assert.match(homeHtml, /href="\/vetting\/clearances\/HMRC"/)
  const csrf = /name="csrf-token" value="([^"]+)"/.exec(homeHtml)[1]
  let res = await erin.form('/vetting/cases', { 'csrf-token': csrf, person: '10', kind: 'new', 'level-sought': 'XX' })
  assert.equal(res.status, 422)
  let html = await res.text()
  assert.match(html, /<title>Error: /)
  assert.match(html, /href="#level-sought"/)
  assert.match(html, /value="XX"/)
  res = await erin.form('/vetting/cases', { 'csrf-token': csrf, person: '10', kind: 'new', 'level-sought': 'CTC' })
  assert.equal(res.status, 303)
  const at = res.headers.get('location')
  assert.match(at, /^\/vetting\/cases\/\d+$/)
  res = await erin.form(`${at}/decision`, { 'csrf-token': csrf, outcome: 'granted', 'granted-level': 'CTC', 'review-due': '2030-01-01', reason: '' })
  assert.equal(res.status, 422)
  html = await res.text()
  assert.match(html, /href="#reason"/)
  assert.match(html, /Enter the reason for the decision/)
  res = await erin.form(`${at}/notes`, { 'csrf-token': csrf, text: 'y'.repeat(10001) })
  assert.equal(res.status, 422)
  assert.match(await res.text(), /href="#text"/)
  res = await erin.form(`${at}/notes`, { 'csrf-token': csrf, text: 'A page note\nover two lines' })
  assert.equal(res.status, 303)
  res = await erin.form(`${at}/notes/read`, { 'csrf-token': csrf, 'read-reason': '' })
  assert.equal(res.status, 422)
  assert.match(await res.text(), /href="#read-reason"/)
  res = await erin.form(`${at}/notes/read`, { 'csrf-token': csrf, 'read-reason': 'Checking the page' })
  assert.equal(res.status, 200)
  assert.match(await res.text(), /A page note\nover two lines/)
  // Without a CSRF token nothing happens.
  assert.equal((await erin.form(`${at}/notes`, { text: 'no token' })).status, 403)
})

test('on a person\'s record HR partners see the clearance level and status, line managers only whether the post\'s need is met', async () => {
  const chloe = await as('Line manager')
  const asManager = (await (await chloe.fetch('/api/v1/people/3')).json())
  assert.equal(asManager.clearance_detail, null)
  assert.equal(typeof asManager.clearance_meets_post, 'boolean')
  const page = await (await chloe.fetch('/people/3')).text()
  assert.match(page, /Meets the post&#39;s requirement|Meets the post's requirement/)
  assert.doesNotMatch(page, /Review due/)
  const dev = await as('HR partner')
  const asHr = (await (await dev.fetch('/api/v1/people/3')).json())
  assert.ok(asHr.clearance_detail.level)
  assert.ok(asHr.clearance_detail.status)
  assert.equal(asHr.clearance_detail.granted, null)
  assert.equal(asHr.clearance_detail.review_due, null)
  // Lists show levels only where they may be seen, and a clearance filter narrows to them.
  const list = await (await chloe.fetch('/api/v1/people?limit=500')).json()
  const others = list.rows ?? list.people ?? list.items
  assert.ok(Array.isArray(others), JSON.stringify(Object.keys(list)))
  assert.ok(others.some(p => p.id === 3))
  for (const p of others) if (p.id !== 2) assert.equal(p.clearance, null, `person ${p.id}`)
  const filtered = await (await chloe.fetch('/api/v1/people?clearance=SC&limit=500')).json()
  for (const p of (filtered.rows ?? filtered.people ?? filtered.items)) assert.equal(p.id, 2)
  const hrList = await (await dev.fetch('/api/v1/people?limit=5')).json()
  assert.ok((hrList.rows ?? hrList.people ?? hrList.items).some(p => p.clearance !== null))
  const ben = await as('Individual')
  const own = (await (await ben.fetch('/api/v1/people/3')).json())
  assert.ok(own.clearance_detail.granted, 'a person sees all of their own clearance')
})

test('a holder of a post needing SC or DV finds their frameworks with the security behaviours first', async () => {
  const ids = { Individual: 3, 'Line manager': 2, 'HR partner': 7, 'Vetting officer': 12, 'Head of profession': 8 }
  let vetted = 0
  for (const [role, id] of Object.entries(ids)) {
    const b = await as(role)
    const me = await (await b.fetch(`/api/v1/people/${id}`)).json()
    const needs = me.post?.clearance
    const home = await (await b.fetch('/')).text()
    const decoded = home.replaceAll('&#x2F;', '/').replaceAll('&#x3D;', '=').replaceAll('&amp;', '&')
    const links = [...decoded.matchAll(/href="(\/frameworks\/[^"]+)"/g)].map(m => m[1])
    assert.ok(links.length > 0, role)
    for (const link of links) {
      if (needs === 'SC' || needs === 'DV') {
        assert.match(link, new RegExp(`[?&]clearance=${needs}`), `${role}: ${link}`)
      } else {
        assert.doesNotMatch(link, /clearance=/, `${role}: ${link}`)
      }
    }
    if (needs === 'SC' || needs === 'DV') {
      assert.match(home, /shows the security behaviours first/)
      vetted++
    }
  }
  assert.ok(vetted > 0 && vetted < Object.keys(ids).length, 'the demo (seed 7) has both kinds of post')
})

test('without the vetting key, notes and decisions are unavailable and the rest works', async () => {
  const keyless = await startPathway([], { db })
  try {
    const erin = new Browserless(keyless.base)
    assert.equal((await erin.signIn(users['Vetting officer'].email, users['Vetting officer'].password)).status, 303)
    const send = (url, body) => erin.fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', origin: keyless.base }, body: JSON.stringify(body) })
    assert.equal((await erin.fetch('/api/v1/clearances/HMRC')).status, 200)
    const res = await send('/api/v1/vetting/cases', { person: 11, kind: 'new' })
    assert.equal(res.status, 201)
    const url = `/api/v1/vetting/cases/${(await res.json()).id}`
    assert.equal((await send(`${url}/notes`, { text: 'cannot be sealed' })).status, 503)
    assert.equal((await send(`${url}/notes/read`, { reason: 'checking' })).status, 503)
    assert.equal((await send(`${url}/decision`, { outcome: 'withdrawn', reason: 'r' })).status, 503)
    const still = await (await erin.fetch(url)).json()
    assert.equal(still.status, 'open')
    assert.equal(still.note_count, 0)
  } finally {
    await keyless.stop()
  }
})
