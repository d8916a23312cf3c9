// The CASE 1.1 read API a CASE consumer uses: list, documents, packages, items and
// associations of published frameworks, with imsx_StatusInfo errors.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import Ajv2020 from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'
import { root, runPathway, startPathway } from '../lib/pathway.mjs'

const BASE = '/ims/case/v1p1'
let server
let dir
let token

function schemaValidator () {
  const shared = path.resolve(root, '../shared/standards/case-v1p1-cfpackage-schema.json')
  const file = existsSync(shared) ? shared : path.join(root, 'src/interchange/testdata/case-v1p1-cfpackage-schema.json')
  const schema = JSON.parse(readFileSync(file, 'utf8'))
  schema.$schema = 'https://json-schema.org/draft/2020-12/schema'
  const ajv = new Ajv2020({ allErrors: true, strict: true })
  addFormats(ajv)
  return ajv.compile(schema)
}

async function get (url, auth = true) {
  const res = await fetch(`${server.base}${url}`, { headers: auth ? { authorization: `Bearer ${token}` } : {} })
  return { status: res.status, headers: res.headers, body: await res.json() }
}

before(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'pathway-case-api-'))
  const db = path.join(dir, 'demo.db')
  assert.equal(runPathway(['demo', '--db', db, '--root', root, '--people', '200']).status, 0)
  token = runPathway(['token', 'create', '--db', db, '--root', root, '--email', 'ben.okafor@demo.pathway.test']).stdout.trim()
  server = await startPathway([], { db })
})
after(async () => {
  await server?.stop()
  rmSync(dir, { recursive: true, force: true })
})

test('CFDocuments lists published frameworks with paging, sorting, filtering and field selection', async () => {
  // The demo publishes the two shipped frameworks and each profession's career framework.
  const all = await get(`${BASE}/CFDocuments?limit=100`)
  assert.equal(all.status, 200)
  const titles = all.body.CFDocuments.map(d => d.title)
  assert.equal(all.headers.get('x-total-count'), String(titles.length))
  assert.ok(titles.length > 2)
  for (const shipped of ['Civil Service Competency Framework By Grade – SMS 1', 'Success Profiles: Behaviours']) {
    assert.ok(titles.includes(shipped), shipped)
  }
  const byTitle = [...titles].sort((a, b) => a < b ? -1 : a > b ? 1 : 0)
  const desc = await get(`${BASE}/CFDocuments?sort=title&orderBy=desc&limit=1`)
  assert.equal(desc.body.CFDocuments.length, 1)
  assert.equal(desc.body.CFDocuments[0].title, byTitle.at(-1))
  const second = await get(`${BASE}/CFDocuments?sort=title&limit=1&offset=1`)
  assert.equal(second.body.CFDocuments[0].title, byTitle[1])
  const filtered = await get(`${BASE}/CFDocuments?filter=${encodeURIComponent("title~'success'")}`)
  assert.deepEqual(filtered.body.CFDocuments.map(d => d.title), ['Success Profiles: Behaviours'])
  const fields = await get(`${BASE}/CFDocuments?fields=identifier,title`)
  assert.deepEqual(Object.keys(fields.body.CFDocuments[0]).sort(), ['identifier', 'title'])
  for (const bad of ['limit=0', 'limit=x', 'orderBy=sideways', 'filter=nonsense']) {
    const res = await get(`${BASE}/CFDocuments?${bad}`)
    assert.equal(res.status, 400, bad)
    assert.equal(res.body.imsx_codeMajor, 'failure')
  }
})

test('packages validate against the CASE 1.1 schema, and items and associations are found by identifier', async () => {
  const validate = schemaValidator()
  const docs = (await get(`${BASE}/CFDocuments?limit=100`)).body.CFDocuments
  // The two shipped frameworks and one career framework: the rest are built the same way.
  const sample = docs.filter(d => !d.title.includes('career framework')).concat(docs.filter(d => d.title.includes('career framework')).slice(0, 1))
  assert.equal(sample.length, 3)
  for (const doc of sample) {
    const document = await get(`${BASE}/CFDocuments/${doc.identifier}`)
    assert.equal(document.status, 200)
    assert.equal(document.body.identifier, doc.identifier)
    const pkg = await get(`${BASE}/CFPackages/${doc.identifier}`)
    assert.equal(pkg.status, 200)
    assert.ok(validate(pkg.body), JSON.stringify(validate.errors?.slice(0, 3)))
    assert.match(pkg.body.CFDocument.uri, /^http:\/\/127\.0\.0\.1:\d+\/ims\/case\/v1p1\/CFDocuments\//)
    const item = pkg.body.CFItems[5]
    const found = await get(`${BASE}/CFItems/${item.identifier}`)
    assert.equal(found.status, 200)
    assert.deepEqual(found.body, item)
    const association = pkg.body.CFAssociations[3]
    const foundAssociation = await get(`${BASE}/CFAssociations/${association.identifier}`)
    assert.deepEqual(foundAssociation.body, association)
  }
  // The competency framework served is version 2, with the security behaviours.
  const cscf = docs.find(d => d.title.startsWith('Civil Service'))
  const pkg = (await get(`${BASE}/CFPackages/${cscf.identifier}`)).body
  assert.ok(pkg.CFItems.some(i => (i.conceptKeywords ?? []).includes('security')))
})

test('unknown identifiers answer 404 and requests without a token 401, as imsx_StatusInfo', async () => {
  const missing = await get(`${BASE}/CFItems/00000000-0000-4000-8000-000000000000`)
  assert.equal(missing.status, 404)
  assert.equal(missing.body.imsx_codeMinor.imsx_codeMinorField[0].imsx_codeMinorFieldValue, 'unknownobject')
  const anonymous = await get(`${BASE}/CFDocuments`, false)
  assert.equal(anonymous.status, 401)
  assert.equal(anonymous.body.imsx_codeMajor, 'failure')
  const post = await fetch(`${server.base}${BASE}/CFDocuments`, { method: 'POST', headers: { authorization: `Bearer ${token}` } })
  assert.equal(post.status, 405)
})

test('a framework version downloads as CSV or CASE JSON from its page', async () => {
  const docs = (await get(`${BASE}/CFDocuments`)).body.CFDocuments
  const cscf = docs.find(d => d.title.startsWith('Civil Service'))
  const url = `${server.base}/frameworks/${cscf.identifier}/versions/2/download`
  const auth = { headers: { authorization: `Bearer ${token}` } }
  const csv = await fetch(`${url}?format=csv`, auth)
  assert.equal(csv.status, 200)
  assert.match(csv.headers.get('content-type'), /^text\/csv/)
  assert.match(csv.headers.get('content-disposition'), /^attachment; filename="framework-[0-9a-f-]+-v2\.csv"$/)
  assert.match(await csv.text(), /^type,id,parent,order,level,title,text,polarity,tags\n/)
  const caseJson = await fetch(`${url}?format=case`, auth)
  assert.equal(caseJson.status, 200)
  assert.ok(schemaValidator()(await caseJson.json()))
  assert.equal((await fetch(`${url}?format=xml`, auth)).status, 422)
  assert.equal((await fetch(`${server.base}/frameworks/${cscf.identifier}/versions/9/download`, auth)).status, 404)
})

test('a version published by another process is served at once, not from a stale cache', async () => {
  const before = await get(`${BASE}/CFDocuments?limit=1000`)
  assert.equal(before.status, 200)
  const id = '1faf6d88-2398-4c37-876e-57b4263ea4d6' // the shipped Success Profiles behaviours
  const old = before.body.CFDocuments.find((d) => d.identifier === id)
  assert.ok(old, 'the shipped behaviours are published')
  // Read once more so that the answer is cached, then publish a new version from the CLI.
  assert.equal((await get(`${BASE}/CFDocuments?limit=1000`)).status, 200)
  const imported = runPathway(['import', 'framework', '--db', server.db, '--root', root, '--format', 'csv',
    path.join(root, 'data/frameworks/success-profiles-behaviours.csv')])
  assert.equal(imported.status, 0, imported.stderr)
  const after = await get(`${BASE}/CFDocuments?limit=1000`)
  const now = after.body.CFDocuments.find((d) => d.identifier === id)
  assert.equal(Number(now.version), Number(old.version) + 1)
})
