// Issue 20 item 7: the "Closest to ready" tab of /talent/match opens as a page with its
// form (200, no error summary), not as a refused question. Signed in as the demo HR
// partner on a small demo workforce.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { runPathway, startPathway, Browserless, root } from '../lib/pathway.mjs'

// Attribute values come HTML-escaped (&amp;, &#x2F;, &#x3D;).
const unescape = text => text.replace(/&(amp|#x2F|#x3D|#x27|quot);/g, (_, e) => ({ amp: '&', '#x2F': '/', '#x3D': '=', '#x27': "'", quot: '"' })[e])

let dir
let server
let hr

function signIns (text) {
  return Object.fromEntries([...text.matchAll(/^\s+(.+?)\s{2,}(\S+@demo\.pathway\.test)\s+(demo-[0-9a-f-]+)/gm)].map(m => [m[1], { email: m[2], password: m[3] }]))
}

before(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'pathway-light-'))
  const db = path.join(dir, 'demo.db')
  const created = runPathway(['demo', '--db', db, '--root', root, '--people', '300', '--seed', '5'])
  assert.equal(created.status, 0, created.stderr)
  const partner = signIns(created.stdout)['HR partner']
  assert.ok(partner, 'the demo prints an HR partner sign-in')
  server = await startPathway([], { db })
  hr = new Browserless(server.base)
  assert.equal((await hr.signIn(partner.email, partner.password)).status, 303)
})

after(async () => {
  await server?.stop()
  if (dir) rmSync(dir, { recursive: true, force: true })
})

test('the Closest to ready tab opens with its form, without an error', async () => {
  const best = await hr.fetch('/talent/match')
  assert.equal(best.status, 200)
  const page = await best.text()
  const href = page.match(/href="([^"]*mode(?:=|&#x3D;)closest[^"]*)"/)
  assert.ok(href, 'the match page links to the Closest to ready tab')
  const tab = await hr.fetch(unescape(href[1]))
  assert.equal(tab.status, 200)
  const body = await tab.text()
  assert.match(body, /<h1 class="govuk-heading-l">Closest to ready<\/h1>/)
  assert.doesNotMatch(body, /govuk-error-summary/)
  assert.match(body, /<input type="hidden" name="mode" value="closest">/)
})

test('the Closest to ready tab still asks for a role level when the form is sent empty', async () => {
  const res = await hr.fetch('/talent/match?mode=closest&k=5')
  assert.equal(res.status, 422)
  assert.match(await res.text(), /Enter a role level code or at least one requirement/)
})

test('paging past the end says so and links to the last page', async () => {
  for (const list of ['/people', '/posts']) {
    const first = await (await hr.fetch(list)).text()
    const pages = first.match(/href="[^"]*[?&]page=(\d+)"[^>]*>\s*<span class="govuk-pagination__link-title">Next/)
    const past = await hr.fetch(`${list}?page=7000`)
    assert.equal(past.status, 200, list)
    const body = await past.text()
    assert.doesNotMatch(body, /Showing [\d,]+ to [\d,]+ of/, list)
    const said = body.match(/There is no page 7000; the last page is <a class="govuk-link" href="([^"]*)">(\d+)<\/a>/)
    assert.ok(said, `${list} says there is no page 7000`)
    if (pages) assert.match(unescape(said[1]), new RegExp(`[?&]page=${said[2]}$`))
    const last = await hr.fetch(unescape(said[1]))
    assert.equal(last.status, 200)
    const lastBody = await last.text()
    assert.match(lastBody, /Showing [\d,]+ to [\d,]+ of/, `${list}'s last page shows rows`)
    assert.doesNotMatch(lastBody, /There is no page/)
  }
})

test('links built from a filter form sent with empty fields carry only the set ones', async () => {
  const res = await hr.fetch('/people?q=&department=&profession=&grade_from=&grade_to=&region=&sort=grade&order=')
  assert.equal(res.status, 200)
  const body = await res.text()
  const hrefs = [...body.matchAll(/href="((?:\/|&#x2F;)people\?[^"]*)"/g)].map(m => unescape(m[1]))
  assert.ok(hrefs.length > 0, 'the page links to itself (sort, pages, CSV)')
  for (const href of hrefs) {
    for (const [key, value] of new URLSearchParams(href.split('?')[1])) {
      assert.notEqual(value, '', `${href} carries the empty parameter ${key}`)
    }
  }
})
