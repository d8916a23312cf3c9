// Issue 20 item 7: the largest pages stay light on the demo that `make run` creates
// (2,000 people). Every profession page, every role page and the draft editor of every
// framework the demo framework author may draft, with each of its items' pages, is
// under 100 KB; the profession page lists each role once and the editor's first page
// has a few buttons a cluster rather than a few an indicator.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { runPathway, startPathway, Browserless, root } from '../lib/pathway.mjs'

const LIMIT = 100 * 1024
const PEOPLE = '2000' // the Makefile's DEMO_PEOPLE

// Attribute values come HTML-escaped (&amp;, &#x2F;, &#x3D;).
const unescape = text => text.replace(/&(amp|#x2F|#x3D|#x27|quot);/g, (_, e) => ({ amp: '&', '#x2F': '/', '#x3D': '=', '#x27': "'", quot: '"' })[e])
const hrefs = (html, pattern) => [...new Set([...html.matchAll(/href="([^"]*)"/g)].map(m => unescape(m[1])).filter(h => pattern.test(h)))]

let dir
let server
let author

function signIns (text) {
  return Object.fromEntries([...text.matchAll(/^\s+(.+?)\s{2,}(\S+@demo\.pathway\.test)\s+(demo-[0-9a-f-]+)/gm)].map(m => [m[1], { email: m[2], password: m[3] }]))
}

// Fetches a page, expects 200 and a body under the limit, and answers its HTML.
async function light (url) {
  const res = await author.fetch(url)
  assert.equal(res.status, 200, `${url} answered ${res.status}`)
  const body = Buffer.from(await res.arrayBuffer())
  assert.ok(body.length < LIMIT, `${url} is ${body.length} bytes, over ${LIMIT}`)
  return body.toString('utf8')
}

before(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'pathway-size-'))
  const db = path.join(dir, 'demo.db')
  const created = runPathway(['demo', '--db', db, '--root', root, '--people', PEOPLE])
  assert.equal(created.status, 0, created.stderr)
  const users = signIns(created.stdout)
  server = await startPathway([], { db })
  author = new Browserless(server.base)
  const who = users['Framework author']
  assert.equal((await author.signIn(who.email, who.password)).status, 303)
})

after(async () => {
  await server?.stop()
  if (dir) rmSync(dir, { recursive: true, force: true })
})

test('every profession page and every role page is under 100 KB', async () => {
  const professions = await (await author.fetch('/api/v1/professions')).json()
  const list = professions.items ?? professions
  assert.ok(list.length > 0, 'the demo has professions')
  let roles = 0
  for (const profession of list) {
    const html = await light(`/professions/${profession.code}`)
    const links = hrefs(html, new RegExp(`^/professions/${profession.code}/roles/[^/#?]+$`))
    assert.equal(links.length, profession.roles, `${profession.code} links to each of its roles once`)
    for (const link of links) {
      const role = await light(link)
      assert.match(role, /<ol class="pathway-ladder"|This role has no levels yet/, link)
      // Moves lead to role pages, to the level (checked on each profession's first role).
      if (link !== links[0]) continue
      for (const move of hrefs(role, /^\/professions\/[^/]+\/roles\/[^/#?]+#level-/).slice(0, 3)) {
        const [page, level] = move.split('#')
        assert.match(await light(page), new RegExp(`id="${level}"`), move)
      }
    }
    roles += links.length
  }
  assert.ok(roles > 0, 'the demo has roles')
  assert.equal((await author.fetch(`/professions/${list[0].code}/roles/no-such-role`)).status, 404)
})

test('the draft editor and each of its item pages are under 100 KB', async () => {
  const csrf = await author.csrf('/account')
  const frameworks = await (await author.fetch('/api/v1/frameworks')).json()
  let drafted = 0
  for (const framework of frameworks.items) {
    const res = await author.form(`/frameworks/${framework.id}/drafts`, { 'csrf-token': csrf })
    if (res.status !== 303) continue // not this author's framework
    const version = /\/versions\/(\d+)/.exec(res.headers.get('location'))[1]
    const editor = `/frameworks/${framework.id}/versions/${version}/edit`
    const html = await light(editor)
    const draft = await (await author.fetch(`/api/v1/frameworks/${framework.id}/versions/${version}`)).json()
    const buttons = (html.match(/<button/g) ?? []).length
    assert.ok(buttons <= 3 * draft.clusters.length + 2, `${editor} has ${buttons} buttons for ${draft.clusters.length} clusters`)
    const items = hrefs(html, new RegExp(`^${editor}/items/[0-9a-f-]{36}$`))
    assert.equal(items.length, draft.clusters.reduce((n, c) => n + c.items.length, 0), 'each item is linked once')
    for (const item of items) await light(item)
    ++drafted
  }
  assert.ok(drafted > 0, 'the framework author drafts at least one framework')
})
