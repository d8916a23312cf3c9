// Roles do their own work and messages speak to people (issue 20, items 4, 5 and 8), through
// the real binary on a demo database: framework authors create and import frameworks,
// heads of profession author their profession's career framework, HR partners import
// their department's rows only; a grant's scope must name what exists; messages use
// labels; every empty required field is listed at once; an impossible date is an error;
// a tab in a name becomes a space; bidirectional controls are refused in names and
// titles; `%` and `_` in a search match themselves; hints show real codes; revoking and
// deleting ask first.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { runPathway, startPathway, Browserless, root } from '../lib/pathway.mjs'

let dir, db, server, users, admin

function sql (query) {
  const res = spawnSync('sqlite3', [db, query], { encoding: 'utf8' })
  assert.equal(res.status, 0, res.stderr)
  return res.stdout.trim()
}

async function as (role) {
  const who = users[role]
  const browser = new Browserless(server.base)
  assert.equal((await browser.signIn(who.email, who.password)).status, 303)
  return browser
}

async function upload (client, url, fields, name, bytes) {
  const form = new FormData()
  form.append('csrf-token', await client.csrf(url))
  for (const [key, value] of Object.entries(fields)) form.append(key, value)
  form.append('file', new Blob([bytes]), name)
  return client.fetch(url, { method: 'POST', body: form, headers: { origin: server.base } })
}

const decode = html => html.replaceAll('&#39;', "'").replaceAll('&quot;', '"').replaceAll('&amp;', '&')

before(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'pathway-roles-'))
  db = path.join(dir, 'demo.db')
  const made = runPathway(['demo', '--db', db, '--root', root, '--seed', '7', '--people', '300'])
  assert.equal(made.status, 0, made.stderr)
  users = Object.fromEntries([...made.stdout.matchAll(/^\s+(.+?)\s{2,}(\S+@demo\.pathway\.test)\s+(demo-[0-9a-f-]+)/gm)].map(m => [m[1], { email: m[2], password: m[3] }]))
  server = await startPathway([], { db })
  admin = await as('Administrator')
})
after(async () => {
  await server?.stop()
  rmSync(dir, { recursive: true, force: true })
})

// ---- item 4: roles do their own work

test('a framework author creates a framework, which becomes theirs, and imports into theirs only', async () => {
  const gita = await as('Framework author')
  const list = await (await gita.fetch('/frameworks')).text()
  assert.match(list, /href="\/frameworks\/new"/, 'the list offers Create a framework')
  assert.equal((await gita.fetch('/frameworks/new')).status, 200)
  const csrf = await gita.csrf('/frameworks/new')
  const created = await gita.form('/frameworks/new', { 'csrf-token': csrf, title: 'Data ethics', kind: 'competency', description: '' })
  assert.equal(created.status, 303, await created.text())
  const editor = created.headers.get('location')
  const id = /\/frameworks\/([0-9a-f-]{36})\//.exec(editor)[1]
  assert.equal((await gita.fetch(editor)).status, 200, 'the new framework is theirs to edit')
  assert.equal(sql(`SELECT count(*) FROM role_grant WHERE scope = '${id}' AND role = 'framework_author'`), '1')

  // Their framework (the CSCF) as CSV, uploaded back: a new version.
  const cscf = sql("SELECT scope FROM role_grant g JOIN app_user u ON u.id = g.user_id WHERE u.email = 'gita.rao@demo.pathway.test' AND g.role = 'framework_author' ORDER BY g.id LIMIT 1")
  const latest = sql(`SELECT max(version) FROM framework_version WHERE framework_id = '${cscf}'`)
  const csv = await (await gita.fetch(`/frameworks/${cscf}/versions/${latest}/download?format=csv`)).text()
  assert.equal((await gita.fetch('/frameworks/import')).status, 200)
  const mine = await upload(gita, '/frameworks/import', { format: 'csv' }, 'cscf.csv', csv)
  assert.equal(mine.status, 303, await mine.text())
  assert.equal(sql(`SELECT max(version) FROM framework_version WHERE framework_id = '${cscf}'`), String(Number(latest) + 1))

  // Someone else's framework: refused, saying why, nothing stored.
  const other = sql("SELECT framework_id FROM framework_version v JOIN framework f ON f.id = v.framework_id WHERE f.kind = 'career' AND v.status = 'published' LIMIT 1")
  const before = sql(`SELECT count(*) FROM framework_version WHERE framework_id = '${other}'`)
  const theirs = await (await admin.fetch(`/frameworks/${other}/versions/1/download?format=csv`)).text()
  const refused = await upload(gita, '/frameworks/import', { format: 'csv' }, 'career.csv', theirs)
  assert.equal(refused.status, 422)
  assert.match(await refused.text(), /a framework you may not author/)
  assert.equal(sql(`SELECT count(*) FROM framework_version WHERE framework_id = '${other}'`), before)
})

test("a head of profession authors their profession's career framework, and no other", async () => {
  const femi = await as('Head of profession')
  const career = sql("SELECT career_framework_id FROM profession WHERE code = 'policy'")
  assert.ok(career, 'the demo policy profession has a career framework')
  const csrf = await femi.csrf()
  const drafted = await femi.form(`/frameworks/${career}/drafts`, { 'csrf-token': csrf })
  assert.equal(drafted.status, 303, await drafted.text())
  const draft = sql(`SELECT max(version) FROM framework_version WHERE framework_id = '${career}' AND status = 'draft'`)
  assert.equal((await femi.fetch(`/frameworks/${career}/versions/${draft}/edit`)).status, 200)
  const published = await femi.form(`/frameworks/${career}/versions/${draft}/publish`, { 'csrf-token': csrf, confirm: 'yes' })
  assert.equal(published.status, 303, await published.text())
  assert.equal(sql(`SELECT status FROM framework_version WHERE framework_id = '${career}' AND version = ${draft}`), 'published')
  const other = sql("SELECT career_framework_id FROM profession WHERE code != 'policy' AND career_framework_id IS NOT NULL AND career_framework_id != (SELECT career_framework_id FROM profession WHERE code = 'policy') LIMIT 1")
  assert.equal((await femi.form(`/frameworks/${other}/drafts`, { 'csrf-token': csrf })).status, 404)
  assert.equal((await femi.fetch('/frameworks/new')).status, 404, 'creating frameworks is not theirs')
})

test("an HR partner imports their department's rows and only theirs", async () => {
  const dev = await as('HR partner')
  assert.match(decode(await (await dev.fetch('/account')).text()).replaceAll('&#x2F;', '/'), /href="\/admin\/import"/, 'the menu offers Import')
  assert.equal((await dev.fetch('/admin/import')).status, 200)
  // A people file in the importer's own columns: the lists download as one.
  const own = (await (await dev.fetch('/people?format=csv&department=DWP')).text()).trim().split('\n')
  const header = own[0]
  const plain = /^([A-Z]+-\d+),([^",]+),/
  const ourRow = own.find(line => plain.test(line) && !line.startsWith('DWP-0007,'))
  const theirRow = (await (await admin.fetch('/people?format=csv&department=HMRC')).text()).trim().split('\n').find(line => plain.test(line))
  assert.ok(ourRow && theirRow)
  const ours = plain.exec(ourRow)[1]
  const rename = line => line.replace(plain, '$1,Renamed Person,')
  const row = id => rename(id === ours ? ourRow : theirRow)
  const theirs = plain.exec(theirRow)[1]
  const refused = await upload(dev, '/admin/import', { kind: 'people' }, 'people.csv', `${header}\n${row(ours)}\n${row(theirs)}\n`)
  assert.equal(refused.status, 422)
  const page = decode(await refused.text())
  assert.match(page, /line 3[^<]*another department than yours \(DWP\)/i)
  assert.equal(sql(`SELECT count(*) FROM person WHERE display_name = 'Renamed Person'`), '0', 'all or nothing')
  const done = await upload(dev, '/admin/import', { kind: 'people' }, 'people.csv', `${header}\n${row(ours)}\n`)
  assert.equal(done.status, 200, await done.text())
  assert.equal(sql(`SELECT display_name FROM person WHERE external_id = '${ours}'`), 'Renamed Person')
  const roles = await upload(dev, '/admin/import', { kind: 'roles' }, 'roles.csv', 'profession,profession_name,career_framework,job_family,job_family_name,role,role_name,role_level,role_level_title,position,grade_min,grade_max,requirement_type,requirement,level,weight\npolicy,Policy,,pol-x,Policy family,pol-x-role,Policy role,POL-X-1,Policy officer,1,EO,HEO,,,,\n')
  assert.equal(roles.status, 422)
  assert.match(decode(await roles.text()), /only an administrator imports the roles file|Professions and roles are shared/)
})

test('a scope that names nothing is refused, naming the field and the valid form; nothing is stored', async () => {
  const ben = sql("SELECT id FROM app_user WHERE email = 'ben.okafor@demo.pathway.test'")
  const grants = () => sql(`SELECT count(*) FROM role_grant WHERE user_id = ${ben}`)
  const before = grants()
  const csrf = await admin.csrf(`/admin/users/${ben}`)
  const title = sql('SELECT title FROM framework_version LIMIT 1')
  for (const [role, scope, valid] of [['hr_partner', 'NOPE', /department.*like [A-Z]+/], ['hr_partner', 'dwp', /like [A-Z]+/],
    ['vetting_officer', 'Department for Work and Pensions', /like [A-Z]+/], ['head_of_profession', 'POLICY', /profession.*like [a-z]+/],
    ['framework_author', title, /framework ID.*like [0-9a-f-]{36}/]]) {
    const res = await admin.form(`/admin/users/${ben}/roles`, { 'csrf-token': csrf, role, scope })
    assert.equal(res.status, 422, `${role} ${scope}`)
    const page = decode(await res.text())
    assert.match(page, /href="#scope"/, 'the summary links to the Scope field')
    assert.match(page, /Scope must be/)
    assert.match(page, valid)
  }
  assert.equal(grants(), before)
  const ok = await admin.form(`/admin/users/${ben}/roles`, { 'csrf-token': csrf, role: 'hr_partner', scope: 'DWP' })
  assert.equal(ok.status, 303)
  // The API says the same, naming roles[0].scope, and adds no user.
  const token = sql("SELECT 1") && runPathway(['token', 'create', '--db', db, '--root', root, '--email', users.Administrator.email, '--name', 'test']).stdout.trim().split(/\s+/).pop()
  const api = await fetch(`${server.base}/api/v1/users`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'scoped@example.gov.uk', name: 'Scoped', roles: [{ role: 'hr_partner', scope: 'dwp' }] })
  })
  assert.equal(api.status, 422)
  const problem = await api.json()
  assert.equal(problem.errors?.[0]?.field ?? problem.field, 'roles[0].scope')
  assert.equal(sql("SELECT count(*) FROM app_user WHERE email = 'scoped@example.gov.uk'"), '0')
})

// ---- item 8: messages for people

test('messages use labels, never parameter names, and an impossible date is an error', async () => {
  const dev = await as('HR partner')
  const long = await dev.fetch(`/people?q=${'x'.repeat(201)}`)
  const page = decode(await long.text())
  assert.match(page, /The search text must be 200 characters or fewer/)
  assert.doesNotMatch(page, /\bq must be/)
  const api = await dev.fetch('/api/v1/people?order=up&limit=0')
  const body = JSON.stringify(await api.json())
  assert.doesNotMatch(body, /\b(order|limit) must be/)
  const audit = await admin.fetch('/admin/audit?from=2026-02-30')
  assert.equal(audit.status, 422)
  assert.match(decode(await audit.text()), /From date must be a real date/)
})

test('a form lists every empty required field at once', async () => {
  const csrf = await admin.csrf('/admin/users/new')
  const res = await admin.form('/admin/users', { 'csrf-token': csrf, name: '', email: '', password: '' })
  assert.equal(res.status, 422)
  const page = await res.text()
  for (const field of ['name', 'email', 'password']) assert.match(page, new RegExp(`href="#${field}"`), field)
  const dev = await as('HR partner')
  const year = await dev.form('/performance/years', { 'csrf-token': await dev.csrf('/performance'), name: '', departments: '', 'starts-on': '', 'objectives-due': '', 'midyear-due': '', 'endyear-due': '' })
  assert.equal(year.status, 422)
  const yearPage = await year.text()
  for (const field of ['name', 'departments', 'starts-on', 'objectives-due', 'midyear-due', 'endyear-due']) {
    assert.match(yearPage, new RegExp(`href="#${field}"`), field)
  }
  const visitor = new Browserless(server.base)
  const form = await (await visitor.fetch('/sign-in')).text()
  const token = /name="signin-token" value="([^"]+)"/.exec(form)[1]
  const signIn = await visitor.form('/sign-in', { 'signin-token': token, email: '', password: '' })
  assert.equal(signIn.status, 422)
  const signInPage = await signIn.text()
  assert.match(signInPage, /href="#email"/)
  assert.match(signInPage, /href="#password"/)
})

test('a tab in a name becomes a space; bidirectional controls are refused in names and titles', async () => {
  const csrf = await admin.csrf('/admin/users/new')
  const password = 'a long enough first password 42'
  const tabbed = await admin.form('/admin/users', { 'csrf-token': csrf, name: 'Tab\tPasted', email: 'tab@example.gov.uk', password })
  assert.equal(tabbed.status, 303, await tabbed.text())
  assert.equal(sql("SELECT display_name FROM app_user WHERE email = 'tab@example.gov.uk'"), 'Tab Pasted')
  for (const mark of ['\u202E', '\u2067', '\u200F', '\u061C']) {
    const res = await admin.form('/admin/users', { 'csrf-token': csrf, name: `Evil${mark}Name`, email: 'bidi@example.gov.uk', password })
    assert.ok(res.status === 400 || res.status === 422, `U+${mark.codePointAt(0).toString(16)}: ${res.status}`)
    assert.match(decode(await res.text()), /bidirectional control character/)
  }
  assert.equal(sql("SELECT count(*) FROM app_user WHERE email = 'bidi@example.gov.uk'"), '0')
  const title = await admin.form('/frameworks/new', { 'csrf-token': csrf, title: 'Skills\u202Egnirts', kind: 'competency' })
  assert.ok(title.status === 400 || title.status === 422)
  assert.match(decode(await title.text()), /bidirectional control character/)
})

test('% and _ in a search match themselves', async () => {
  const all = await (await admin.fetch('/api/v1/users?limit=500')).json()
  assert.ok(all.items.length > 2)
  for (const q of ['%', '_']) {
    const found = await (await admin.fetch(`/api/v1/users?limit=500&q=${encodeURIComponent(q)}`)).json()
    assert.deepEqual(found.items.map(u => u.email), all.items.filter(u => u.email.includes(q) || u.name.includes(q)).map(u => u.email), q)
  }
})

test('hints show codes that exist', async () => {
  const ben = sql("SELECT id FROM app_user WHERE email = 'ben.okafor@demo.pathway.test'")
  const page = decode(await (await admin.fetch(`/admin/users/${ben}`)).text())
  const hint = /id="scope-hint"[^>]*>([^<]*)</.exec(page)[1]
  const departments = sql('SELECT code FROM department').split('\n')
  const shown = /a department code, like ([^;]+);/.exec(hint)[1].split(/, | or /)
  assert.ok(shown.length > 0 && shown.every(code => departments.includes(code)), hint)
  const professions = sql('SELECT code FROM profession').split('\n')
  assert.ok(/a profession code, like ([^;]+);/.exec(hint)[1].split(/, | or /).every(code => professions.includes(code)), hint)
  const dev = await as('HR partner')
  const hub = decode(await (await dev.fetch('/performance')).text())
  assert.match(hub, /id="departments-hint"[^>]*>Department codes, separated by commas, for example DWP</)
})

// ---- item 5: removals ask first

test('revoking a role or a token and deleting part of a draft ask for confirmation first', async () => {
  const ben = sql("SELECT id FROM app_user WHERE email = 'ben.okafor@demo.pathway.test'")
  let csrf = await admin.csrf(`/admin/users/${ben}`)
  assert.equal((await admin.form(`/admin/users/${ben}/roles`, { 'csrf-token': csrf, role: 'vetting_officer', scope: 'HMRC' })).status, 303)
  const grant = sql(`SELECT id FROM role_grant WHERE user_id = ${ben} AND role = 'vetting_officer' AND scope = 'HMRC'`)
  const asked = await admin.form(`/admin/users/${ben}/roles/${grant}/revoke`, { 'csrf-token': csrf })
  assert.equal(asked.status, 200)
  const question = decode(await asked.text())
  assert.match(question, /Revoke the Vetting officer role for HMRC from Ben Okafor\?/)
  assert.match(question, /name="confirm" value="yes"/)
  assert.equal(sql(`SELECT revoked_at IS NULL FROM role_grant WHERE id = ${grant}`), '1', 'nothing changed yet')
  const revoked = await admin.form(`/admin/users/${ben}/roles/${grant}/revoke`, { 'csrf-token': csrf, confirm: 'yes' })
  assert.equal(revoked.status, 303)
  assert.equal(sql(`SELECT count(*) FROM role_grant WHERE id = ${grant} AND revoked_at IS NULL`), '0')

  const made = runPathway(['token', 'create', '--db', db, '--root', root, '--email', 'ben.okafor@demo.pathway.test', '--name', 'HR system'])
  assert.equal(made.status, 0, made.stderr)
  const token = sql(`SELECT id FROM api_token WHERE user_id = ${ben} AND name = 'HR system'`)
  const askedToken = await admin.form(`/admin/users/${ben}/tokens/${token}/revoke`, { 'csrf-token': csrf })
  assert.equal(askedToken.status, 200)
  assert.match(decode(await askedToken.text()), /Revoke the API token ‘HR system’ of Ben Okafor\?/)
  assert.equal(sql(`SELECT revoked_at IS NULL FROM api_token WHERE id = ${token}`), '1')
  const benBrowser = await as('Individual')
  const own = await benBrowser.form(`/account/tokens/${token}/revoke`, { 'csrf-token': await benBrowser.csrf() })
  assert.equal(own.status, 200)
  assert.match(decode(await own.text()), /Revoke your API token ‘HR system’\?/)
  assert.equal((await admin.form(`/admin/users/${ben}/tokens/${token}/revoke`, { 'csrf-token': csrf, confirm: 'yes' })).status, 303)
  assert.equal(sql(`SELECT revoked_at IS NOT NULL FROM api_token WHERE id = ${token}`), '1')

  // A draft's cluster.
  csrf = await admin.csrf('/frameworks/new')
  const created = await admin.form('/frameworks/new', { 'csrf-token': csrf, title: 'Deletions', kind: 'competency' })
  const editor = created.headers.get('location').split('?')[0]
  const base = editor.replace(/\/edit$/, '')
  assert.equal((await admin.form(`${base}/clusters`, { 'csrf-token': csrf, title: 'Doomed cluster', description: '' })).status, 303)
  const id = /\/frameworks\/([0-9a-f-]{36})\//.exec(base)[1]
  const draft = await (await admin.fetch(`/api/v1/frameworks/${id}/versions/1`)).json()
  const cluster = draft.clusters[0].id
  const askDelete = await admin.form(`${base}/clusters/${cluster}/delete`, { 'csrf-token': csrf })
  assert.equal(askDelete.status, 200)
  assert.match(decode(await askDelete.text()), /Delete this cluster from the draft\?/)
  assert.equal((await (await admin.fetch(`/api/v1/frameworks/${id}/versions/1`)).json()).clusters.length, 1)
  assert.equal((await admin.form(`${base}/clusters/${cluster}/delete`, { 'csrf-token': csrf, confirm: 'yes' })).status, 303)
  assert.equal((await (await admin.fetch(`/api/v1/frameworks/${id}/versions/1`)).json()).clusters.length, 0)
})

// ---- item 8, the rest: every empty field on the other forms, tabs in titles and files,
// the passport hint; item 4: heads of profession import their career framework

test('the vacancy, vetting and change-password forms list every empty required field at once, keep what was typed and save nothing', async () => {
  const dev = await as('HR partner')
  const vacancies = sql('SELECT count(*) FROM vacancy')
  let csrf = await dev.csrf('/vacancies')
  const vacancy = await dev.form('/vacancies', { 'csrf-token': csrf, title: '', post: '', department: '', grade: '', 'role-level': '', 'closes-on': '', posts: '2' })
  assert.equal(vacancy.status, 422)
  const vacancyPage = await vacancy.text()
  for (const field of ['title', 'department', 'grade', 'closes-on']) assert.match(vacancyPage, new RegExp(`href="#${field}"`), field)
  assert.match(vacancyPage, /id="posts" name="posts" type="text" inputmode="numeric" value="2"/, 'the number typed is kept')
  // With a post to fill, its department and grade are not asked for; the unknown post is named too.
  const withPost = await (await dev.form('/vacancies', { 'csrf-token': csrf, title: '', post: 'NO-SUCH-POST', department: '', grade: '', 'closes-on': '' })).text()
  for (const field of ['title', 'closes-on', 'post']) assert.match(withPost, new RegExp(`href="#${field}"`), field)
  assert.doesNotMatch(withPost, /href="#department"/)
  assert.equal(sql('SELECT count(*) FROM vacancy'), vacancies, 'nothing saved')

  const erin = await as('Vetting officer')
  const cases = sql('SELECT count(*) FROM vetting_case')
  csrf = await erin.csrf('/vetting')
  const open = await erin.form('/vetting/cases', { 'csrf-token': csrf, person: '', 'level-sought': 'SC', 'opened-on': '', note: '' })
  assert.equal(open.status, 422)
  const openPage = await open.text()
  assert.match(openPage, /href="#person"/)
  assert.match(openPage, /href="#kind"/)
  assert.match(openPage, /id="level-sought" name="level-sought" type="text" value="SC"/)
  const referral = await dev.form('/vetting/referrals', { 'csrf-token': await dev.csrf('/vetting'), person: '', note: '' })
  assert.equal(referral.status, 422)
  const referralPage = await referral.text()
  assert.match(referralPage, /href="#refer-person"/)
  assert.match(referralPage, /href="#refer-note"/)
  assert.equal(sql('SELECT count(*) FROM vetting_case'), cases, 'nothing saved')

  // A decision to grant needs its level, review date and reason: all three at once.
  const person = sql("SELECT id FROM person WHERE department = 'HMRC' AND external_id != 'HMRC-0005' AND id NOT IN (SELECT person_id FROM vetting_case) ORDER BY id LIMIT 1")
  const opened = await erin.form('/vetting/cases', { 'csrf-token': csrf, person, kind: 'renewal' })
  assert.equal(opened.status, 303, await opened.text())
  const url = opened.headers.get('location')
  const decision = await erin.form(`${url}/decision`, { 'csrf-token': csrf, outcome: 'granted', 'granted-level': '', 'decided-on': '', 'review-due': '', reason: '' })
  assert.equal(decision.status, 422)
  const decisionPage = await decision.text()
  for (const field of ['granted-level', 'review-due', 'reason']) assert.match(decisionPage, new RegExp(`href="#${field}"`), field)
  assert.match(decisionPage, /value="granted" checked/, 'the decision chosen is kept')
  assert.equal(sql(`SELECT count(*) FROM vetting_case WHERE id = ${url.split('/').pop()} AND outcome IS NULL`), '1', 'not decided')

  const ben = await as('Individual')
  const hash = sql("SELECT password_hash FROM app_user WHERE email = 'ben.okafor@demo.pathway.test'")
  csrf = await ben.csrf('/account/password')
  const password = await ben.form('/account/password', { 'csrf-token': csrf, 'current-password': '', 'new-password': '', 'revoke-tokens': 'yes' })
  assert.equal(password.status, 422)
  const passwordPage = await password.text()
  assert.match(passwordPage, /href="#current-password"/)
  assert.match(passwordPage, /href="#new-password"/)
  assert.match(passwordPage, /id="revoke-tokens" name="revoke-tokens" type="checkbox" value="yes"[^>]* checked/)
  // A wrong current password is said beside the empty new one.
  const wrong = decode(await (await ben.form('/account/password', { 'csrf-token': csrf, 'current-password': 'not my password', 'new-password': '' })).text())
  assert.match(wrong, /Your current password is not correct/)
  assert.match(wrong, /href="#new-password"/)
  assert.equal(sql("SELECT password_hash FROM app_user WHERE email = 'ben.okafor@demo.pathway.test'"), hash, 'nothing saved')
})

test('an application refused for one statement keeps every statement typed and marks the one refused', async () => {
  const dev = await as('HR partner')
  const created = await dev.form('/vacancies', { 'csrf-token': await dev.csrf('/vacancies'), title: 'Statements kept', post: '', department: 'DWP', grade: 'HEO', 'closes-on': '2099-01-31', posts: '1' })
  assert.equal(created.status, 303, await created.text())
  const vacancy = /\/vacancies\/(\d+)/.exec(created.headers.get('location'))[1]
  const ben = await as('Individual')
  const form = await (await ben.fetch(`/vacancies/${vacancy}`)).text()
  assert.match(form, /name="statement-1"/, 'the profile has at least two elements')
  const res = await ben.form(`/vacancies/${vacancy}/applications`, { 'csrf-token': await ben.csrf(`/vacancies/${vacancy}`), 'statement-0': 'x'.repeat(2501), 'statement-1': 'What I did in my last post' })
  assert.equal(res.status, 422)
  const page = await res.text()
  assert.match(page, /href="#statement-0"/)
  assert.match(page, /class="govuk-textarea govuk-textarea--error" id="statement-0"/)
  assert.match(page, /id="statement-1" name="statement-1"[^>]*>What I did in my last post<\/textarea>/)
  assert.equal(sql(`SELECT count(*) FROM application WHERE vacancy_id = ${vacancy}`), '0')
})

test('a tab pasted into a framework title, or into a name or title in an imported file, becomes a space; bidirectional controls stay refused', async () => {
  let csrf = await admin.csrf('/frameworks/new')
  const created = await admin.form('/frameworks/new', { 'csrf-token': csrf, title: 'Tabbed\tFramework', kind: 'competency', description: '' })
  assert.equal(created.status, 303, await created.text())
  const id = /\/frameworks\/([0-9a-f-]{36})\//.exec(created.headers.get('location'))[1]
  assert.equal(sql(`SELECT title FROM framework_version WHERE framework_id = '${id}'`), 'Tabbed Framework')
  // The draft editor's titles too.
  const base = created.headers.get('location').split('?')[0].replace(/\/edit$/, '')
  assert.equal((await admin.form(`${base}/clusters`, { 'csrf-token': csrf, title: 'Tabbed\tCluster', subtitle: '', description: '' })).status, 303)
  assert.equal((await (await admin.fetch(`/api/v1/frameworks/${id}/versions/1`)).json()).clusters[0].title, 'Tabbed Cluster')

  // A framework CSV whose title has a tab: imported with a space.
  const gita = await as('Framework author')
  const cscf = sql("SELECT scope FROM role_grant g JOIN app_user u ON u.id = g.user_id WHERE u.email = 'gita.rao@demo.pathway.test' AND g.role = 'framework_author' ORDER BY g.id LIMIT 1")
  const latest = Number(sql(`SELECT max(version) FROM framework_version WHERE framework_id = '${cscf}'`))
  const title = sql(`SELECT title FROM framework_version WHERE framework_id = '${cscf}' AND version = ${latest}`)
  const csv = await (await gita.fetch(`/frameworks/${cscf}/versions/${latest}/download?format=csv`)).text()
  assert.ok(csv.includes(`,${title},`), 'the title is a plain field')
  const bidi = await upload(gita, '/frameworks/import', { format: 'csv' }, 'cscf.csv', csv.replace(`,${title},`, `,${title}\u202E,`))
  assert.equal(bidi.status, 422)
  assert.match(decode(await bidi.text()), /bidirectional control character/)
  assert.equal(sql(`SELECT max(version) FROM framework_version WHERE framework_id = '${cscf}'`), String(latest), 'nothing stored')
  const tabbed = await upload(gita, '/frameworks/import', { format: 'csv' }, 'cscf.csv', csv.replace(`,${title},`, `,${title}\tRevised,`))
  assert.equal(tabbed.status, 303, await tabbed.text())
  assert.equal(sql(`SELECT title FROM framework_version WHERE framework_id = '${cscf}' AND version = ${latest + 1}`), `${title} Revised`)

  // A people CSV whose name has a tab.
  const dev = await as('HR partner')
  const own = (await (await dev.fetch('/people?format=csv&department=DWP')).text()).trim().split('\n')
  const plain = /^([A-Z]+-\d+),([^",]+),/
  const row = own.find(line => plain.test(line) && !line.startsWith('DWP-0007,') && !line.includes('Renamed Person'))
  const person = plain.exec(row)[1]
  const done = await upload(dev, '/admin/import', { kind: 'people' }, 'people.csv', `${own[0]}\n${row.replace(plain, '$1,Tabbed\tPerson,')}\n`)
  assert.equal(done.status, 200, await done.text())
  assert.equal(sql(`SELECT display_name FROM person WHERE external_id = '${person}'`), 'Tabbed Person')
})

test('the passport import hint shows the HR id of someone the importer may import for, and no example for someone who may import for nobody', async () => {
  const dev = await as('HR partner')
  const page = decode(await (await dev.fetch('/passports/import')).text())
  const hint = /id="hr-id-hint"[^>]*>([^<]*)</.exec(page)[1]
  const example = /, for example (\S+)$/.exec(hint)?.[1]
  assert.ok(example, hint)
  assert.equal(sql(`SELECT department FROM person WHERE external_id = '${example}'`), 'DWP', hint)
  // An administrator may open the page, but the policy lets them import for nobody.
  const adminPage = decode(await (await admin.fetch('/passports/import')).text())
  assert.match(adminPage, /id="hr-id-hint"[^>]*>As on their record</)
})

test("a head of profession imports their profession's career framework from the import page, and no other framework", async () => {
  const femi = await as('Head of profession')
  const list = decode(await (await femi.fetch('/frameworks')).text()).replaceAll('&#x2F;', '/')
  assert.match(list, /href="\/frameworks\/import"/, 'the list offers Import a framework')
  assert.doesNotMatch(list, /href="\/frameworks\/new"/)
  assert.equal((await femi.fetch('/frameworks/import')).status, 200)
  const career = sql("SELECT career_framework_id FROM profession WHERE code = 'policy'")
  const latest = Number(sql(`SELECT max(version) FROM framework_version WHERE framework_id = '${career}'`))
  const csv = await (await femi.fetch(`/frameworks/${career}/versions/${latest}/download?format=csv`)).text()
  const mine = await upload(femi, '/frameworks/import', { format: 'csv' }, 'policy.csv', csv)
  assert.equal(mine.status, 303, await mine.text())
  assert.equal(sql(`SELECT max(version) FROM framework_version WHERE framework_id = '${career}'`), String(latest + 1))

  // Another profession's career framework, and a competency framework: refused, nothing stored.
  const other = sql(`SELECT career_framework_id FROM profession WHERE code != 'policy' AND career_framework_id IS NOT NULL AND career_framework_id != '${career}' LIMIT 1`)
  const competency = sql("SELECT f.id FROM framework f WHERE f.kind = 'competency' AND f.id NOT IN (SELECT career_framework_id FROM profession WHERE career_framework_id IS NOT NULL) LIMIT 1")
  assert.ok(other && competency)
  for (const id of [other, competency]) {
    const before = sql(`SELECT count(*) FROM framework_version WHERE framework_id = '${id}'`)
    const version = sql(`SELECT max(version) FROM framework_version WHERE framework_id = '${id}' AND status = 'published'`)
    const theirs = await (await admin.fetch(`/frameworks/${id}/versions/${version}/download?format=csv`)).text()
    const refused = await upload(femi, '/frameworks/import', { format: 'csv' }, 'other.csv', theirs)
    assert.equal(refused.status, 422, id)
    assert.match(await refused.text(), /a framework you may not author/)
    assert.equal(sql(`SELECT count(*) FROM framework_version WHERE framework_id = '${id}'`), before)
  }
})
