// Writing frameworks through the real binary on the demo database: the framework
// author starts a new draft of the Civil Service Competency Framework, adds, changes,
// moves and deletes indicators, adds a level, checks the draft and publishes it; the
// changes show on the page of what changed and in the API. A reader gets 404, a form
// without the CSRF token 403, a published version 409 and text that is too long 422.
// An administrator creates a new framework from scratch.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { startPathway, runPathway, Browserless, root } from '../lib/pathway.mjs'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'

let dir
let server
let author
let reader
let admin
let id // the Civil Service Competency Framework
let draft // the version the author drafts
let item // "Seeing the Big Picture" in the draft
let other // another item, for moving between clusters
let csrf
let readerCsrf

const main = html => html.slice(html.indexOf('<main'), html.indexOf('</main>'))
const csrfOf = html => /name="csrf-token" value="([^"]+)"/.exec(html)[1]
const base = () => `/frameworks/${id}/versions/${draft}`

function signIns (text) {
  return Object.fromEntries([...text.matchAll(/^\s+(.+?)\s{2,}(\S+@demo\.pathway\.test)\s+(demo-[0-9a-f-]+)/gm)].map(m => [m[1], { email: m[2], password: m[3] }]))
}

async function json (client, url) {
  const res = await client.fetch(url)
  assert.equal(res.status, 200, `${url} answered ${res.status}`)
  return res.json()
}

// The draft as the API sees it, and the item the tests work on.
async function draftItem (version = draft) {
  const framework = await json(author, `/api/v1/frameworks/${id}/versions/${version}`)
  for (const cluster of framework.clusters) {
    for (const candidate of cluster.items) if (candidate.id === item) return candidate
  }
  return undefined
}

const effective = it => it.indicators.filter(i => i.kind === 'effective')

// Sends an editor form and expects a redirect back to the editor with a notice: to the
// item's own page for changes to an item, its levels and indicators (`page` is that
// item's id), else to the editor's first page.
async function edit (suffix, fields, done, page = item) {
  const res = await author.form(`${base()}${suffix}`, { 'csrf-token': csrf, ...fields })
  const body = res.status === 303 ? '' : await res.text()
  assert.equal(res.status, 303, `${suffix} answered ${res.status}: ${main(body).slice(0, 2000)}`)
  const location = res.headers.get('location')
  const editor = page ? `${base()}/edit/items/${page}` : `${base()}/edit`
  assert.ok(location.startsWith(`${editor}?done=${done}`), location)
  return location
}

before(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'pathway-authoring-'))
  const db = path.join(dir, 'demo.db')
  const made = runPathway(['demo', '--db', db, '--root', root])
  assert.equal(made.status, 0, made.stderr)
  const users = signIns(made.stdout)
  server = await startPathway([], { db })
  author = new Browserless(server.base)
  assert.equal((await author.signIn(users['Framework author'].email, users['Framework author'].password)).status, 303)
  reader = new Browserless(server.base)
  assert.equal((await reader.signIn(users.Individual.email, users.Individual.password)).status, 303)
  admin = new Browserless(server.base)
  assert.equal((await admin.signIn(users.Administrator.email, users.Administrator.password)).status, 303)
  const list = await json(author, '/api/v1/frameworks')
  id = list.items.find(f => f.title.startsWith('Civil Service Competency Framework')).id
  csrf = await author.csrf('/account')
  readerCsrf = await reader.csrf('/account')
})
after(async () => {
  await server?.stop()
  if (dir) rmSync(dir, { recursive: true, force: true })
})

test('the author starts a new draft and opens it in the editor', async () => {
  const res = await author.form(`/frameworks/${id}/drafts`, { 'csrf-token': csrf })
  assert.equal(res.status, 303)
  draft = Number(/\/versions\/(\d+)\?done=drafted/.exec(res.headers.get('location'))[1])
  const framework = await json(author, `/api/v1/frameworks/${id}/versions/${draft}`)
  assert.equal(framework.status, 'draft')
  const items = framework.clusters.flatMap(c => c.items)
  item = items.find(i => i.title === 'Seeing the Big Picture').id
  other = framework.clusters[1].items[0].id
  const editor = await author.fetch(`${base()}/edit`)
  assert.equal(editor.status, 200)
  const outline = main(await editor.text()).replace(/&#x2F;/g, '/')
  assert.match(outline, /<h1 class="govuk-heading-l">Civil Service Competency Framework/)
  assert.match(outline, /Preview this draft and publish it/)
  // The first page lists each competency as a link to its own page; indicators and levels
  // are edited there, so the first page has a button only for each cluster's actions.
  assert.match(outline, new RegExp(`<li id="item-${item}"><a class="govuk-link" href="${base()}/edit/items/${item}">[^<]*Seeing the Big Picture</a>`))
  assert.doesNotMatch(outline, /effective indicator 1 of/)
  const clusters = framework.clusters.length
  assert.ok((outline.match(/<button/g) ?? []).length <= 3 * clusters + 2, 'buttons on the first page: three a cluster, Check and Add cluster')
  const itemPage = await author.fetch(`${base()}/edit/items/${item}`)
  assert.equal(itemPage.status, 200)
  const html = main(await itemPage.text())
  assert.match(html, new RegExp(`<h1 class="govuk-heading-l" id="item-${item}" tabindex="-1">[^<]*Seeing the Big Picture</h1>`))
  assert.match(html, /Delete<span class="govuk-visually-hidden"> effective indicator 1 of Seeing the Big Picture<\/span>/)
  assert.match(html, /Move down<span class="govuk-visually-hidden"> effective indicator 1 of Seeing the Big Picture<\/span>/)
  assert.doesNotMatch(html, /Move up<span class="govuk-visually-hidden"> effective indicator 1 of Seeing the Big Picture<\/span>/, 'the first cannot move up')
  assert.equal((await author.fetch(`${base()}/edit/items/0b1e7a3c-2f4d-4e5a-9b6c-7d8e9f0a1b2c`)).status, 404)
  // The add-an-indicator form opens from its link, with radios in a fieldset; an old
  // link to the first page opens the item's page too.
  const link = /href="([^"]*\?add(?:=|&#x3D;)indicator[^"]*)"/.exec(html)[1].replace(/&amp;/g, '&').replace(/&#x3D;/g, '=').replace(/&#x2F;/g, '/')
  assert.ok(link.startsWith(`${base()}/edit/items/${item}?add=indicator&to=${item}`), link)
  const form = main(await (await author.fetch(link)).text())
  const old = main(await (await author.fetch(`${base()}/edit?add=indicator&to=${item}`)).text())
  assert.match(old, /id="author-form-heading">Add an indicator to ‘Seeing the Big Picture’/)
  assert.match(form, /id="author-form-heading">Add an indicator to ‘Seeing the Big Picture’/)
  assert.match(form, /<legend class="govuk-fieldset__legend govuk-fieldset__legend--s">Type of indicator<\/legend>/)
  assert.match(form, /<input class="govuk-checkboxes__input" id="security" name="security" type="checkbox" value="yes" aria-describedby="security-hint">/)
})

test('the author adds an indicator tagged security, changes it, moves it up and deletes another', async () => {
  const before = await draftItem()
  const count = effective(before).length
  const location = await edit(`/items/${item}/indicators`, {
    kind: 'effective', text: 'Keep official information safe when working away from the office', level: '0', security: 'yes', tags: ''
  }, 'indicator-added')
  let after = await draftItem()
  const added = effective(after).at(-1)
  assert.equal(effective(after).length, count + 1)
  assert.equal(added.text, 'Keep official information safe when working away from the office')
  assert.deepEqual(added.tags, ['security'])
  assert.ok(location.endsWith(`#indicator-${added.id}`))
  const page = main(await (await author.fetch(location)).text())
  assert.match(page, /govuk-notification-banner--success/)
  assert.match(page, /The indicator has been added/)

  // Change it: new text, another tag, still security first.
  await edit(`/indicators/${added.id}/edit`, {
    kind: 'effective', text: 'Keep official information safe when working away from the office or at home', level: '5', security: 'yes', tags: 'Remote working, security'
  }, 'indicator-changed')
  after = await draftItem()
  const changed = after.indicators.find(i => i.id === added.id)
  assert.equal(changed.text, 'Keep official information safe when working away from the office or at home')
  assert.deepEqual(changed.tags, ['security', 'remote working'])
  assert.equal(changed.level, 5)

  // Move it up past its effective neighbour; the less effective ones stay where they were.
  const beforeMove = effective(after).map(i => i.id)
  await edit(`/indicators/${added.id}/move`, { direction: 'up' }, 'indicator-moved-up')
  after = await draftItem()
  const moved = effective(after).map(i => i.id)
  assert.deepEqual(moved.slice(0, -2), beforeMove.slice(0, -2))
  assert.deepEqual(moved.slice(-2), [beforeMove.at(-1), beforeMove.at(-2)])

  // Delete the first effective indicator.
  const first = effective(after)[0]
  await edit(`/indicators/${first.id}/delete`, { confirm: 'yes' }, 'indicator-deleted')
  after = await draftItem()
  assert.equal(after.indicators.find(i => i.id === first.id), undefined)
  assert.equal(effective(after).length, count)
})

test('the author adds a level, and a level already described is refused with the typed values kept', async () => {
  await edit(`/items/${item}/levels`, { level: '6', label: 'SMS 2', description: 'Sets the direction for a whole department' }, 'level-added')
  const after = await draftItem()
  assert.deepEqual(after.levels.map(l => l.level), [...after.levels.map(l => l.level)].sort((a, b) => a - b))
  assert.deepEqual(after.levels.find(l => l.level === 6), { level: 6, label: 'SMS 2', description: 'Sets the direction for a whole department' })
  const again = await author.form(`${base()}/items/${item}/levels`, { 'csrf-token': csrf, level: '6', label: 'Again', description: '' })
  assert.equal(again.status, 422)
  const html = await again.text()
  assert.match(html, /<title>Error: /)
  assert.match(html, /<a href="#level">Level 6 of ‘Seeing the Big Picture’ is already described: edit it instead<\/a>/)
  assert.match(html, /<p id="level-error" class="govuk-error-message">/)
  assert.match(html, /id="label" name="label" type="text" value="Again"/)
})

test('an item moves between clusters, and a cluster with items cannot be deleted', async () => {
  const framework = await json(author, `/api/v1/frameworks/${id}/versions/${draft}`)
  const [first, second] = framework.clusters
  assert.equal(second.items[0].id, other)
  await edit(`/items/${other}/move`, { direction: 'up' }, 'item-moved-up', other)
  const moved = await json(author, `/api/v1/frameworks/${id}/versions/${draft}`)
  assert.equal(moved.clusters[0].items.at(-1).id, other)
  assert.equal(moved.clusters[0].items.length, first.items.length + 1)
  await edit(`/items/${other}/move`, { direction: 'down' }, 'item-moved-down', other)
  assert.equal((await json(author, `/api/v1/frameworks/${id}/versions/${draft}`)).clusters[1].items[0].id, other)

  const refused = await author.form(`${base()}/clusters/${first.id}/delete`, { 'csrf-token': csrf, confirm: 'yes' })
  assert.equal(refused.status, 422)
  assert.match(await refused.text(), new RegExp(`<a href="#cluster-${first.id}">Delete or move the competencies ‘${first.title}’ holds before deleting it</a>`))
})

test('over-long text is refused with a GOV.UK message and changes nothing', async () => {
  const before = await draftItem()
  const res = await author.form(`${base()}/items/${item}/indicators`, {
    'csrf-token': csrf, kind: 'ineffective', text: 'x'.repeat(10000), level: '0', tags: ''
  })
  assert.equal(res.status, 422)
  const html = await res.text()
  assert.match(html, /<title>Error: /)
  assert.match(html, /<a href="#text">Indicator text must be 2,000 characters or fewer<\/a>/)
  assert.match(html, /<span class="govuk-visually-hidden">Error:<\/span> Indicator text must be 2,000 characters or fewer/)
  assert.match(html, /<input class="govuk-radios__input" id="kind-ineffective" name="kind" type="radio" value="ineffective" checked>/, 'the choice is kept')
  assert.deepEqual(await draftItem(), before)
  // An empty form names every missing answer.
  const empty = await author.form(`${base()}/items/${item}/indicators`, { 'csrf-token': csrf })
  assert.equal(empty.status, 422)
  const body = await empty.text()
  assert.match(body, /<a href="#text">Enter the text of the indicator<\/a>/)
  assert.match(body, /<a href="#kind">Select whether the indicator is effective or less effective<\/a>/)
})

test('a form aimed at something deleted meanwhile is a conflict shown on the editor', async () => {
  const res = await author.form(`${base()}/indicators/0b1e7a3c-2f4d-4e5a-9b6c-7d8e9f0a1b2c/delete`, { 'csrf-token': csrf, confirm: 'yes' })
  assert.equal(res.status, 409)
  assert.match(await res.text(), /<a href="#draft-status">The indicator you chose is no longer in this draft/)
})

test('a reader gets 404 from the editor and its forms; a form without the CSRF token gets 403', async () => {
  assert.equal((await reader.fetch(`${base()}/edit`)).status, 404)
  assert.equal((await reader.fetch('/frameworks/new')).status, 404)
  const before = await draftItem()
  const res = await reader.form(`${base()}/items/${item}/indicators`, {
    'csrf-token': readerCsrf, kind: 'effective', text: 'Not mine to add', level: '0'
  })
  assert.equal(res.status, 404)
  const forged = await author.form(`${base()}/items/${item}/indicators`, {
    'csrf-token': 'forged', kind: 'effective', text: 'Forged', level: '0'
  })
  assert.equal(forged.status, 403)
  const missing = await author.form(`${base()}/indicators/${before.indicators[0].id}/delete`, {})
  assert.equal(missing.status, 403)
  assert.deepEqual(await draftItem(), before)
})

test('the author checks the draft, publishes it, and the change shows in what changed', async () => {
  const checked = main(await (await author.fetch(`${base()}/edit?check=1`)).text())
  assert.match(checked, /No problems found\. This draft is ready to publish\./)
  const res = await author.form(`${base()}/publish`, { 'csrf-token': csrf, confirm: 'yes' })
  assert.equal(res.status, 303)
  const diff = main(await (await reader.fetch(`${base()}/diff`)).text())
  assert.match(diff, /Keep official information safe when working away from the office or at home/)
  assert.match(diff, /Removed/)
  assert.match(diff, /Level 6 changed|Levels? [0-9, ]*6 changed/)
  const published = await json(reader, `/api/v1/frameworks/${id}`)
  assert.equal(published.version, draft)
})

test('editing a published version is refused with a clear error and changes nothing', async () => {
  const before = await draftItem()
  const res = await author.form(`${base()}/items/${item}/indicators`, {
    'csrf-token': csrf, kind: 'effective', text: 'Too late', level: '0'
  })
  assert.equal(res.status, 409)
  const html = await res.text()
  assert.match(html, /<title>Error: /)
  assert.match(html, /<a href="#draft-status">A published version never changes: start a new draft<\/a>/)
  assert.match(html, /so it cannot be changed/)
  assert.doesNotMatch(main(html), /Add an indicator/)
  assert.deepEqual(await draftItem(), before)
})

test('an administrator creates a framework: errors first, then a draft with a cluster and an item', async () => {
  const page = await admin.fetch('/frameworks/new')
  assert.equal(page.status, 200)
  const adminCsrf = csrfOf(await page.text())
  // Creating is for administrators and framework authors (tests/blackbox/roles-and-messages.test.mjs);
  // a reader with no framework role may not.
  assert.equal((await reader.fetch('/frameworks/new')).status, 404, 'a reader cannot create frameworks')
  const refused = await reader.form('/frameworks/new', { 'csrf-token': readerCsrf, title: 'Mine', kind: 'technical' })
  assert.equal(refused.status, 404)

  const bad = await admin.form('/frameworks/new', { 'csrf-token': adminCsrf, title: '', description: 'Kept <as typed>' })
  assert.equal(bad.status, 422)
  const html = await bad.text()
  assert.match(html, /<title>Error: Create a framework - Pathway<\/title>/)
  assert.ok(html.indexOf('govuk-error-summary') < html.indexOf('<h1'), 'the summary is above the h1')
  assert.match(html, /<a href="#title">Enter a title for the framework<\/a>/)
  assert.match(html, /<a href="#kind">Select the kind of framework<\/a>/)
  assert.match(html, /Kept &lt;as typed&gt;<\/textarea>/)

  const made = await admin.form('/frameworks/new', { 'csrf-token': adminCsrf, title: 'Data Capability Framework', kind: 'technical', description: 'Skills for data roles.' })
  assert.equal(made.status, 303)
  const location = made.headers.get('location')
  const [, newId] = /^\/frameworks\/([0-9a-f-]{36})\/versions\/1\/edit\?done=framework-created$/.exec(location)
  assert.match(newId, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/, 'a random UUID')
  const editor = main(await (await admin.fetch(location)).text())
  assert.match(editor, /The framework has been created as a draft/)
  assert.match(editor, /This framework has no clusters yet/)
  const check = main(await (await admin.fetch(`${location.replace(/\?.*$/, '')}?check=1`)).text())
  assert.match(check, /1 problem to fix before this draft can be published/)
  assert.match(check, /<a class="govuk-link" href="#add-cluster">A published framework must have at least one skill<\/a>/)
  assert.match(check, /id="add-cluster"/)

  const v1 = `/frameworks/${newId}/versions/1`
  const cluster = await admin.form(`${v1}/clusters`, { 'csrf-token': adminCsrf, title: 'Data engineering', subtitle: '', description: '' })
  assert.equal(cluster.status, 303)
  let framework = await json(admin, `/api/v1/frameworks/${newId}`)
  const clusterId = framework.clusters[0].id
  const noTitle = await admin.form(`${v1}/clusters/${clusterId}/items`, { 'csrf-token': adminCsrf, title: ' ', number: 'three' })
  assert.equal(noTitle.status, 422)
  const noTitleHtml = await noTitle.text()
  assert.match(noTitleHtml, /<a href="#title">Enter a title for the skill<\/a>/)
  assert.match(noTitleHtml, /<a href="#number">Number must be a whole number from 1 to 999, or leave it empty<\/a>/)
  assert.match(noTitleHtml, /id="number" name="number" type="text" inputmode="numeric" spellcheck="false" value="three"/)
  const added = await admin.form(`${v1}/clusters/${clusterId}/items`, { 'csrf-token': adminCsrf, title: 'Data modelling', number: '1', description: '' })
  assert.equal(added.status, 303)
  framework = await json(admin, `/api/v1/frameworks/${newId}`)
  assert.equal(framework.kind, 'technical')
  assert.equal(framework.status, 'draft')
  assert.equal(framework.clusters[0].items[0].title, 'Data modelling')
  // A number used twice is refused by the framework's own rules, on the number field.
  const twice = await admin.form(`${v1}/clusters/${clusterId}/items`, { 'csrf-token': adminCsrf, title: 'Data quality', number: '1', description: '' })
  assert.equal(twice.status, 422)
  assert.match(await twice.text(), /<a href="#number">Number 1 is used by more than one skill<\/a>/)
  // The reader cannot see the draft at all.
  assert.equal((await reader.fetch(`${v1}/edit`)).status, 404)
  assert.equal((await reader.fetch(`/api/v1/frameworks/${newId}`)).status, 404)
})
