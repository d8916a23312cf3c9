// Issue 14 item 9: the talent match, capability map, pathways, gap and vacancy pages no
// longer carry every role level in a list. A role-level picker searches as you type
// (GOV.UK's accessible-autocomplete over /api/v1/role-levels/search, checked in
// tests/browser/engine.test.mjs); without JavaScript the same field takes a code or words
// from a title, and when several role levels match the page lists them to choose from.
// Signed in as the demo HR partner on a small demo workforce (every career framework,
// so all 2,000-odd role levels).
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { runPathway, startPathway, Browserless, root } from '../lib/pathway.mjs'

const unescape = text => text.replace(/&(amp|#x2F|#x3D|#x27|quot|#39);/g, (_, e) => ({ amp: '&', '#x2F': '/', '#x3D': '=', '#x27': "'", quot: '"', '#39': "'" })[e])

let dir, server, hr, anonymous, pathways

before(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'pathway-picker-'))
  const db = path.join(dir, 'demo.db')
  const created = runPathway(['demo', '--db', db, '--root', root, '--people', '300', '--seed', '9'])
  assert.equal(created.status, 0, created.stderr)
  const partner = created.stdout.match(/HR partner\s+(\S+@demo\.pathway\.test)\s+(demo-[0-9a-f-]+)/)
  assert.ok(partner, 'the demo prints an HR partner sign-in')
  server = await startPathway([], { db })
  hr = new Browserless(server.base)
  anonymous = new Browserless(server.base)
  assert.equal((await hr.signIn(partner[1], partner[2])).status, 303)
  const home = await (await hr.fetch('/')).text()
  const own = home.match(/href="((?:\/|&#x2F;)people(?:\/|&#x2F;)\d+(?:\/|&#x2F;)pathways)"/)
  assert.ok(own, 'the HR partner has a career link')
  pathways = unescape(own[1])
})

after(async () => {
  await server?.stop()
  if (dir) rmSync(dir, { recursive: true, force: true })
})

async function search (query, limit) {
  const params = new URLSearchParams({ q: query })
  if (limit !== undefined) params.set('limit', String(limit))
  return hr.fetch(`/api/v1/role-levels/search?${params}`)
}

test('the pages that ask for a role level stay under 100 KB and carry no list of role levels', async () => {
  const levels = await (await search('a', 50)).json()
  assert.ok(levels.total > 1000, `the demo has ${levels.total} role levels with an "a"`)
  for (const page of ['/talent/match', '/talent/match?mode=closest', '/capability', pathways]) {
    const res = await hr.fetch(page)
    assert.equal(res.status, 200, page)
    const body = await res.text()
    assert.ok(body.length < 100 * 1024, `${page} is ${body.length} bytes`)
    assert.doesNotMatch(body, /<datalist id="role-level-choices"/, page)
    assert.match(body, /data-role-level-picker/, page)
    assert.match(body, /accessible-autocomplete\.min\.js/, page)
  }
  // Pages without a picker do not load its script.
  assert.doesNotMatch(await (await hr.fetch('/account')).text(), /accessible-autocomplete/)
})

test('the search finds role levels by code or by words of the title, best first', async () => {
  const res = await search('developer', 5)
  assert.equal(res.status, 200)
  assert.match(res.headers.get('content-type'), /application\/json/)
  const found = await res.json()
  assert.ok(found.total > 5, `${found.total} developers`)
  assert.equal(found.role_levels.length, 5)
  for (const level of found.role_levels) {
    assert.match(`${level.code} ${level.title}`.toLowerCase(), /developer/)
    assert.equal(typeof level.profession, 'string')
  }
  // Every word must appear; case does not matter.
  const two = await (await search('SENIOR developer', 50)).json()
  assert.ok(two.total >= 1 && two.total < found.total)
  for (const level of two.role_levels) assert.match(`${level.code} ${level.title}`.toLowerCase(), /senior[\s\S]*developer|developer[\s\S]*senior/)
  // A code comes first when typed in full, in any case.
  const code = found.role_levels[0].code
  const exact = await (await search(code.toUpperCase(), 3)).json()
  assert.equal(exact.role_levels[0].code, code)
  // Nothing found is an empty list, not an error.
  assert.deepEqual(await (await search('zzqqxx')).json(), { total: 0, role_levels: [] })
})

test('the search refuses bad questions with a problem naming the field, and strangers', async () => {
  for (const [query, field] of [['/api/v1/role-levels/search', 'q'],
    ['/api/v1/role-levels/search?q=%20%20', 'q'],
    [`/api/v1/role-levels/search?q=${'a'.repeat(201)}`, 'q'],
    ['/api/v1/role-levels/search?q=dev&limit=0', 'limit'],
    ['/api/v1/role-levels/search?q=dev&limit=51', 'limit'],
    ['/api/v1/role-levels/search?q=dev&limit=ten', 'limit'],
    ['/api/v1/role-levels/search?q=%FF', 'q']]) {
    const res = await hr.fetch(query)
    assert.equal(res.status, 400, query)
    const problem = await res.json()
    assert.equal(problem.errors?.[0]?.field, field, `${query}: ${JSON.stringify(problem)}`)
  }
  assert.equal((await anonymous.fetch('/api/v1/role-levels/search?q=dev')).status, 401)
})

test('without JavaScript, words that match one role level stand for its code', async () => {
  const { role_levels: [level] } = await (await search('developer', 1)).json()
  // The whole title of one role level, if it is unique, finds just that one.
  const hits = await (await search(level.title, 50)).json()
  const typed = hits.total === 1 ? level.title : level.code.toLowerCase()
  const res = await hr.fetch(`/talent/match?role_level=${encodeURIComponent(typed)}`)
  assert.equal(res.status, 200)
  const body = await res.text()
  assert.match(body, /id="results-summary"/)
  assert.match(body, new RegExp(`value="${level.code.replace(/[.]/g, '\\.')}"`))
})

test('without JavaScript, words that match several role levels list them to choose from', async () => {
  const found = await (await search('developer', 50)).json()
  const res = await hr.fetch('/talent/match?role_level=developer&department=DWP')
  assert.equal(res.status, 422)
  const body = await res.text()
  assert.match(body, new RegExp(`‘developer’ matches ${found.total.toLocaleString('en-GB')} role levels`))
  assert.match(body, /govuk-error-summary/)
  const links = [...body.matchAll(/<li><a class="govuk-link" href="([^"]+)">/g)].map(m => unescape(m[1]))
  assert.equal(links.length, Math.min(10, found.total))
  assert.match(body, new RegExp(`and ${(found.total - 10).toLocaleString('en-GB')} more`))
  // Each choice keeps the other fields and names one role level.
  const chosen = new URL(links[0], server.base)
  assert.equal(chosen.searchParams.get('department'), 'DWP')
  assert.equal(chosen.searchParams.get('role_level'), found.role_levels[0].code)
  const answer = await hr.fetch(links[0])
  assert.equal(answer.status, 200)
  assert.match(await answer.text(), /id="results-summary"/)
  // The same on the pathways page (its field is `target`) and the capability map.
  const routes = await hr.fetch(`${pathways}?target=developer`)
  assert.equal(routes.status, 422)
  assert.match(await routes.text(), /‘developer’ matches/)
  const map = await hr.fetch('/capability?role_level=developer')
  assert.equal(map.status, 422)
  assert.match(await map.text(), /‘developer’ matches/)
})

test('without JavaScript, words that match nothing say so on the field', async () => {
  const res = await hr.fetch('/talent/match?role_level=zzqqxx')
  assert.equal(res.status, 422)
  const body = await res.text()
  assert.match(body, /No role level has ‘zzqqxx’ in its code or title/)
  assert.match(body, /id="role_level-error"/)
})
