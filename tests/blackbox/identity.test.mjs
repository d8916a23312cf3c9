// Identity and access through the real binary: the CLI, sign-in, sessions, CSRF,
// throttling, API tokens and the audit chain.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { startPathway, runPathway, addUser, Browserless, root } from '../lib/pathway.mjs'
import { metricsHeaders } from '../lib/pathway.mjs'

const PASSWORD = 'correct horse battery staple'
let server

before(async () => {
  server = await startPathway()
  // The department grants below name: a scope must name a department that exists.
  const org = path.join(server.dir, 'org.csv')
  writeFileSync(org, 'type,code,name,department,parent_unit,region\ndepartment,DWP,Department for Work and Pensions,,,\n')
  const imported = runPathway(['import', 'org', '--db', server.db, '--root', root, org])
  assert.equal(imported.status, 0, imported.stderr)
  addUser(server.db, 'admin@example.gov.uk', 'Ada Admin', PASSWORD, ['admin'])
  addUser(server.db, 'ben@example.gov.uk', 'Ben Jones', PASSWORD)
})
after(async () => { await server?.stop() })

test('user add reads the password from standard input and applies the password policy', () => {
  const common = runPathway(['user', 'add', '--db', server.db, '--root', root, '--email', 'c@example.gov.uk', '--name', 'C'], 'password123\n')
  assert.equal(common.status, 1)
  assert.match(common.stderr, /commonly used password/)
  assert.doesNotMatch(common.stderr + common.stdout, /password123/, 'the password is never echoed')
  const short = runPathway(['user', 'add', '--db', server.db, '--root', root, '--email', 'c@example.gov.uk', '--name', 'C'], 'short\n')
  assert.match(short.stderr, /8 characters or more/)
  const duplicate = runPathway(['user', 'add', '--db', server.db, '--root', root, '--email', 'BEN@example.gov.uk', '--name', 'B'], `${PASSWORD}\n`)
  assert.equal(duplicate.status, 1)
  assert.match(duplicate.stderr, /already exists/)
  const noArgumentPassword = runPathway(['user', 'add', '--db', server.db, '--email', 'd@example.gov.uk', '--name', 'D', '--password', 'x'])
  assert.notEqual(noArgumentPassword.status, 0, 'there is no --password option')
})

test('signing in sets a __Host- session cookie, HttpOnly, Secure and SameSite=Lax, with a new id each time', async () => {
  const first = new Browserless(server.base)
  const res = await first.signIn('ben@example.gov.uk', PASSWORD)
  assert.equal(res.status, 303)
  assert.equal(res.headers.get('location'), '/account')
  const cookie = res.headers.getSetCookie().find(c => c.startsWith('__Host-pathway-session='))
  assert.ok(cookie)
  for (const attribute of ['HttpOnly', 'Secure', 'SameSite=Lax', 'Path=/']) assert.ok(cookie.includes(attribute), attribute)
  assert.match(cookie, /^__Host-pathway-session=[A-Za-z0-9_-]{43};/, '256-bit id')
  const second = new Browserless(server.base)
  await second.signIn('ben@example.gov.uk', PASSWORD)
  assert.notEqual(first.cookies.get('__Host-pathway-session'), second.cookies.get('__Host-pathway-session'))
  const account = await first.fetch('/account')
  assert.equal(account.status, 200)
  assert.equal(account.headers.get('cache-control'), 'no-store')
  assert.match(await account.text(), /Ben Jones/)
})

test('a wrong password gets the GOV.UK error pattern and changes nothing', async () => {
  const client = new Browserless(server.base)
  const res = await client.signIn('ben@example.gov.uk', 'not my password')
  assert.equal(res.status, 422)
  const html = await res.text()
  assert.match(html, /<title>Error: Sign in - Pathway<\/title>/)
  assert.match(html, /govuk-error-summary/)
  assert.match(html, /<a href="#email">Enter a correct email address and password<\/a>/)
  assert.match(html, /value="ben@example.gov.uk"/, 'keeps what was typed')
  assert.doesNotMatch(html, /not my password/, 'never echoes the password')
  assert.equal(client.cookies.has('__Host-pathway-session'), false)
})

test('forged and replayed session cookies are refused', async () => {
  const forged = new Browserless(server.base)
  forged.cookies.set('__Host-pathway-session', 'A'.repeat(43))
  const res = await forged.fetch('/account')
  assert.equal(res.status, 303)
  assert.match(res.headers.get('location'), /^\/sign-in/)
  const client = new Browserless(server.base)
  await client.signIn('ben@example.gov.uk', PASSWORD)
  const stolen = client.cookies.get('__Host-pathway-session')
  const csrf = await client.csrf()
  const out = await client.form('/sign-out', { 'csrf-token': csrf })
  assert.equal(out.status, 200)
  assert.match(await out.text(), /You have signed out/)
  const replay = new Browserless(server.base)
  replay.cookies.set('__Host-pathway-session', stolen)
  assert.equal((await replay.fetch('/account')).status, 303, 'a signed-out session cannot be replayed')
})

test('forms without the CSRF token, or from another origin, are refused and audited', async () => {
  const client = new Browserless(server.base)
  await client.signIn('ben@example.gov.uk', PASSWORD)
  const missing = await client.form('/sign-out', {})
  assert.equal(missing.status, 403)
  const csrf = await client.csrf()
  const crossSite = await client.fetch('/sign-out', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' },
    body: new URLSearchParams({ 'csrf-token': csrf }).toString()
  })
  assert.equal(crossSite.status, 403)
  assert.equal((await client.fetch('/account')).status, 200, 'still signed in')
  const signInWithoutToken = await new Browserless(server.base).form('/sign-in', { email: 'ben@example.gov.uk', password: PASSWORD })
  assert.equal(signInWithoutToken.status, 403)
})

test('repeated failed sign-ins get 429 with Retry-After, and the real user can still sign in from elsewhere', async () => {
  addUser(server.db, 'target@example.gov.uk', 'Target', PASSWORD)
  const attacker = new Browserless(server.base)
  let res
  for (let i = 0; i < 12; i++) {
    res = await attacker.signIn('target@example.gov.uk', `guess ${i}`)
    if (res.status === 429) break
    assert.equal(res.status, 422)
  }
  assert.equal(res.status, 429)
  assert.ok(Number(res.headers.get('retry-after')) > 0)
  assert.match(await res.text(), /Too many attempts to sign in/)
  // Every attempt is in the audit trail. That the owner still gets in from another
  // address is covered by the unit tests: here every request comes from 127.0.0.1.
  const audit = spawnSync('sqlite3', [server.db, "SELECT outcome, COUNT(*) FROM audit_event WHERE action = 'sign-in' AND object_id IN ('target@example.gov.uk', (SELECT CAST(id AS TEXT) FROM app_user WHERE email = 'target@example.gov.uk')) GROUP BY outcome ORDER BY outcome"], { encoding: 'utf8' })
  assert.match(audit.stdout, /failure\|\d+/)
  assert.match(audit.stdout, /refused\|1/)
})

test('API tokens: created once by the CLI, sent as Bearer, revocable, refused for disabled users', async () => {
  const created = runPathway(['token', 'create', '--db', server.db, '--root', root, '--email', 'ben@example.gov.uk', '--name', 'HR system'])
  assert.equal(created.status, 0, created.stderr)
  const token = created.stdout.trim()
  assert.match(token, /^pw_[A-Za-z0-9_-]{43}$/)
  const me = await fetch(`${server.base}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } })
  assert.equal(me.status, 200)
  assert.equal((await me.json()).email, 'ben@example.gov.uk')
  const stored = spawnSync('sqlite3', [server.db, 'SELECT token_hash FROM api_token'], { encoding: 'utf8' }).stdout
  assert.doesNotMatch(stored, new RegExp(token.slice(3)), 'only a hash is stored')
  // Not an admin: listing users is refused as not found.
  const users = await fetch(`${server.base}/api/v1/users`, { headers: { authorization: `Bearer ${token}` } })
  assert.equal(users.status, 404)
  // An admin disables Ben; his token stops working.
  const admin = new Browserless(server.base)
  await admin.signIn('admin@example.gov.uk', PASSWORD)
  const list = await (await admin.fetch('/admin/users?q=ben')).text()
  const benId = /href="\/admin\/users\/(\d+)">ben@example.gov.uk/.exec(list)[1]
  const csrf = await admin.csrf(`/admin/users/${benId}`)
  const disabled = await admin.form(`/admin/users/${benId}/disable`, { 'csrf-token': csrf })
  assert.equal(disabled.status, 303)
  assert.equal((await fetch(`${server.base}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } })).status, 401)
  await admin.form(`/admin/users/${benId}/enable`, { 'csrf-token': csrf })
  assert.equal((await fetch(`${server.base}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } })).status, 200)
  const id = /Token (\d+) for/.exec(created.stderr)[1]
  const revoked = runPathway(['token', 'revoke', '--db', server.db, '--root', root, '--id', id])
  assert.equal(revoked.status, 0)
  const after = await fetch(`${server.base}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } })
  assert.equal(after.status, 401)
  assert.match(after.headers.get('www-authenticate'), /^Bearer/)
})

test('the JSON API refuses CORS-simple content types for writes with 415', async () => {
  const admin = runPathway(['token', 'create', '--db', server.db, '--root', root, '--email', 'admin@example.gov.uk']).stdout.trim()
  const plain = await fetch(`${server.base}/api/v1/users`, {
    method: 'POST', headers: { authorization: `Bearer ${admin}`, 'content-type': 'text/plain' }, body: '{"email":"z@example.gov.uk","name":"Z"}'
  })
  assert.equal(plain.status, 415)
  const form = await fetch(`${server.base}/api/v1/users`, {
    method: 'POST', headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/x-www-form-urlencoded' }, body: 'email=z'
  })
  assert.equal(form.status, 415)
  const tooLong = await fetch(`${server.base}/api/v1/users`, {
    method: 'POST', headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' }, body: JSON.stringify({ email: 'z@example.gov.uk', name: 'N'.repeat(500) })
  })
  assert.equal(tooLong.status, 422)
  assert.equal((await tooLong.json()).errors[0].field, 'name')
  const created = await fetch(`${server.base}/api/v1/users`, {
    method: 'POST', headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' }, body: JSON.stringify({ email: 'z@example.gov.uk', name: 'Zed', roles: [{ role: 'hr_partner', scope: 'DWP' }] })
  })
  assert.equal(created.status, 201)
  const { id } = await created.json()
  const user = await (await fetch(`${server.base}/api/v1/users/${id}`, { headers: { authorization: `Bearer ${admin}` } })).json()
  assert.deepEqual(user.roles.map(r => `${r.role}:${r.scope}`).sort(), ['hr_partner:DWP', 'individual:'])
})

test('audit verify passes on an intact chain and fails on a row altered behind the application', async () => {
  const ok = runPathway(['audit', 'verify', '--db', server.db, '--root', root])
  assert.equal(ok.status, 0, ok.stdout + ok.stderr)
  assert.match(ok.stdout, /Audit trail intact: \d+ events/)
  const refused = spawnSync('sqlite3', [server.db, "UPDATE audit_event SET detail = 'x' WHERE seq = 1"], { encoding: 'utf8' })
  assert.match(refused.stderr, /append-only/, 'the database refuses edits')
  const tamper = spawnSync('sqlite3', [server.db, "DROP TRIGGER audit_event_no_update; UPDATE audit_event SET actor = 'someone-else' WHERE seq = 2"], { encoding: 'utf8' })
  assert.equal(tamper.status, 0, tamper.stderr)
  const broken = runPathway(['audit', 'verify', '--db', server.db, '--root', root])
  assert.equal(broken.status, 1)
  assert.match(broken.stdout, /BROKEN: row 2 was changed/)
})

test('audit verify catches a deleted tail and a missing head checkpoint, kept outside the database with the key', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'pathway-audit-'))
  try {
    const db = path.join(dir, 'a.db')
    for (const n of [1, 2, 3]) addUser(db, `u${n}@example.gov.uk`, `U${n}`, PASSWORD)
    assert.ok(existsSync(`${db}.audit-key`) && existsSync(`${db}.audit-head`))
    assert.equal(statSync(`${db}.audit-key`).mode & 0o077, 0, 'the key is the owner\'s alone')
    const intact = runPathway(['audit', 'verify', '--db', db, '--root', root])
    assert.equal(intact.status, 0, intact.stdout + intact.stderr)
    const rows = Number(/intact: (\d+) events/.exec(intact.stdout)[1])
    const cut = spawnSync('sqlite3', [db, 'DROP TRIGGER audit_event_no_delete; DELETE FROM audit_event WHERE seq = (SELECT max(seq) FROM audit_event)'], { encoding: 'utf8' })
    assert.equal(cut.status, 0, cut.stderr)
    const truncated = runPathway(['audit', 'verify', '--db', db, '--root', root])
    assert.equal(truncated.status, 1)
    assert.match(truncated.stdout, new RegExp(`BROKEN: rows ${rows} to ${rows} are missing`))
    rmSync(`${db}.audit-head`)
    const headless = runPathway(['audit', 'verify', '--db', db, '--root', root])
    assert.equal(headless.status, 1)
    assert.match(headless.stdout, /checkpoint .* is missing/)
    // Without its key, a keyed trail is refused rather than trusted.
    rmSync(`${db}.audit-key`)
    const keyless = runPathway(['audit', 'verify', '--db', db, '--root', root])
    assert.notEqual(keyless.status, 0)
    assert.match(keyless.stderr, /audit key .* is missing/)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

test('sign-in sends people only to a local path: no other host, no injected header', async () => {
  const cases = [
    ['/people?x=1', '/people?x=1'],
    ['//evil.example/', '/'],
    ['/\\evil.example', '/'],
    ['https://evil.example/', '/'],
    ['/%2F%2Fevil.example', '/'],
    ['/%0d%0aSet-Cookie:%20planted=1', '/']
  ]
  for (const [next, expected] of cases) {
    const client = new Browserless(server.base)
    const page = await (await client.fetch('/sign-in')).text()
    const token = /name="signin-token" value="([^"]+)"/.exec(page)[1]
    const res = await client.form('/sign-in', { 'signin-token': token, email: 'ben@example.gov.uk', password: PASSWORD, next })
    assert.equal(res.status, 303, next)
    assert.equal(res.headers.get('location'), expected, next)
    assert.ok(!res.headers.getSetCookie().some(c => c.startsWith('planted')), next)
  }
  // A raw line break in the field is refused at the door, naming it.
  const client = new Browserless(server.base)
  const page = await (await client.fetch('/sign-in')).text()
  const token = /name="signin-token" value="([^"]+)"/.exec(page)[1]
  const raw = await client.form('/sign-in', { 'signin-token': token, email: 'ben@example.gov.uk', password: PASSWORD, next: '/\r\nSet-Cookie: planted=1' })
  assert.equal(raw.status, 400)
  assert.ok(!raw.headers.getSetCookie().some(c => c.startsWith('planted')))
})

test('bogus session cookies are counted in metrics and reach the audit trail aggregated, not one write each', async () => {
  const rows = () => Number(spawnSync('sqlite3', [server.db, "SELECT COUNT(*) FROM audit_event WHERE action = 'session'"], { encoding: 'utf8' }).stdout.trim())
  const before = rows()
  for (let i = 0; i < 200; i++) {
    const res = await fetch(`${server.base}/account`, { headers: { cookie: `__Host-pathway-session=bogus${i}` }, redirect: 'manual' })
    assert.equal(res.status, 303)
  }
  await new Promise(resolve => setTimeout(resolve, 1500))  // the aggregate is written within a second
  const added = rows() - before
  assert.ok(added >= 1 && added <= 3, `${added} audit rows for 200 bogus cookies`)
  const detail = spawnSync('sqlite3', [server.db, "SELECT detail FROM audit_event WHERE action = 'session' ORDER BY seq DESC LIMIT 1"], { encoding: 'utf8' }).stdout
  assert.match(detail, /unknown session \(\d+ requests from this address/)
  const metrics = await (await fetch(`${server.base}/metrics`, { headers: metricsHeaders })).text()
  const count = Number(/pathway_noise_refusals_total\{action="session",reason="unknown session"\} (\d+)/.exec(metrics)?.[1])
  assert.ok(count >= 200, `metrics count ${count}`)
})

test('a request without a body has its session looked up once, by its handler', async () => {
  const counted = async () => {
    const metrics = await (await fetch(`${server.base}/metrics`, { headers: metricsHeaders })).text()
    return Number(/pathway_noise_refusals_total\{action="session",reason="unknown session"\} (\d+)/.exec(metrics)?.[1] ?? 0)
  }
  const before = await counted()
  for (let i = 0; i < 10; i++) {
    const res = await fetch(`${server.base}/account`, { headers: { cookie: `__Host-pathway-session=once${i}` }, redirect: 'manual' })
    assert.equal(res.status, 303)
  }
  assert.equal(await counted() - before, 10, 'one lookup per request, not one more before its (absent) body')
})

// Signs in through a (pretend) proxy that sends X-Forwarded-For: `forwarded`.
async function signInVia (client, forwarded, email, password) {
  const headers = { 'x-forwarded-for': forwarded }
  const page = await (await client.fetch('/sign-in', { headers })).text()
  const token = /name="signin-token" value="([^"]+)"/.exec(page)[1]
  return client.fetch('/sign-in', {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ 'signin-token': token, email, password, next: '/account' }).toString()
  })
}

async function lockOutAndTryOwner (target, email) {
  addUser(target.db, email, 'Proxied', PASSWORD)
  const attacker = new Browserless(target.base)
  let res
  for (let i = 0; i < 12; i++) {
    res = await signInVia(attacker, '10.0.0.1', email, `guess ${i}`)
    if (res.status === 429) break
  }
  assert.equal(res.status, 429, 'the attacker is throttled')
  // The owner, behind the same proxy but from another address; a malformed header
  // from the attacker's side must not be believed either.
  const owner = new Browserless(target.base)
  return (await signInVia(owner, '10.0.0.2', email, PASSWORD)).status
}

test('behind a trusted proxy, users are throttled by their forwarded address, each on their own', async () => {
  const proxied = await startPathway(['--trusted-proxy', '127.0.0.1'])
  try {
    assert.equal(await lockOutAndTryOwner(proxied, 'proxied@example.gov.uk'), 303)
    // The right-most untrusted entry counts, so an address the client prepends itself is
    // ignored; a malformed header falls back to the proxy's own address.
    const spoofer = new Browserless(proxied.base)
    let res
    for (let i = 0; i < 12; i++) {
      res = await signInVia(spoofer, `192.0.2.${i}, 10.0.0.3`, 'proxied@example.gov.uk', `guess ${i}`)
      if (res.status === 429) break
    }
    assert.equal(res.status, 429, 'a prepended address changes nothing')
    assert.equal((await signInVia(new Browserless(proxied.base), '10.0.0.4', 'proxied@example.gov.uk', PASSWORD)).status, 303)
  } finally {
    await proxied.stop()
  }
})

test('without a trusted proxy, X-Forwarded-For is ignored: a spoofed header does not escape the throttle', async () => {
  // The server above `server` trusts no proxy: both "addresses" are 127.0.0.1.
  assert.equal(await lockOutAndTryOwner(server, 'spoofed@example.gov.uk'), 429)
})

test('a trusted proxy that is not an IP address is refused at start', async () => {
  await assert.rejects(startPathway(['--trusted-proxy', 'proxy.example']), /not an IP address/)
})
