// The skills passport and crosswalks over HTTP, across two databases: a person downloads
// their passport (signed with their department's key from the keys folder beside the
// database); the receiving department's HR partner checks it, sees where each level lands
// (directly, or through a "same as" link its own CASE package brought), and records it
// with consent; framework authors add and remove crosswalks, which travel in the CASE
// package. Everyone else is answered 404, and refusals record nothing.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { runPathway, startPathway, Browserless, root } from '../lib/pathway.mjs'

let dir, a, b, usersA, usersB, key, credential

// Ids of the frameworks made here (fixed, so the test reads the same every run).
const issuerFramework = '6f1c2b3a-4d5e-4f60-8a7b-9c0d1e2f3a4b'
const issuerCluster = '6f1c2b3a-4d5e-4f60-8a7b-9c0d1e2f3a4c'
const issuerItem = '6f1c2b3a-4d5e-4f60-8a7b-9c0d1e2f3a4d'
const receiverFramework = '7a2d3c4b-5e6f-4a71-9b8c-0d1e2f3a4b5c'
const receiverCluster = '7a2d3c4b-5e6f-4a71-9b8c-0d1e2f3a4b5d'
const receiverItem = '7a2d3c4b-5e6f-4a71-9b8c-0d1e2f3a4b5e'
const matchAssociation = '8b3e4d5c-6f70-4b82-ac9d-1e2f3a4b5c6d'

function signIns (text) {
  return Object.fromEntries([...text.matchAll(/^\s+(.+?)\s{2,}(\S+@demo\.pathway\.test)\s+(demo-[0-9a-f-]+)/gm)].map(m => [m[1], { email: m[2], password: m[3] }]))
}

function sql (db, query) {
  const res = spawnSync('sqlite3', [db, query], { encoding: 'utf8' })
  assert.equal(res.status, 0, res.stderr)
  return res.stdout.trim()
}

function frameworkCsv (id, cluster, item, title, itemTitle) {
  return [
    'type,id,parent,order,level,title,text,polarity,tags',
    `framework,${id},,1,,${title},Skills of our own,technical,published`,
    `cluster,${cluster},${id},1,,Casework,,,`,
    `item,${item},${cluster},1,,${itemTitle},,,`,
    `level,,${item},,1,Awareness,,,`,
    `level,,${item},,2,Working,,,`,
    `level,,${item},,3,Practitioner,,,`
  ].join('\n') + '\n'
}

function importCsv (db, name, text) {
  const file = path.join(dir, name)
  writeFileSync(file, text)
  const res = runPathway(['import', 'framework', '--db', db, '--root', root, '--format', 'csv', file])
  assert.equal(res.status, 0, res.stderr)
}

async function as (server, users, role) {
  const who = users[role]
  assert.ok(who, role)
  const browser = new Browserless(server.base)
  assert.equal((await browser.signIn(who.email, who.password)).status, 303)
  return browser
}

function json (server, body, method = 'POST') {
  return { method, headers: { 'content-type': 'application/json', origin: server.base }, body: JSON.stringify(body) }
}

const passportRows = db => Number(sql(db, "SELECT count(*) FROM assessment WHERE assessor = 'passport'"))

before(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'pathway-passport-pages-'))
  a = path.join(dir, 'a.db')
  b = path.join(dir, 'b.db')
  const madeA = runPathway(['demo', '--db', a, '--root', root, '--seed', '7', '--people', '200'])
  assert.equal(madeA.status, 0, madeA.stderr)
  usersA = signIns(madeA.stdout)
  const madeB = runPathway(['demo', '--db', b, '--root', root, '--seed', '8', '--people', '200'])
  assert.equal(madeB.status, 0, madeB.stderr)
  usersB = signIns(madeB.stdout)
  // The issuing department's key, in the keys folder the server reads by default.
  mkdirSync(`${a}.passport-keys`, { mode: 0o700 })
  const made = runPathway(['passport', 'keygen', '--db', a, '--root', root, '--department', 'DWP', '--out', `${a}.passport-keys/DWP.key`])
  assert.equal(made.status, 0, made.stderr)
  key = JSON.parse(made.stdout)
  // Each department has a framework of its own, unknown to the other.
  importCsv(a, 'issuer.csv', frameworkCsv(issuerFramework, issuerCluster, issuerItem, 'DWP casework skills', 'Case handling'))
  importCsv(b, 'receiver.csv', frameworkCsv(receiverFramework, receiverCluster, receiverItem, 'Receiving casework skills', 'Handling cases'))
})
after(() => rmSync(dir, { recursive: true, force: true }))

test('a person sees what their passport holds and downloads it signed; nobody else can', async () => {
  const server = await startPathway([], { db: a })
  try {
    // Ben's line manager confirms a level in the department's own framework.
    const chloe = await as(server, usersA, 'Line manager')
    const assessed = await chloe.fetch('/api/v1/people/3/assessments', json(server, { capacity: 'line_manager', items: [{ item: issuerItem, level: 2, comment: 'Seen on the Jones case' }] }))
    assert.equal(assessed.status, 201, await assessed.text())

    const ben = await as(server, usersA, 'Individual')
    const page = await (await ben.fetch('/people/3/passport')).text()
    assert.match(page, /Your skills passport/)
    assert.match(page, /Case handling/)
    assert.match(page, /Download your passport/)
    const csrf = /name="csrf-token" value="([^"]+)"/.exec(page)[1]
    const download = await ben.form('/people/3/passport', { 'csrf-token': csrf })
    assert.equal(download.status, 200)
    assert.equal(download.headers.get('content-type'), 'application/vc+jwt')
    assert.match(download.headers.get('content-disposition'), /skills-passport-DWP-0003\.jwt/)
    credential = (await download.text()).trim()
    const header = JSON.parse(Buffer.from(credential.split('.')[0], 'base64url'))
    assert.equal(header.kid, key.kid)
    const vc = JSON.parse(Buffer.from(credential.split('.')[1], 'base64url'))
    assert.ok(JSON.stringify(vc).includes(issuerItem), 'the confirmed level travels')

    // Another person's passport is not found for Ben; his line manager may not issue it.
    assert.equal((await ben.fetch('/people/4/passport')).status, 404)
    assert.equal((await chloe.fetch('/api/v1/people/3/passport', json(server, {}))).status, 404)
    // The HR partner of his department may, through the API.
    const dev = await as(server, usersA, 'HR partner')
    const issued = await dev.fetch('/api/v1/people/3/passport', json(server, {}))
    assert.equal(issued.status, 200)
    assert.equal((await issued.text()).trim().split('.').length, 3)
  } finally {
    await server.stop()
  }
})

test('the receiving HR partner checks a passport, sees where each level lands, and records it with consent', async () => {
  assert.ok(credential, 'the first test issued a credential')
  // The receiver trusts the issuer's key, and its own framework's next version says (in
  // CASE) that its item is the same as the issuer's.
  const keyFile = path.join(dir, 'issuer-key.json')
  writeFileSync(keyFile, JSON.stringify(key))
  assert.equal(runPathway(['passport', 'trust', '--db', b, '--root', root, keyFile]).status, 0)
  const exported = runPathway(['export', 'framework', '--db', b, '--root', root, '--format', 'case', receiverFramework])
  assert.equal(exported.status, 0, exported.stderr)
  const pkg = JSON.parse(exported.stdout)
  pkg.CFDocument.version = '2'
  pkg.CFAssociations.push({
    identifier: matchAssociation,
    associationType: 'exactMatchOf',
    uri: `https://dwp.example/ims/case/v1p1/CFAssociations/${matchAssociation}`,
    originNodeURI: { title: 'Handling cases', identifier: receiverItem, uri: `https://hmrc.example/CFItems/${receiverItem}` },
    destinationNodeURI: { title: 'Case handling', identifier: issuerItem, uri: `https://dwp.example/ims/case/v1p1/CFItems/${issuerItem}`, targetType: 'CASE' },
    lastChangeDateTime: '2026-12-01T00:00:00Z'
  })
  const v2 = path.join(dir, 'receiver-v2.json')
  writeFileSync(v2, JSON.stringify(pkg))
  const imported = runPathway(['import', 'framework', '--db', b, '--root', root, '--format', 'case', v2])
  assert.equal(imported.status, 0, imported.stderr)

  const server = await startPathway([], { db: b })
  try {
    const ben = await as(server, usersB, 'Individual')
    assert.equal((await ben.fetch('/passports/import')).status, 404, 'only HR imports')
    // This database has no signing keys: the page says so and nothing is issued.
    const own = await (await ben.fetch('/people/3/passport')).text()
    assert.match(own, /cannot issue passports from here yet/)
    assert.doesNotMatch(own, /Download your passport/)
    const ownCsrf = /name="csrf-token" value="([^"]+)"/.exec(own)[1]
    const refused = await ben.form('/people/3/passport', { 'csrf-token': ownCsrf })
    assert.equal(refused.status, 422)
    assert.equal(Number(sql(b, 'SELECT count(*) FROM issued_credential')), 0)
    const dev = await as(server, usersB, 'HR partner')
    const form = await (await dev.fetch('/passports/import')).text()
    const csrf = /name="csrf-token" value="([^"]+)"/.exec(form)[1]

    // Bad input: nothing given, another person, an altered byte. Each says why.
    let res = await dev.form('/passports/import/check', { 'csrf-token': csrf, 'hr-id': '', credential: '' })
    assert.equal(res.status, 422)
    let text = await res.text()
    assert.match(text, /Enter the person&#39;s HR id|Enter the person's HR id/)
    assert.match(text, /Paste the passport they sent you/)
    res = await dev.form('/passports/import/check', { 'csrf-token': csrf, 'hr-id': 'DWP-0004', credential })
    assert.equal(res.status, 422)
    assert.match(await res.text(), /is for DWP-0003, not for DWP-0004/)
    const altered = credential.slice(0, -5) + (credential.at(-5) === 'A' ? 'B' : 'A') + credential.slice(-4)
    res = await dev.form('/passports/import/check', { 'csrf-token': csrf, 'hr-id': 'DWP-0003', credential: altered })
    assert.equal(res.status, 422)
    assert.match(await res.text(), /signature does not verify/)

    // The check shows the landing of each level and records nothing.
    res = await dev.form('/passports/import/check', { 'csrf-token': csrf, 'hr-id': 'DWP-0003', credential })
    assert.equal(res.status, 200)
    text = await res.text()
    assert.match(text, /The signature verifies/)
    assert.match(text, /Crosswalk: ‘Handling cases’ \(Receiving casework skills\) is the same as ‘Case handling’/)
    assert.equal(passportRows(b), 0)
    // No consent: refused, nothing recorded.
    res = await dev.form('/passports/import', { 'csrf-token': csrf, 'hr-id': 'DWP-0003', credential })
    assert.equal(res.status, 422)
    assert.match(await res.text(), /consent/)
    assert.equal(passportRows(b), 0)

    // The API says the same before anything is recorded.
    const verified = await dev.fetch('/api/v1/passports/verify', json(server, { credential, hr_id: 'DWP-0003' }))
    assert.equal(verified.status, 200)
    const check = await verified.json()
    const mine = check.entries.find(e => e.item === issuerItem)
    assert.deepEqual([mine.outcome, mine.local_item], ['recorded', receiverItem])

    res = await dev.form('/passports/import', { 'csrf-token': csrf, 'hr-id': 'DWP-0003', credential, consent: 'yes' })
    assert.equal(res.status, 200)
    text = await res.text()
    const recorded = Number(/(\d+) levels recorded for DWP-0003/.exec(text)[1])
    assert.ok(recorded >= 1)
    assert.equal(passportRows(b), recorded)
    // The level landed on the receiver's own item, citing the credential and the crosswalk.
    const landed = sql(b, `SELECT a.level || '|' || a.comment FROM assessment a JOIN item_ref r ON r.id = a.item_ref_id JOIN person p ON p.id = a.person_id WHERE a.assessor = 'passport' AND r.item_id = '${receiverItem}' AND p.external_id = 'DWP-0003'`)
    assert.match(landed, /^2\|From the passport urn:uuid:.*crosswalk: ‘Handling cases’/)
    // Once only.
    res = await dev.fetch('/api/v1/passports/imports', json(server, { credential, hr_id: 'DWP-0003', consent: true }))
    assert.equal(res.status, 409)
    assert.equal(passportRows(b), recorded)
    // Someone outside the department: not found, whatever the credential.
    const erin = await as(server, usersB, 'Vetting officer')
    res = await erin.fetch('/api/v1/passports/imports', json(server, { credential, hr_id: 'DWP-0003', consent: true }))
    assert.equal(res.status, 404)
  } finally {
    await server.stop()
  }
})

test('authors add and remove crosswalks on a page and in the API; they travel in the CASE package', async () => {
  const server = await startPathway([], { db: b })
  try {
    const admin = await as(server, usersB, 'Administrator')
    const [otherId, target] = sql(b, `SELECT i.framework_id || '|' || i.id FROM fw_item i JOIN framework_version v ON v.framework_id = i.framework_id AND v.version = i.version WHERE v.status = 'published' AND i.framework_id <> '${receiverFramework}' ORDER BY i.framework_id, i.id LIMIT 1`).split('|')
    const other = { id: otherId }

    // Bad input names the field and adds nothing; someone who may not author gets 404.
    const url = `/api/v1/frameworks/${receiverFramework}/crosswalks`
    let res = await admin.fetch(url, json(server, { item: receiverItem, kind: 'cousin', target }))
    assert.equal(res.status, 422)
    assert.equal((await res.json()).errors[0].field, 'kind')
    res = await admin.fetch(url, json(server, { item: receiverItem, kind: 'same', target: receiverItem }))
    assert.equal((await res.json()).errors[0].field, 'target')
    const ben = await as(server, usersB, 'Individual')
    res = await ben.fetch(url, json(server, { item: receiverItem, kind: 'broader', target }))
    assert.equal(res.status, 404)
    assert.equal(Number(sql(b, 'SELECT count(*) FROM crosswalk')), 0)

    res = await admin.fetch(url, json(server, { item: receiverItem, kind: 'broader', target, notes: 'Ours covers more' }))
    assert.equal(res.status, 201)
    const added = await res.json()
    assert.equal(added.case_type, 'ext:broaderThan')
    res = await admin.fetch(url, json(server, { item: receiverItem, kind: 'same', target }))
    assert.equal(res.status, 409, 'one link between two items')
    const listed = await (await ben.fetch(url)).json()
    assert.deepEqual(listed.crosswalks.map(x => [x.kind, x.target_item]), [['broader', target]])

    // The CASE package holds the page's crosswalk and the association its import brought.
    const pkg = await (await admin.fetch(`/ims/case/v1p1/CFPackages/${receiverFramework}`)).json()
    const types = pkg.CFAssociations.map(x => x.associationType)
    assert.ok(types.includes('ext:broaderThan'))
    assert.ok(types.includes('exactMatchOf'))
    const broader = pkg.CFAssociations.find(x => x.identifier === added.id)
    assert.equal(broader.destinationNodeURI.identifier, target)
    assert.equal(broader.notes, 'Ours covers more')

    // The page lists it and removes it with a form.
    const page = await (await admin.fetch(`/frameworks/${receiverFramework}/crosswalks`)).text()
    assert.match(page, /Handling cases/)
    assert.match(page, /is broader than/)
    const csrf = /name="csrf-token" value="([^"]+)"/.exec(page)[1]
    // Removing asks first, and changes nothing until confirmed.
    res = await admin.form(`/frameworks/${receiverFramework}/crosswalks/${added.id}/remove`, { 'csrf-token': csrf })
    assert.equal(res.status, 200)
    assert.match(await res.text(), /Remove this crosswalk\?/)
    res = await admin.form(`/frameworks/${receiverFramework}/crosswalks/${added.id}/remove`, { 'csrf-token': csrf, confirm: 'yes' })
    assert.equal(res.status, 303)
    assert.equal(Number(sql(b, 'SELECT count(*) FROM crosswalk')), 0)
    // Added again through the page's form (choose the framework, then the items).
    const chooser = await (await admin.fetch(`/frameworks/${receiverFramework}/crosswalks?target_framework=${other.id}`)).text()
    assert.match(chooser, /name="target"/)
    res = await admin.form(`/frameworks/${receiverFramework}/crosswalks`, { 'csrf-token': csrf, 'target-framework': other.id, item: receiverItem, kind: 'related', target, notes: '' })
    assert.equal(res.status, 303)
    assert.equal(sql(b, 'SELECT kind FROM crosswalk'), 'related')
    // An unknown kind through the form: the page says so, nothing added.
    res = await admin.form(`/frameworks/${receiverFramework}/crosswalks`, { 'csrf-token': csrf, 'target-framework': other.id, item: receiverItem, kind: '', target })
    assert.equal(res.status, 422)
    assert.match(await res.text(), /Choose how the items relate/)
    assert.equal(Number(sql(b, 'SELECT count(*) FROM crosswalk')), 1)

    // Gap across frameworks: a requirement Ben has no level in, said to be the same as the
    // receiver's item he now holds (from his passport), counts that level, and says so.
    const [code, itemId, itemFramework] = sql(b, `SELECT rl.code || '|' || i.item_id || '|' || i.framework_id FROM role_requirement r JOIN role_level rl ON rl.id = r.role_level_id JOIN item_ref i ON i.id = r.item_ref_id WHERE r.level >= 2 AND i.item_id NOT IN (SELECT ir.item_id FROM assessment a JOIN item_ref ir ON ir.id = a.item_ref_id WHERE a.person_id = 3) ORDER BY rl.code, i.item_id LIMIT 1`).split('|')
    assert.ok(code, 'a role level with a requirement Ben has no level in')
    const gapUrl = `/api/v1/people/3/gap?role_level=${encodeURIComponent(code)}`
    const dev = await as(server, usersB, 'HR partner')
    const before = (await (await dev.fetch(gapUrl)).json()).requirements.find(r => r.item === itemId)
    assert.deepEqual([before.have, before.via], [0, null])
    res = await admin.fetch(`/api/v1/frameworks/${itemFramework}/crosswalks`, json(server, { item: itemId, kind: 'same', target: receiverItem }))
    assert.equal(res.status, 201, await res.text())
    const after = (await (await dev.fetch(gapUrl)).json()).requirements.find(r => r.item === itemId)
    assert.equal(after.have, 2)
    assert.equal(after.confirmed, true)
    assert.match(after.via, /‘Handling cases’ in Receiving casework skills/)
  } finally {
    await server.stop()
  }
})
