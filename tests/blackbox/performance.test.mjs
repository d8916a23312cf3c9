// The performance year, end to end on the demo: HR opens a year; Ben and his line manager
// agree objectives and the competencies Pathway proposes; mid-year and end-year reviews
// are signed person → manager → countersigning manager and refused in any other order;
// the end-year ratings enter the ledger as "review"; HR moderates; notices reach start
// pages and go out by SMTP. Every refusal changes nothing.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { runPathway, startPathway, Browserless, root } from '../lib/pathway.mjs'

let dir, db, server, users
const BEN = 3

function signIns (text) {
  return Object.fromEntries([...text.matchAll(/^\s+(.+?)\s{2,}(\S+@demo\.pathway\.test)\s+(demo-[0-9a-f-]+)/gm)].map(m => [m[1], { email: m[2], password: m[3] }]))
}

async function as (role) {
  const b = new Browserless(server.base)
  assert.equal((await b.signIn(users[role].email, users[role].password)).status, 303, role)
  return b
}

function call (b, method, url, body) {
  return b.fetch(url, {
    method,
    headers: { 'content-type': 'application/json', origin: server.base },
    body: body === undefined ? undefined : JSON.stringify(body)
  })
}

async function problem (res, status, field) {
  if (res.status !== status) assert.fail(`expected ${status}, got ${res.status}: ${await res.text()}`)
  const body = await res.json()
  if (field) assert.ok(body.errors?.some(e => e.field === field), `names ${field}: ${JSON.stringify(body)}`)
  return body
}

const YEAR = {
  name: '2026 to 2027',
  departments: ['DWP'],
  starts_on: '2026-04-01',
  objectives_due: '2026-06-30',
  midyear_due: '2026-10-31',
  endyear_due: '2027-03-31'
}

before(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'pathway-performance-'))
  db = path.join(dir, 'demo.db')
  const created = runPathway(['demo', '--db', db, '--root', root, '--seed', '7', '--people', '300'])
  assert.equal(created.status, 0, created.stderr)
  users = signIns(created.stdout)
  assert.ok(users['Countersigning manager'], 'the demo has a countersigning manager')
  server = await startPathway([], { db })
})

after(async () => {
  await server?.stop()
  rmSync(dir, { recursive: true, force: true })
})

test('a year is opened by HR for its department, once, with every date in order', async () => {
  const hr = await as('HR partner')
  const chloe = await as('Line manager')
  await problem(await call(hr, 'POST', '/api/v1/performance-years', { ...YEAR, midyear_due: '2026-05-01' }), 422, 'midyear_due')
  await problem(await call(hr, 'POST', '/api/v1/performance-years', { ...YEAR, departments: ['NOPE'] }), 422, 'departments')
  await problem(await call(hr, 'POST', '/api/v1/performance-years', { ...YEAR, departments: ['HMRC'] }), 403)
  await problem(await call(hr, 'POST', '/api/v1/performance-years', { ...YEAR, scale: ['Good'] }), 422, 'scale')
  assert.ok([403, 404].includes((await call(chloe, 'POST', '/api/v1/performance-years', YEAR)).status))
  // Nothing was opened by the refusals: Ben has no record yet.
  const ben = await as('Individual')
  assert.equal((await ben.fetch(`/api/v1/people/${BEN}/performance-record`)).status, 404)

  const res = await call(hr, 'POST', '/api/v1/performance-years', YEAR)
  assert.equal(res.status, 201)
  const year = await res.json()
  assert.ok(year.people > 10, 'everyone in DWP has a record')
  assert.deepEqual(year.scale, ['Exceeded', 'Achieved', 'Partially met', 'Not met'])
  const again = await problem(await call(hr, 'POST', '/api/v1/performance-years', { ...YEAR, name: 'again' }), 409, 'departments')
  assert.match(again.detail ?? JSON.stringify(again), /already has the performance year/)

  // Everyone in scope has a record and a notice on their start page.
  const record = await (await ben.fetch(`/api/v1/people/${BEN}/performance-record`)).json()
  assert.equal(record.status, 'setting')
  assert.equal(record.year.name, YEAR.name)
  assert.match(await (await ben.fetch('/')).text(), /Performance year 2026 to 2027 has opened/)
})

test('objectives and proposed competencies are agreed by Ben and his manager, then locked', async () => {
  const ben = await as('Individual')
  const chloe = await as('Line manager')
  const boss = await as('Countersigning manager')
  const id = (await (await ben.fetch(`/api/v1/people/${BEN}/performance-record`)).json()).id

  const proposed = (await (await ben.fetch(`/api/v1/performance-records/${id}/proposed-competencies`)).json()).competencies
  assert.ok(proposed.length >= 1 && proposed.length <= 6, `about six: ${proposed.length}`)
  for (const p of proposed) assert.ok(p.reasons.length > 0 && p.reasons.every(r => r.length > 0))
  assert.ok(proposed.some(p => p.reasons.some(r => /requires level \d/.test(r))), 'reasons name the role\'s level')

  const set = {
    objectives: [
      { text: 'Deliver the new claims service', measure: 'Live by March', due_on: '2027-03-01', weight: 60 },
      { text: 'Coach two new starters', measure: 'Both signed off', due_on: '2026-12-31', weight: 40 }
    ],
    competencies: proposed.map(p => ({ item: p.item, reason: p.reasons[0] }))
  }
  // Bad input, each refused naming the field, nothing saved.
  await problem(await call(ben, 'POST', `/api/v1/performance-records/${id}/agreement`,
    { ...set, objectives: [{ ...set.objectives[0], weight: 50 }, set.objectives[1]] }), 422, 'objectives[0].weight')
  await problem(await call(ben, 'POST', `/api/v1/performance-records/${id}/agreement`,
    { ...set, objectives: [{ ...set.objectives[0], text: 'x'.repeat(1001) }, set.objectives[1]] }), 422, 'objectives[0].text')
  await problem(await call(ben, 'POST', `/api/v1/performance-records/${id}/agreement`,
    { ...set, objectives: [{ ...set.objectives[0], due_on: '2027-05-01' }, set.objectives[1]] }), 422, 'objectives[0].due_on')
  await problem(await call(ben, 'POST', `/api/v1/performance-records/${id}/agreement`,
    { ...set, competencies: [{ item: 'no-such-item' }] }), 422, 'competencies[0].item')
  // The countersigning manager is in the chain but does not agree objectives.
  await problem(await call(boss, 'POST', `/api/v1/performance-records/${id}/agreement`, set), 403, 'record')
  // Someone outside the chain finds nothing.
  const hmrc = await as('Head of profession')
  assert.equal((await call(hmrc, 'POST', `/api/v1/performance-records/${id}/agreement`, set)).status, 404)
  let record = await (await ben.fetch(`/api/v1/performance-records/${id}`)).json()
  assert.equal(record.objectives.length, 0, 'nothing was saved by the refusals')

  let res = await call(ben, 'POST', `/api/v1/performance-records/${id}/agreement`, set)
  assert.equal(res.status, 200)
  record = await res.json()
  assert.equal(record.status, 'setting', 'one side alone does not agree')
  assert.ok(record.person_agreed_at)
  // Chloe is told; her agreement of the same set locks it.
  assert.match(await (await chloe.fetch('/')).text(), /Objectives to agree: Ben Okafor/)
  res = await call(chloe, 'POST', `/api/v1/performance-records/${id}/agreement`, set)
  record = await res.json()
  assert.equal(record.status, 'agreed')
  assert.equal(record.objectives.length, 2)
  assert.equal(record.competencies.length, set.competencies.length)
  await problem(await call(ben, 'POST', `/api/v1/performance-records/${id}/agreement`, set), 409, 'status')
})

test('reviews are signed person, manager, countersigning manager in that order; end-year ratings enter the ledger', async () => {
  const ben = await as('Individual')
  const chloe = await as('Line manager')
  const boss = await as('Countersigning manager')
  const hr = await as('HR partner')
  const id = (await (await ben.fetch(`/api/v1/people/${BEN}/performance-record`)).json()).id
  const sign = (b, kind) => call(b, 'POST', `/api/v1/performance-records/${id}/signatures`, { kind })

  // End-year is not open before mid-year is done.
  await problem(await call(ben, 'POST', `/api/v1/performance-records/${id}/reviews`, { kind: 'end', objectives: [{ evidence: 'x' }] }), 409, 'kind')
  // Evidence over the limit is refused.
  await problem(await call(ben, 'POST', `/api/v1/performance-records/${id}/reviews`,
    { kind: 'mid', objectives: [{ evidence: 'x'.repeat(4001) }] }), 422, 'objectives[0].evidence')
  let res = await call(ben, 'POST', `/api/v1/performance-records/${id}/reviews`,
    { kind: 'mid', objectives: [{ evidence: 'Beta live in October\nwith 200 users' }, { evidence: 'One starter signed off' }] })
  assert.equal(res.status, 200)

  // Out of order: the manager and the countersigner before Ben.
  await problem(await sign(chloe, 'mid'), 409, 'signer')
  await problem(await sign(boss, 'mid'), 409, 'signer')
  assert.equal((await (await sign(ben, 'mid')).json()).stage, 'person_signed')
  await problem(await sign(ben, 'mid'), 409, 'signer')
  await problem(await sign(boss, 'mid'), 409, 'signer')
  // The manager must write a summary before signing.
  await problem(await sign(chloe, 'mid'), 422, 'summary')
  res = await call(chloe, 'POST', `/api/v1/performance-records/${id}/reviews`,
    { kind: 'mid', summary: 'On track', objectives: [{ comment: 'Good progress' }] })
  assert.equal(res.status, 200)
  assert.equal((await (await sign(chloe, 'mid')).json()).stage, 'manager_signed')
  assert.equal((await (await sign(boss, 'mid')).json()).stage, 'countersigned')
  // A signed review is locked.
  await problem(await call(ben, 'POST', `/api/v1/performance-records/${id}/reviews`, { kind: 'mid', objectives: [{ evidence: 'late' }] }), 409, 'kind')

  // End-year: ratings on the year's scale, levels on each competency's scale.
  const record = await (await ben.fetch(`/api/v1/performance-records/${id}`)).json()
  res = await call(ben, 'POST', `/api/v1/performance-records/${id}/reviews`,
    { kind: 'end', objectives: [{ evidence: 'Service live' }], competencies: [{ evidence: 'Led the design' }] })
  assert.equal(res.status, 200)
  assert.equal((await (await sign(ben, 'end')).json()).stage, 'person_signed')
  await problem(await call(chloe, 'POST', `/api/v1/performance-records/${id}/reviews`,
    { kind: 'end', summary: 'Strong year', rating: 'Brilliant' }), 422, 'rating')
  await problem(await call(chloe, 'POST', `/api/v1/performance-records/${id}/reviews`,
    { kind: 'end', summary: 'Strong year', rating: 'Achieved', competencies: [{ comment: 'x', level: 9 }] }), 422, 'competencies[0].level')
  const levelsBefore = await (await ben.fetch(`/api/v1/people/${BEN}/levels`)).json()
  const reviewRows = l => l.levels.flatMap(x => x.why).filter(w => w.source === 'review').length
  assert.equal(reviewRows(levelsBefore), 0)
  const competencies = record.competencies.map(() => ({ comment: 'Shown well', level: 2 }))
  res = await call(chloe, 'POST', `/api/v1/performance-records/${id}/reviews`,
    { kind: 'end', summary: 'Strong year', rating: 'Achieved', competencies })
  assert.equal(res.status, 200)
  await problem(await sign(ben, 'end'), 409, 'signer')
  assert.equal((await (await sign(chloe, 'end')).json()).stage, 'manager_signed')
  assert.equal(reviewRows(await (await ben.fetch(`/api/v1/people/${BEN}/levels`)).json()), 0, 'not before the countersignature')
  assert.equal((await (await sign(boss, 'end')).json()).stage, 'countersigned')
  const levelsAfter = await (await ben.fetch(`/api/v1/people/${BEN}/levels`)).json()
  assert.equal(reviewRows(levelsAfter), competencies.length, 'each rated competency enters the ledger as review')

  // Moderation: the distribution, then HR changes the rating with a reason Ben sees.
  const yearId = record.year.id
  const moderation = await (await hr.fetch(`/api/v1/performance-years/${yearId}/moderation`)).json()
  assert.equal(moderation.rated, 1)
  assert.deepEqual(moderation.department_counts.counts.map(c => c.count), [0, 1, 0, 0])
  assert.equal(moderation.department_counts.counts[1].share, 100)
  for (const dimension of ['grade', 'profession', 'unit']) {
    const groups = moderation.groups.filter(g => g.dimension === dimension)
    assert.equal(groups.reduce((n, g) => n + g.rated, 0), 1, `${dimension} groups add up to the department`)
  }
  const csv = await hr.fetch(`/performance/years/${yearId}/moderation?format=csv`)
  assert.equal(csv.status, 200)
  assert.match(await csv.text(), /^dimension,key,label,rated,Exceeded count/)
  const page = await (await hr.fetch(`/performance/years/${yearId}/moderation`)).text()
  assert.match(page, /<svg[^>]+role="img"/)
  assert.equal((await ben.fetch(`/api/v1/performance-years/${yearId}/moderation`)).status, 404)

  await problem(await call(hr, 'POST', `/api/v1/performance-records/${id}/moderation`, { rating: 'Exceeded', reason: '' }), 422, 'reason')
  await problem(await call(chloe, 'POST', `/api/v1/performance-records/${id}/moderation`, { rating: 'Exceeded', reason: 'x' }), 404)
  res = await call(hr, 'POST', `/api/v1/performance-records/${id}/moderation`, { rating: 'Exceeded', reason: 'Calibrated against the unit' })
  assert.equal(res.status, 200)
  const moderated = await res.json()
  assert.equal(moderated.endyear.final_rating, 'Exceeded')
  assert.equal(moderated.endyear.rating, 'Achieved')
  const benPage = await (await ben.fetch(`/performance/records/${id}`)).text()
  assert.match(benPage, /Calibrated against the unit/)

  // Reopening needs a reason and is kept.
  await problem(await call(hr, 'POST', `/api/v1/performance-records/${id}/reopenings`, { what: 'end', reason: '' }), 422, 'reason')
  res = await call(hr, 'POST', `/api/v1/performance-records/${id}/reopenings`, { what: 'end', reason: 'Evidence was missing' })
  assert.equal(res.status, 200)
  const reopened = await (await ben.fetch(`/api/v1/performance-records/${id}`)).json()
  assert.equal(reopened.endyear.stage, 'open')
  assert.equal(reopened.reopenings[0].reason, 'Evidence was missing')
})

test('pages: the hub shows the team, the record page is a form for the person, HR sees completion', async () => {
  const chloe = await as('Line manager')
  const hub = await (await chloe.fetch('/performance')).text()
  assert.match(hub, /Your team this year/)
  assert.match(hub, /Ben Okafor/)
  const hr = await as('HR partner')
  const years = await (await hr.fetch('/performance')).text()
  const yearId = /href="\/performance\/years\/(\d+)"/.exec(years)[1]
  const completion = await (await hr.fetch(`/performance/years/${yearId}`)).text()
  assert.match(completion, /Completion by unit/)

  // Hannah (Chloe's other report) agrees by the page's form; a bad weight names its row.
  const ids = [...hub.matchAll(/href="\/performance\/records\/(\d+)">([^<]+)</g)]
  const hannah = ids.find(m => m[2] === 'Hannah Kaur')
  assert.ok(hannah, 'Hannah is in the team table')
  const at = `/performance/records/${hannah[1]}`
  const form = await (await chloe.fetch(at)).text()
  assert.match(form, /name="objective-text-0"/)
  const csrf = /name="csrf-token" value="([^"]+)"/.exec(form)[1]
  const fields = { 'csrf-token': csrf, 'objective-text-0': 'Run the audit', 'objective-measure-0': 'Report signed', 'objective-due-on-0': '2027-01-31', 'objective-weight-0': 'lots' }
  for (const m of form.matchAll(/name="item-(\d+)" value="([^"]+)"/g)) fields[`item-${m[1]}`] = m[2]
  fields['competency-0'] = 'yes'
  let res = await chloe.form(`${at}/agreement`, fields)
  assert.equal(res.status, 422)
  assert.match(await res.text(), /href="#objective-weight-0"/)
  res = await chloe.form(`${at}/agreement`, { ...fields, 'objective-weight-0': '100' })
  assert.equal(res.status, 303)
  const after = await (await chloe.fetch(at)).text()
  assert.match(after, /Agreed by the line manager/)
})

test('pathway notify send delivers the outbox by SMTP and marks what it sent', async () => {
  const messages = []
  const smtp = createServer(socket => {
    let data = false
    let buffer = ''
    socket.write('220 test ESMTP\r\n')
    socket.on('data', chunk => {
      buffer += chunk.toString('utf8')
      for (;;) {
        if (data) {
          const end = buffer.indexOf('\r\n.\r\n')
          if (end < 0) return
          messages.push(buffer.slice(0, end))
          buffer = buffer.slice(end + 5)
          data = false
          socket.write('250 queued\r\n')
          continue
        }
        const eol = buffer.indexOf('\r\n')
        if (eol < 0) return
        const line = buffer.slice(0, eol)
        buffer = buffer.slice(eol + 2)
        if (/^(EHLO|HELO)/i.test(line)) socket.write('250 test\r\n')
        else if (/^DATA/i.test(line)) { data = true; socket.write('354 go\r\n') } else if (/^QUIT/i.test(line)) { socket.write('221 bye\r\n'); socket.end() } else socket.write('250 ok\r\n')
      }
    })
  })
  await new Promise(resolve => smtp.listen(0, '127.0.0.1', resolve))
  try {
    const port = smtp.address().port
    const bad = runPathway(['notify', 'send', '--db', db, '--root', root, '--smtp', 'http://example', '--from', 'pathway@example.gov.uk'])
    assert.notEqual(bad.status, 0)
    assert.match(bad.stderr, /smtp:\/\//)
    const sent = await new Promise(resolve => {
      const child = runPathwayAsync(['notify', 'send', '--db', db, '--root', root, '--smtp', `smtp://127.0.0.1:${port}`, '--from', 'pathway@example.gov.uk'])
      child.then(resolve)
    })
    assert.equal(sent.code, 0, sent.stderr)
    assert.match(sent.stdout, /[1-9]\d* sent, 0 failed/)
    const toBen = messages.filter(m => /To: .*<ben\.okafor@demo\.pathway\.test>/.test(m))
    assert.ok(toBen.length >= 1, 'Ben gets his notices')
    assert.ok(toBen.some(m => /Subject: Performance year 2026 to 2027 has opened/.test(m)))
    // A second run sends nothing again.
    const count = messages.length
    const again = await runPathwayAsync(['notify', 'send', '--db', db, '--root', root, '--smtp', `smtp://127.0.0.1:${port}`, '--from', 'pathway@example.gov.uk'])
    assert.equal(again.code, 0, again.stderr)
    assert.match(again.stdout, /^0 sent, 0 failed, 0 without/)
    assert.equal(messages.length, count)
  } finally {
    smtp.close()
  }
})

// runPathway blocks the event loop (spawnSync); the SMTP sink above needs it free.
async function runPathwayAsync (args) {
  const { spawn } = await import('node:child_process')
  const { binary } = await import('../lib/pathway.mjs')
  return new Promise(resolve => {
    const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', c => { stdout += c })
    child.stderr.on('data', c => { stderr += c })
    child.on('exit', code => resolve({ code, stdout, stderr }))
  })
}
