// Assessments in use, end to end on the demo: a self-assessment with evidence, the line
// manager's confirmation, current levels with why, the gap, a development plan, the
// learning catalogue, and every refusal leaving nothing behind.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { runPathway, startPathway, Browserless, root } from '../lib/pathway.mjs'

let dir, server, users
const json = (base, body) => ({ method: 'POST', headers: { 'content-type': 'application/json', origin: base }, body: JSON.stringify(body) })

function signIns (text) {
  return Object.fromEntries([...text.matchAll(/^\s+(.+?)\s{2,}(\S+@demo\.pathway\.test)\s+(demo-[0-9a-f-]+)/gm)].map(m => [m[1], { email: m[2], password: m[3] }]))
}

async function as (role) {
  const b = new Browserless(server.base)
  assert.equal((await b.signIn(users[role].email, users[role].password)).status, 303)
  return b
}

async function ledgerSize (b, person) {
  const levels = await (await b.fetch(`/api/v1/people/${person}/levels`)).json()
  return levels.levels.reduce((n, l) => n + l.why.length, 0)
}

before(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'pathway-assess-'))
  const db = path.join(dir, 'demo.db')
  const created = runPathway(['demo', '--db', db, '--root', root, '--seed', '7', '--people', '300'])
  assert.equal(created.status, 0, created.stderr)
  users = signIns(created.stdout)
  server = await startPathway([], { db })
})

after(async () => {
  await server?.stop()
  rmSync(dir, { recursive: true, force: true })
})

test('a self-assessment is drafted, submitted, confirmed by the line manager, and shows why each level', async () => {
  const ben = await as('Individual')
  const csrf = await ben.csrf('/people/3/assessments')
  let res = await ben.form('/people/3/self-assessments', { 'csrf-token': csrf })
  assert.equal(res.status, 303)
  const at = res.headers.get('location')
  assert.match(at, /^\/self-assessments\/\d+$/)
  const page = await (await ben.fetch(at)).text()
  const items = [...page.matchAll(/name="item-(\d+)" value="([^"]+)"/g)].map(m => m[2])
  assert.ok(items.length > 0, 'the role level\'s requirements are offered by default')

  // A draft keeps what was typed, and nobody else sees it.
  const draft = { 'csrf-token': csrf, submit: 'no' }
  items.forEach((id, i) => { draft[`item-${i}`] = id; draft[`situation-${i}`] = `Situation ${i}\nsecond line` })
  draft['level-0'] = '2'
  res = await ben.form(at, draft)
  assert.equal(res.status, 303)
  assert.match(await (await ben.fetch(at)).text(), /Situation 0\nsecond line/)
  const chloe = await as('Line manager')
  assert.equal((await chloe.fetch(at)).status, 404, 'a draft is its writer\'s alone')

  // Submitting with an item unrated is refused, naming it; nothing reaches the ledger.
  const before = await ledgerSize(ben, 3)
  res = await ben.form(at, { ...draft, submit: 'yes' })
  assert.equal(res.status, 422)
  assert.match(await res.text(), /Choose a level for/)
  assert.equal(await ledgerSize(ben, 3), before)

  // Evidence over 2,000 characters is refused, naming the part.
  res = await ben.form(at, { ...draft, 'level-0': '2', 'result-0': 'x'.repeat(2001) })
  assert.equal(res.status, 422)
  assert.match(await res.text(), /href="#result-0"/)

  const full = { ...draft, submit: 'yes' }
  items.forEach((id, i) => { full[`level-${i}`] = '2' })
  res = await ben.form(at, full)
  assert.equal(res.status, 303)
  assert.equal(await ledgerSize(ben, 3), before + items.length, 'each rating enters the ledger as self')
  res = await ben.form(at, full)
  assert.equal(res.status, 422, 'a submitted self-assessment cannot change')

  // The manager's to-do list holds it; she confirms one level and sets another.
  const todo = await (await chloe.fetch('/assessments/to-confirm')).text()
  assert.match(todo, new RegExp(`href="${at}"`))
  const c2 = await chloe.csrf('/assessments/to-confirm')
  const decision = { 'csrf-token': c2 }
  items.forEach((id, i) => { decision[`item-${i}`] = id; decision[`level-${i}`] = i === 0 ? '3' : '2' })
  decision['comment-0'] = 'Seen in the spending review'
  // Ben cannot confirm his own.
  const own = await ben.fetch(`/api/v1${at}/confirm`, json(server.base, { items: items.map(id => ({ item: id, level: 2 })) }))
  assert.equal(own.status, 403)
  res = await chloe.form(`${at}/confirm`, decision)
  assert.equal(res.status, 303)
  res = await chloe.form(`${at}/confirm`, decision)
  assert.equal(res.status, 422, 'confirming twice is refused')

  const levels = await (await ben.fetch('/api/v1/people/3/levels')).json()
  assert.match(levels.rule, /latest level confirmed/)
  const first = levels.levels.find(l => l.item.id === items[0])
  assert.equal(first.level, 3)
  assert.equal(first.confirmed, true)
  assert.equal(first.source, 'manager')
  const [manager, self] = first.why
  assert.equal(manager.source, 'manager')
  assert.equal(manager.comment, 'Seen in the spending review')
  assert.equal(self.source, 'self')
  assert.equal(manager.cites_seq, self.seq, 'the confirmation cites the self-assessment')
  assert.equal(self.evidence.situation, 'Situation 0\nsecond line')
  const whyPage = await (await ben.fetch('/people/3/assessments')).text()
  assert.match(whyPage, /Why this level/)
  assert.match(whyPage, /Seen in the spending review/)
})

test('other people\'s ratings: the chain and the department see them, heads of profession see levels without evidence, others get not found', async () => {
  const hr = await as('HR partner')
  assert.equal((await hr.fetch('/api/v1/people/3/levels')).status, 200, 'DWP\'s HR partner sees DWP people')
  assert.equal((await hr.fetch('/api/v1/people/9/levels')).status, 404, 'but not HMRC\'s')
  const ben = await as('Individual')
  assert.match(await (await ben.fetch('/people/3')).text(), /Your job/, 'one\'s own record speaks to one')
  assert.match(await (await hr.fetch('/people/3')).text(), /Their job/)
  assert.equal((await ben.fetch('/api/v1/people/4/levels')).status, 404)
  assert.equal((await ben.fetch('/people/4/assessments')).status, 404)
  const hop = await as('Head of profession')
  const people = await (await hop.fetch('/api/v1/people?limit=1')).json()
  const someone = people.items[0].id
  const res = await hop.fetch(`/api/v1/people/${someone}/levels`)
  assert.equal(res.status, 200, 'a head of profession sees their profession\'s levels')
  const levels = await res.json()
  assert.equal(levels.evidence_visible, false)
  assert.ok(levels.levels.length > 0)
  for (const l of levels.levels) for (const w of l.why) assert.equal(w.evidence, undefined)
  assert.equal((await hop.fetch(`/api/v1/people/${someone}/gap`)).status, 200, 'and their gaps')
  assert.equal((await hop.fetch(`/people/${someone}/development`)).status, 404, 'but not their plans')
})

test('direct assessments refuse bad input with the field named, and change nothing', async () => {
  const chloe = await as('Line manager')
  const levels = await (await chloe.fetch('/api/v1/people/3/levels')).json()
  const item = levels.levels[0].item.id
  const before = await ledgerSize(chloe, 3)
  const cases = [
    [{ capacity: 'line_manager', items: [{ item, level: 12 }] }, 'items[0].level'],
    [{ capacity: 'line_manager', items: [{ item: '00000000-0000-0000-0000-000000000000', level: 2 }] }, 'items[0].item'],
    [{ capacity: 'line_manager', items: [{ item, level: 2, evidence: { action: 'y'.repeat(2001) } }] }, 'items[0].action'],
    [{ capacity: 'line_manager', items: [{ item, level: 2 }, { item, level: 3 }] }, 'items[1].item'],
    [{ capacity: 'boss', items: [{ item, level: 2 }] }, 'capacity']
  ]
  for (const [body, field] of cases) {
    const res = await chloe.fetch('/api/v1/people/3/assessments', json(server.base, body))
    assert.equal(res.status, 422, JSON.stringify(body).slice(0, 80))
    const problem = await res.json()
    assert.equal(problem.errors[0].field, field)
  }
  assert.equal(await ledgerSize(chloe, 3), before)
  // Someone outside her chain: not found.
  const outside = await chloe.fetch('/api/v1/people/9/assessments', json(server.base, { capacity: 'line_manager', items: [{ item, level: 2 }] }))
  assert.equal(outside.status, 404)
  const ok = await chloe.fetch('/api/v1/people/3/assessments', json(server.base, { capacity: 'line_manager', items: [{ item, level: 2, comment: 'Agreed' }] }))
  assert.equal(ok.status, 201)
  assert.equal(await ledgerSize(chloe, 3), before + 1)
})

test('a self-assessment through the API is one unit of work: a bad rating leaves no draft', async () => {
  const ben = await as('Individual')
  const levels = await (await ben.fetch('/api/v1/people/3/levels')).json()
  const item = levels.levels[0].item.id
  const listed = async () => ((await (await ben.fetch('/people/3/assessments')).text()).match(/href="\/self-assessments\/\d+"/g) ?? []).length
  const drafts = await listed()
  const bad = await ben.fetch('/api/v1/people/3/assessments', json(server.base, { capacity: 'self', items: [{ item, level: 9 }] }))
  assert.equal(bad.status, 422)
  assert.equal(await listed(), drafts)
  const good = await ben.fetch('/api/v1/people/3/assessments', json(server.base, { capacity: 'self', submit: true, items: [{ item, level: 2, evidence: { situation: 'S', task: 'T', action: 'A', result: 'R' } }] }))
  assert.equal(good.status, 201)
  const body = await good.json()
  assert.equal(body.recorded, 1)
  assert.equal(body.self_assessment.status, 'submitted')
  assert.equal(body.self_assessment.items[0].evidence.result, 'R')
})

test('the gap to a role level as a table, an SVG chart with the same numbers, CSV and JSON', async () => {
  const ben = await as('Individual')
  const gap = await (await ben.fetch('/api/v1/people/3/gap')).json()
  assert.ok(gap.requirements.length > 0)
  const total = gap.requirements.reduce((n, r) => n + r.gap, 0)
  assert.equal(gap.total_gap, total)
  for (const r of gap.requirements) assert.equal(r.gap, Math.max(0, r.need - r.have))
  const page = await (await ben.fetch('/people/3/gap')).text()
  assert.match(page, /<svg[^>]+role="img"/)
  assert.equal((page.match(/<rect x="260"[^>]+stroke="#0b0c0c"/g) ?? []).length, gap.requirements.length, 'one need bar per requirement')
  const csv = await (await ben.fetch('/people/3/gap?format=csv')).text()
  const lines = csv.trim().split(/\r?\n/)
  assert.equal(lines[0], 'item_id,item,need,have,gap,confirmed')
  assert.equal(lines.length, gap.requirements.length + 1)
  const other = await ben.fetch('/api/v1/people/3/gap?role_level=NO-SUCH-LEVEL')
  assert.equal(other.status, 422)
  assert.equal((await other.json()).errors[0].field, 'role_level')
})

test('a development plan from the gap in one step, actions, comments, and the manager\'s view with overdue actions', async () => {
  const ben = await as('Individual')
  const gap = await (await ben.fetch('/api/v1/people/3/gap')).json()
  const short = gap.requirements.filter(r => r.gap > 0).length
  let res = await ben.fetch('/api/v1/people/3/development-plan', json(server.base, { actions_from_gap: true, due_on: '2001-01-01' }))
  assert.equal(res.status, 422, 'a due date in the past')
  assert.equal((await res.json()).errors[0].field, 'due_on')
  res = await ben.fetch('/api/v1/people/3/development-plan', json(server.base, { actions_from_gap: true, due_on: '2099-01-01' }))
  assert.equal(res.status, 201)
  const plan = await res.json()
  assert.equal(plan.actions_added, short)
  res = await ben.fetch('/api/v1/people/3/development-plan', json(server.base, { actions_from_gap: true, due_on: '2099-01-01' }))
  assert.equal((await res.json()).actions_added, 0, 'the same gap adds nothing twice')
  const item = gap.requirements[0].item
  res = await ben.fetch('/api/v1/people/3/development-plan/actions', json(server.base, { item, target_level: 2, title: 'Shadow a senior colleague', due_on: '2020-02-02' }))
  assert.equal(res.status, 201)
  res = await ben.fetch('/api/v1/people/3/development-plan/actions', json(server.base, { item, target_level: 2, title: 'Bad date', due_on: '2020-02-31' }))
  assert.equal(res.status, 422)
  const chloe = await as('Line manager')
  const team = await (await chloe.fetch('/assessments/to-confirm')).text()
  assert.match(team, /Ben Okafor<\/a><\/td><td class="govuk-table__cell">[^<]*<\/td><td class="govuk-table__cell govuk-table__cell--numeric">\d+<\/td><td class="govuk-table__cell govuk-table__cell--numeric"><strong class="govuk-tag govuk-tag--red">1<\/strong>/)
  const csrf = await chloe.csrf('/people/3/development')
  res = await chloe.form('/people/3/development', { 'csrf-token': csrf, form: 'comment', body: 'Book the course before March' })
  assert.equal(res.status, 303)
  const shown = await (await ben.fetch('/api/v1/people/3/development-plan')).json()
  assert.equal(shown.comments.at(-1).body, 'Book the course before March')
})

test('the learning catalogue imports from CSV all or nothing, and everyone can read it', async () => {
  const admin = await as('Administrator')
  const ben = await as('Individual')
  const levels = await (await ben.fetch('/api/v1/people/3/levels')).json()
  const item = levels.levels[0].item.id
  const post = (b, text) => b.fetch('/api/v1/learning-resources', { method: 'POST', headers: { 'content-type': 'text/csv', origin: server.base }, body: text })
  const header = 'title,url,provider,item_id,level_min,level_max\n'
  let res = await post(admin, header + `Good course,https://learning.example.gov.uk/a,Civil Service College,${item},1,3\nBroken,javascript:alert(1),X,${item},1,2\n`)
  assert.equal(res.status, 422)
  assert.equal((await res.json()).errors[0].field, 'line 3, column url')
  assert.equal((await (await ben.fetch('/api/v1/learning-resources')).json()).resources.length, 0, 'nothing imported')
  res = await post(ben, header + `Good course,https://learning.example.gov.uk/a,Civil Service College,${item},1,3\n`)
  assert.equal(res.status, 403, 'only administrators manage the catalogue')
  res = await post(admin, header + `Good course,https://learning.example.gov.uk/a,Civil Service College,${item},1,3\n=HYPERLINK(1),https://learning.example.gov.uk/b,,${item},2,2\n`)
  assert.equal(res.status, 201)
  const list = (await (await ben.fetch(`/api/v1/learning-resources?item=${item}&level=2`)).json()).resources
  assert.equal(list.length, 2)
  assert.ok(list.some(r => r.title === '=HYPERLINK(1)'), 'stored as text, never a formula when exported')
})

test('a confirmation is visible to the next match', async () => {
  const chloe = await as('Line manager')
  const hr = await as('HR partner')
  const levels = await (await chloe.fetch('/api/v1/people/3/levels')).json()
  const item = levels.levels.find(l => l.item.scale.length >= 3)?.item ?? levels.levels[0].item
  const hasNow = async () => {
    const res = await hr.fetch('/api/v1/match', json(server.base, { requirements: [{ item: item.id, level: 9 }], k: 1000 }))
    assert.equal(res.status, 200)
    const entry = (await res.json()).items.find(e => e.person.id === 3)
    return entry?.fit[0].has ?? 0
  }
  const before = await hasNow()
  const next = item.scale.map(p => p.value).find(v => v !== before)
  const res = await chloe.fetch('/api/v1/people/3/assessments', json(server.base, { capacity: 'line_manager', items: [{ item: item.id, level: next }] }))
  assert.equal(res.status, 201)
  assert.equal(await hasNow(), next)
})

test('what changed for you: the latest framework versions against the ones before, for the person, the team and HR', async () => {
  const ben = await as('Individual')
  let res = await ben.fetch('/api/v1/people/3/framework-changes')
  assert.equal(res.status, 200)
  const changes = await res.json()
  assert.equal(changes.person, 3)
  // The demo's competency framework gained security behaviours in version 2.
  const cscf = changes.frameworks.find(f => f.to_version === 2)
  assert.ok(cscf, JSON.stringify(changes).slice(0, 500))
  assert.equal(cscf.from_version, 1)
  for (const i of cscf.indicators_at_level) assert.match(i.change, /^(Added|Reworded|Removed)$/)
  const page = await (await ben.fetch('/people/3/changes')).text()
  assert.match(page, /<h1[^>]*>What changed for you<\/h1>/)
  const chloe = await as('Line manager')
  assert.equal((await chloe.fetch('/api/v1/people/3/framework-changes')).status, 200)
  const team = await (await chloe.fetch('/assessments/changes')).text()
  assert.match(team, /Ben Okafor/)
  const erin = await as('Vetting officer')
  assert.equal((await erin.fetch('/api/v1/people/3/framework-changes')).status, 404)
  const hr = await as('HR partner')
  res = await hr.fetch('/assessments/changes')
  assert.equal(res.status, 200)
  assert.match(await res.text(), /Levels carried over/)
  const own = await (await ben.fetch('/assessments/changes')).text()
  assert.doesNotMatch(own, /Levels carried over/)
})
