// Frameworks through the real binary: a framework imported with the CLI as a draft,
// published by an administrator with the page's form, then read as pages and through
// the API by someone with no role but `individual`; grade and clearance views; search;
// new drafts and what changed; and 404 for what a person may not see.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import Ajv2020 from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'
import { startPathway, runPathway, addUser, Browserless, root } from '../lib/pathway.mjs'

const PASSWORD = 'correct horse battery staple'
const SEED = `${root}/src/interchange/testdata/competency_framework_sms1.txt`
const MISSING = '0b1e7a3c-2f4d-4e5a-9b6c-7d8e9f0a1b2c'
let server
let admin
let reader
let id
let token

const count = (html, pattern) => (html.match(pattern) ?? []).length
const main = html => html.slice(html.indexOf('<main'), html.indexOf('</main>'))
const csrfOf = html => /name="csrf-token" value="([^"]+)"/.exec(html)[1]

async function page (client, path, status = 200) {
  const res = await client.fetch(path)
  assert.equal(res.status, status, `${path} answered ${res.status}`)
  return res.text()
}

before(async () => {
  server = await startPathway()
  addUser(server.db, 'admin@example.gov.uk', 'Ada Admin', PASSWORD, ['admin'])
  addUser(server.db, 'ben@example.gov.uk', 'Ben Jones', PASSWORD)
  const imported = runPathway(['import', 'framework', '--db', server.db, '--root', root, '--format', 'document', SEED])
  assert.equal(imported.status, 0, imported.stderr)
  const [importedId, version] = imported.stdout.trim().split(' ')
  assert.equal(version, '1')
  id = importedId
  admin = new Browserless(server.base)
  assert.equal((await admin.signIn('admin@example.gov.uk', PASSWORD)).status, 303)
  reader = new Browserless(server.base)
  assert.equal((await reader.signIn('ben@example.gov.uk', PASSWORD)).status, 303)
  const created = runPathway(['token', 'create', '--db', server.db, '--root', root, '--email', 'ben@example.gov.uk', '--name', 'frameworks test'])
  assert.equal(created.status, 0, created.stderr)
  token = created.stdout.trim()
})
after(async () => { await server?.stop() })

const api = (path, headers = { authorization: `Bearer ${token}` }) => fetch(`${server.base}${path}`, { headers })

test('every framework page needs a session and sends the visitor to sign in, coming back after', async () => {
  for (const path of ['/frameworks', `/frameworks/${id}`, '/frameworks/search?q=team%20work']) {
    const res = await fetch(`${server.base}${path}`, { redirect: 'manual' })
    assert.equal(res.status, 303, path)
    const next = new URL(res.headers.get('location'), server.base).searchParams.get('next')
    assert.equal(next, path)
  }
  const res = await api('/api/v1/frameworks', {})
  assert.equal(res.status, 401)
  assert.equal(res.headers.get('content-type'), 'application/problem+json')
  assert.equal(res.headers.get('www-authenticate'), 'Bearer realm="Pathway"')
})

test('a draft is shown only to those who may edit it', async () => {
  assert.doesNotMatch(await page(reader, '/frameworks'), new RegExp(id))
  await page(reader, `/frameworks/${id}`, 404)
  await page(reader, `/frameworks/${id}/versions/1`, 404)
  assert.equal((await api(`/api/v1/frameworks/${id}`)).status, 404)
  const list = await page(admin, '/frameworks')
  assert.match(list, new RegExp(`href="&#x2F;frameworks&#x2F;${id}"`))
  assert.match(list, /govuk-tag--yellow">Draft<\/strong> version 1/)
  const draft = await page(admin, `/frameworks/${id}`)
  assert.match(draft, /This version is a draft/)
  assert.match(draft, /Publish this draft/)
})

test('an administrator publishes the draft with the form; a form without the CSRF token is refused', async () => {
  const html = await page(admin, `/frameworks/${id}`)
  const refused = await admin.form(`/frameworks/${id}/versions/1/publish`, { 'csrf-token': 'forged' })
  assert.equal(refused.status, 403)
  // Publishing asks for confirmation: without the box ticked nothing is published.
  const unconfirmed = await admin.form(`/frameworks/${id}/versions/1/publish`, { 'csrf-token': csrfOf(html) })
  assert.equal(unconfirmed.status, 422)
  const asked = await unconfirmed.text()
  assert.match(asked, /<a href="#confirm-publish">Confirm that you want to publish this draft for everyone to read<\/a>/)
  assert.match(asked, /id="confirm-publish"[^>]*aria-describedby="confirm-publish-error"/)
  assert.match(await page(admin, `/frameworks/${id}`), /This version is a draft/)
  const res = await admin.form(`/frameworks/${id}/versions/1/publish`, { 'csrf-token': csrfOf(html), confirm: 'yes' })
  assert.equal(res.status, 303)
  assert.equal(res.headers.get('location'), `/frameworks/${id}/versions/1?done=published`)
  const after = await page(admin, res.headers.get('location'))
  assert.match(after, /govuk-notification-banner--success/)
  assert.match(after, /This version has been published/)
  assert.match(after, /govuk-tag--green">Published</)
  // Publishing it again is a conflict, shown as an error summary on the page.
  const again = await admin.form(`/frameworks/${id}/versions/1/publish`, { 'csrf-token': csrfOf(html), confirm: 'yes' })
  assert.equal(again.status, 409)
  const body = await again.text()
  assert.match(body, /<title>Error: /)
  assert.match(body, /govuk-error-summary/)
  assert.match(body, /<a href="#author-actions">Only a draft can be published<\/a>/)
  assert.match(body, /id="author-actions"/)
})

test('the list shows the published framework to a reader with no role but individual', async () => {
  const html = main(await page(reader, '/frameworks'))
  assert.match(html, new RegExp(`<a class="govuk-link" href="&#x2F;frameworks&#x2F;${id}">Civil Service Competency Framework By Grade – SMS 1</a>`))
  assert.match(html, /Competency framework/)
  assert.match(html, /Version 1/)
  assert.doesNotMatch(html, /Draft/, 'a reader sees no drafts')
  assert.match(html, /action="\/frameworks\/search"/)
})

test('the framework page shows 3 clusters, 10 numbered items and 59 effective and 59 ineffective indicators', async () => {
  const html = main(await page(reader, `/frameworks/${id}`))
  assert.match(html, /<h1 class="govuk-heading-l">Civil Service Competency Framework By Grade – SMS 1<\/h1>/)
  assert.equal(count(html, /<section class="pathway-cluster"/g), 3)
  assert.equal(count(html, /<section class="pathway-item">/g), 10)
  assert.match(html, />1\. Seeing the Big Picture<\/h3>/)
  assert.match(html, />10\. Delivering at Pace<\/h3>/)
  assert.equal(count(html, /class="pathway-indicator pathway-indicator--effective"/g), 59)
  assert.equal(count(html, /class="pathway-indicator pathway-indicator--ineffective"/g), 59)
  // Each item can be linked to by its id.
  const api = await (await fetch(`${server.base}/api/v1/frameworks/${id}`, { headers: { authorization: `Bearer ${token}` } })).json()
  for (const cluster of api.clusters) for (const item of cluster.items) assert.match(html, new RegExp(`<h3 class="govuk-heading-m" id="${item.id}">`))
  // Version history, the grade map and the forms.
  assert.match(html, /Version history/)
  assert.match(html, /<th scope="row" class="govuk-table__header">SCS1 – Senior Civil Service pay band 1/)
  assert.match(html, /<select class="govuk-select" id="grade" name="grade">/)
  assert.match(html, /<select class="govuk-select" id="clearance" name="clearance">/)
  assert.doesNotMatch(html, /Publish this draft|Retire this version|Start a new draft/, 'a reader gets no author buttons')
  // Text from the file is escaped, never markup.
  assert.match(html, /Department&#39;s vision/)
})

test('for grade SCS1 the page shows level 5; for EO it says the framework has no level for that grade', async () => {
  const scs1 = main(await page(reader, `/frameworks/${id}?grade=SCS1`))
  assert.match(scs1, /For grade SCS1 – Senior Civil Service pay band 1 \(Deputy Director\), this framework expects level 5/)
  assert.match(scs1, /<option value="SCS1" selected>/)
  assert.equal(count(scs1, /pathway-indicator--effective"/g), 59, 'every indicator is at level 5')
  assert.equal(count(scs1, /pathway-indicator--ineffective"/g), 59)
  const eo = main(await page(reader, `/frameworks/${id}?grade=EO`))
  assert.match(eo, /This framework has no level for grade EO – Executive Officer\. It sets levels for SCS1 only\./)
  assert.doesNotMatch(eo, /expects level/)
  const wrong = await reader.fetch(`/frameworks/${id}?grade=NOPE`)
  assert.equal(wrong.status, 422)
  const body = await wrong.text()
  assert.match(body, /<title>Error: /)
  assert.match(body, /<a href="#grade">Select a grade from the list<\/a>/)
})

test('the print-friendly view has no forms and says how to print', async () => {
  const html = main(await page(reader, `/frameworks/${id}?print=1&grade=SCS1`))
  assert.match(html, /print-friendly version of this page/)
  assert.doesNotMatch(html, /<form/)
  assert.match(html, /expects level 5/)
  assert.equal(count(html, /pathway-indicator--effective"/g), 59)
})

test('search finds words with highlighted matches that link to the item', async () => {
  const html = main(await page(reader, '/frameworks/search?q=stakeholder'))
  assert.match(html, /value="stakeholder"/)
  assert.match(html, /\d+ results? for ‘stakeholder’/)
  const marks = count(html, /<mark>stakeholders?<\/mark>/gi)
  assert.ok(marks >= 3, `expected several highlighted matches, found ${marks}`)
  assert.equal(count(html, /<mark>/g), count(html, /<\/mark>/g))
  const link = new RegExp(`href="&#x2F;frameworks&#x2F;${id}#([0-9a-f-]{36})"`).exec(html)
  assert.ok(link, 'each result links to an item of the framework')
  assert.match(await page(reader, `/frameworks/${id}`), new RegExp(`id="${link[1]}"`))
  assert.match(html, /govuk-tag--grey">Effective behaviour</)
})

test('search text with FTS syntax or markup is only words: no error, nothing unescaped', async () => {
  for (const q of ['"', 'NEAR(', '*', 'stakeholder*', '"stake', 'a OR b', '-x', 'NOT', '^', 'col:stake', "'", ')', '\u00e9t\u00e9']) {
    const res = await reader.fetch(`/frameworks/search?q=${encodeURIComponent(q)}`)
    assert.equal(res.status, 200, q)
  }
  const nothing = main(await page(reader, '/frameworks/search?q=%22'))
  assert.match(nothing, /No results for ‘&quot;’/)
  assert.match(nothing, /had no words in it/)
  const markup = main(await page(reader, `/frameworks/search?q=${encodeURIComponent('<script>alert(1)</script> stakeholder')}`))
  assert.doesNotMatch(markup, /<script>/)
  assert.match(markup, /&lt;script&gt;/)
  const none = main(await page(reader, '/frameworks/search?q=zzyzxqq'))
  assert.match(none, /No results for ‘zzyzxqq’/)
  const empty = main(await page(reader, '/frameworks/search'))
  assert.match(empty, /<form method="get" action="\/frameworks\/search"/)
  assert.doesNotMatch(empty, /results for|No results/)
  const long = await reader.fetch(`/frameworks/search?q=${'a'.repeat(300)}`)
  assert.equal(long.status, 422)
})

test('the API lists frameworks and returns their content', async () => {
  const list = await api('/api/v1/frameworks')
  assert.equal(list.status, 200)
  const { items } = await list.json()
  assert.deepEqual(items.map(f => [f.id, f.kind, f.published_version]), [[id, 'competency', 1]])
  const res = await api(`/api/v1/frameworks/${id}`)
  assert.equal(res.status, 200)
  const framework = await res.json()
  assert.equal(framework.id, id)
  assert.equal(framework.version, 1)
  assert.equal(framework.status, 'published')
  assert.equal(framework.kind, 'competency')
  assert.deepEqual(framework.grade_levels, [{ grade: 'SCS1', level: 5 }])
  assert.deepEqual(framework.rating_scale, [])
  assert.equal(framework.clusters.length, 3)
  const items10 = framework.clusters.flatMap(c => c.items)
  assert.equal(items10.length, 10)
  const indicators = items10.flatMap(i => i.indicators)
  assert.equal(indicators.filter(i => i.kind === 'effective').length, 59)
  assert.equal(indicators.filter(i => i.kind === 'ineffective').length, 59)
  assert.deepEqual(Object.keys(indicators[0]).sort(), ['id', 'kind', 'level', 'tags', 'text'])
  assert.deepEqual(items10[0].levels, [{ level: 5, label: 'SMS 1', description: '' }])
  const versions = await (await api(`/api/v1/frameworks/${id}/versions`)).json()
  assert.deepEqual(versions.items.map(v => [v.version, v.status]), [[1, 'published']])
  const one = await api(`/api/v1/frameworks/${id}/versions/1`)
  assert.equal(one.status, 200)
  assert.deepEqual(await one.json(), framework)
})

// A validator for one schema of api/openapi.json (its references point into the same
// document's components).
function openApiSchema (name) {
  const doc = JSON.parse(readFileSync(`${root}/api/openapi.json`, 'utf8'))
  const defs = JSON.parse(JSON.stringify(doc.components.schemas).replaceAll('#/components/schemas/', '#/$defs/'))
  const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true })
  addFormats(ajv)
  return ajv.compile({ $defs: defs, $ref: `#/$defs/${name}` })
}

test('the API answers match the schemas of the OpenAPI document', async () => {
  for (const [path, schema] of [['/api/v1/frameworks', 'FrameworkList'], [`/api/v1/frameworks/${id}`, 'Framework'],
    [`/api/v1/frameworks/${id}/versions`, 'FrameworkVersionList'], [`/api/v1/frameworks/${id}/versions/1`, 'Framework'],
    [`/api/v1/frameworks/${MISSING}`, 'Problem']]) {
    const validate = openApiSchema(schema)
    const body = await (await api(path)).json()
    assert.ok(validate(body), `${path}: ${JSON.stringify(validate.errors)}`)
  }
})

test('an unknown framework answers 404: a page, and a problem from the API', async () => {
  for (const path of [`/frameworks/${MISSING}`, '/frameworks/not-a-uuid', `/frameworks/${id}/versions/9`, `/frameworks/${id}/versions/x`, `/frameworks/${MISSING}/versions/1/diff?from=1`]) {
    const html = await page(reader, path, 404)
    assert.match(html, /Page not found/, path)
  }
  for (const path of [`/api/v1/frameworks/${MISSING}`, '/api/v1/frameworks/not-a-uuid', `/api/v1/frameworks/${MISSING}/versions`, `/api/v1/frameworks/${id}/versions/9`]) {
    const res = await api(path)
    assert.equal(res.status, 404, path)
    assert.equal(res.headers.get('content-type'), 'application/problem+json', path)
    assert.equal((await res.json()).code, 'not-found')
  }
  // Someone who is not an author cannot publish, retire or start drafts: 404, as if missing.
  const csrf = csrfOf(await page(reader, `/frameworks/${id}`))
  for (const path of [`/frameworks/${id}/versions/1/retire`, `/frameworks/${id}/drafts`]) {
    assert.equal((await reader.form(path, { 'csrf-token': csrf })).status, 404, path)
  }
})

test('a new draft, published, compares as unchanged; a second draft while one exists is a conflict', async () => {
  const csrf = csrfOf(await page(admin, `/frameworks/${id}`))
  const drafted = await admin.form(`/frameworks/${id}/drafts`, { 'csrf-token': csrf })
  assert.equal(drafted.status, 303)
  assert.equal(drafted.headers.get('location'), `/frameworks/${id}/versions/2?done=drafted`)
  const conflict = await admin.form(`/frameworks/${id}/drafts`, { 'csrf-token': csrf })
  assert.equal(conflict.status, 409)
  assert.match(await conflict.text(), /Version 2 is already a draft/)
  assert.equal((await admin.form(`/frameworks/${id}/versions/2/publish`, { 'csrf-token': csrf, confirm: 'yes' })).status, 303)
  const v2 = main(await page(reader, `/frameworks/${id}`))
  assert.match(v2, /<dd class="govuk-summary-list__value">2<\/dd>/)
  assert.match(v2, new RegExp(`href="&#x2F;frameworks&#x2F;${id}&#x2F;versions&#x2F;2&#x2F;diff\\?from=1"`))
  const diff = main(await page(reader, `/frameworks/${id}/versions/2/diff?from=1`))
  assert.match(diff, /Changes from version 1 to version 2/)
  assert.match(diff, /Nothing changed: version 2 is the same as version 1/)
  const defaultFrom = main(await page(reader, `/frameworks/${id}/versions/2/diff`))
  assert.match(defaultFrom, /Changes from version 1 to version 2/)
  const first = main(await page(reader, `/frameworks/${id}/versions/1/diff`))
  assert.match(first, /nothing to compare it with/)
  // Any two versions can be compared from the version history.
  assert.match(v2, /<select class="govuk-select" id="compare-from" name="from">/)
  const compared = await reader.fetch(`/frameworks/${id}/compare?from=1&to=2`)
  assert.equal(compared.status, 303)
  assert.equal(compared.headers.get('location'), `/frameworks/${id}/versions/2/diff?from=1`)
  assert.equal((await reader.fetch(`/frameworks/${id}/compare?from=x&to=2`)).status, 422)
  // Retiring asks for confirmation too.
  assert.equal((await admin.form(`/frameworks/${id}/versions/1/retire`, { 'csrf-token': csrf })).status, 422)
  // Retiring version 1 leaves it readable, marked as retired.
  assert.equal((await admin.form(`/frameworks/${id}/versions/1/retire`, { 'csrf-token': csrf, confirm: 'yes' })).status, 303)
  const retired = main(await page(reader, `/frameworks/${id}/versions/1`))
  assert.match(retired, /This version has been retired/)
  const versions = await (await api(`/api/v1/frameworks/${id}/versions`)).json()
  assert.deepEqual(versions.items.map(v => [v.version, v.status]), [[2, 'published'], [1, 'retired']])
})

test('the shipped demo framework: security behaviours tagged, emphasised for SC and DV posts, and the changes of version 2', async () => {
  // `pathway demo` ships version 1 and version 2 (security behaviours added) into a new database.
  const dir = server.dir
  const made = runPathway(['demo', '--db', `${dir}/demo-fw.db`, '--root', root, '--people', '200'])
  assert.equal(made.status, 0, made.stderr)
  const password = /admin@demo\.pathway\.test\s+(\S+)/.exec(made.stdout)[1]
  const shipped = await startPathway([], { db: `${dir}/demo-fw.db` })
  try {
    const client = new Browserless(shipped.base)
    assert.equal((await client.signIn('admin@demo.pathway.test', password)).status, 303)
    const { items } = JSON.parse(await page(client, '/api/v1/frameworks'))
    const cscf = items.find(f => f.title.startsWith('Civil Service Competency Framework')).id
    const html = main(await page(client, `/frameworks/${cscf}`))
    assert.equal(count(html, /<strong class="govuk-tag govuk-tag--red">Security<\/strong>/g), 15 + 1, '15 indicators and the explanation')
    assert.match(html, /Why security behaviours matter/)
    assert.match(html, /every grade/)
    assert.doesNotMatch(html, /Security behaviours for this post/)
    const sc = main(await page(client, `/frameworks/${cscf}?clearance=SC&grade=SCS1`))
    assert.match(sc, /Security behaviours for this post/)
    assert.equal(count(sc, /class="govuk-table__row pathway-security-row"/g), 15)
    assert.ok(sc.indexOf('Security behaviours for this post') < sc.indexOf('class="pathway-cluster"'), 'listed before the clusters')
    const none = main(await page(client, `/frameworks/${cscf}?clearance=BPSS`))
    assert.doesNotMatch(none, /Security behaviours for this post/)
    const diff = main(await page(client, `/frameworks/${cscf}/versions/2/diff?from=1`))
    assert.match(diff, /3 competencies changed: 0 added, 0 removed, 3 changed/)
    assert.match(diff, /15 indicators changed: 15 added, 0 removed, 0 changed/)
    assert.equal(count(diff, /class="govuk-table__row pathway-diff-indicator"/g), 15)
    const search = main(await page(client, '/frameworks/search?q=national%20security'))
    assert.match(search, /<mark>security<\/mark>/i)
    assert.match(search, /govuk-tag--red">Security</)
  } finally {
    await shipped.stop()
  }
})
