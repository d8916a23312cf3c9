// The people and posts lists sort by every column they show, and the posts list shows each
// post's holder with their clearance against the post's (to those who see clearances).
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { runPathway, startPathway, Browserless, root } from '../lib/pathway.mjs'

let dir, db, server, users, post

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

before(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'pathway-lists-'))
  db = path.join(dir, 'demo.db')
  const made = runPathway(['demo', '--db', db, '--root', root, '--seed', '7', '--people', '300'])
  assert.equal(made.status, 0, made.stderr)
  users = Object.fromEntries([...made.stdout.matchAll(/^\s+(.+?)\s{2,}(\S+@demo\.pathway\.test)\s+(demo-[0-9a-f-]+)/gm)].map(m => [m[1], { email: m[2], password: m[3] }]))
  // One DWP post needs SC while its holder has BPSS.
  post = sql("SELECT po.external_id FROM post po JOIN person h ON h.post_id = po.id WHERE h.department = 'DWP' AND h.clearance_level = 'BPSS' ORDER BY po.external_id LIMIT 1")
  assert.ok(post)
  sql(`UPDATE post SET clearance = 'SC' WHERE external_id = '${post}'`)
  server = await startPathway([], { db })
})
after(async () => {
  await server?.stop()
  rmSync(dir, { recursive: true, force: true })
})

const rank = { BPSS: 1, CTC: 2, SC: 3, DV: 4 }

test('the posts list sorts by each of its columns and shows holders against the post\'s clearance', async () => {
  const dev = await as('HR partner')
  for (const key of ['reference', 'role', 'grade', 'department', 'region', 'clearance', 'status', 'holder']) {
    for (const order of ['asc', 'desc']) {
      const res = await dev.fetch(`/posts?sort=${key}&order=${order}`)
      assert.equal(res.status, 200, `${key} ${order}`)
      const page = await res.text()
      const header = new RegExp(`aria-sort="${order === 'asc' ? 'ascending' : 'descending'}"><a[^>]*href="[^"]*sort=${key}`)
      assert.match(page, header, `${key} ${order} is marked`)
    }
  }
  const byClearance = (await (await dev.fetch("/api/v1/posts?sort=clearance&order=asc&limit=200")).json()).items
  const ranks = byClearance.map(p => rank[p.clearance])
  assert.deepEqual(ranks, [...ranks].sort((x, y) => x - y))
  const byHolder = (await (await dev.fetch('/api/v1/posts?sort=holder&order=desc&limit=200')).json()).items
  const names = byHolder.filter(p => p.holder_name).map(p => p.holder_name)
  assert.deepEqual(names, [...names].sort((x, y) => (x < y ? 1 : x > y ? -1 : 0)))

  const below = (await (await dev.fetch('/api/v1/posts?limit=200&sort=reference')).json()).items.find(p => p.external_id === post)
  assert.equal(below.clearance, 'SC')
  assert.equal(below.holder_clearance, 'BPSS')
  assert.equal(below.holder_below_clearance, true)
  const page = await (await dev.fetch(`/posts?sort=reference&clearance=SC`)).text()
  assert.match(page, /Below the post&#39;s SC|Below the post's SC/)
  // A head of profession sees who holds a post, not their clearance.
  const femi = await as('Head of profession')
  const theirs = (await (await femi.fetch('/api/v1/posts?limit=200')).json()).items
  assert.ok(theirs.some(p => p.holder_name))
  assert.ok(theirs.every(p => p.holder_clearance === null && p.holder_below_clearance === false))
})

test('the people list sorts by each of its columns', async () => {
  const dev = await as('HR partner')
  for (const key of ['name', 'grade', 'department', 'start_date', 'profession', 'region']) {
    const res = await dev.fetch(`/people?sort=${key}&order=desc`)
    assert.equal(res.status, 200, key)
    assert.match(await res.text(), new RegExp(`aria-sort="descending"><a[^>]*href="[^"]*sort=${key}`))
  }
  const chloe = await as('Line manager')
  const team = await chloe.fetch('/team?sort=line_manager&order=asc')
  assert.equal(team.status, 200)
  assert.match(await team.text(), /aria-sort="ascending"><a[^>]*href="[^"]*sort=line_manager/)
  const byRegion = (await (await dev.fetch('/api/v1/people?sort=region&order=asc&limit=200')).json()).items
  const names = Object.fromEntries(sql("SELECT code || '|' || name FROM region").split('\n').map(line => line.split('|')))
  const regions = byRegion.map(p => names[p.region] ?? '')
  assert.ok(new Set(regions).size > 1)
  assert.deepEqual(regions, [...regions].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0)))
})

// A list's total is kept until the workforce changes, and so are the filter's departments
// and professions (and the option lists of a page that chooses nothing): a write by
// another process, here the command line, shows on the next page.
test('a list\'s total and its filter\'s names follow a write by another process', async () => {
  const dev = await as('HR partner')
  const totalOf = page => Number(page.match(/Showing 1 to \d+ of ([\d,]+) people/)[1].replace(/,/g, ''))
  const first = await (await dev.fetch('/people')).text()
  const before = totalOf(first)
  assert.equal(before, Number(sql("SELECT COUNT(*) FROM person WHERE department = 'DWP'")))
  assert.match(first, /<option value="" selected>Any department<\/option>/)
  assert.match(first, /<option value="DWP">Department for Work and Pensions<\/option>/)
  assert.doesNotMatch(first, /<option value="DWP" selected>/)
  // Each row's department is named from the same names.
  assert.match(first, /<td class="govuk-table__cell">Department for Work and Pensions<\/td>/)
  // A page that chooses a department marks it, and "Any department" is no longer chosen.
  const chosen = await (await dev.fetch('/people?department=DWP&grade_from=eo')).text()
  assert.match(chosen, /<option value="DWP" selected>Department for Work and Pensions<\/option>/)
  assert.match(chosen, /<option value="">Any department<\/option>/)
  assert.match(chosen, /<option value="EO" selected>EO<\/option>/)
  assert.equal(totalOf(await (await dev.fetch('/people')).text()), before)

  const location = sql("SELECT code FROM location ORDER BY code LIMIT 1")
  const profession = sql("SELECT code FROM profession ORDER BY code LIMIT 1")
  const org = path.join(dir, 'org.csv')
  writeFileSync(org, 'type,code,name,department,parent_unit,region\n' +
    'department,DWP,Department for Work and Pensions (renamed),,,\n')
  let res = runPathway(['import', 'org', '--db', db, '--root', root, org])
  assert.equal(res.status, 0, res.stderr)
  const people = path.join(dir, 'people.csv')
  writeFileSync(people, 'external_id,name,grade,department,location,profession,other_professions,post,line_manager,clearance_level,clearance_status,clearance_granted,clearance_review_due,start_date\n' +
    `LISTS-NEW-1,Zara Newcomer,HEO,DWP,${location},${profession},,,,,,,,2024-01-02\n`)
  res = runPathway(['import', 'people', '--db', db, '--root', root, people])
  assert.equal(res.status, 0, res.stderr)

  const later = await (await dev.fetch('/people')).text()
  assert.equal(totalOf(later), before + 1)
  assert.match(later, /<option value="DWP">Department for Work and Pensions \(renamed\)<\/option>/)
  assert.match(later, /<option value="" selected>Any department<\/option>/)
  assert.match(later, /<td class="govuk-table__cell">Department for Work and Pensions \(renamed\)<\/td>/)
  assert.doesNotMatch(later, /<td class="govuk-table__cell">Department for Work and Pensions<\/td>/)
  const api = await (await dev.fetch('/api/v1/people?limit=1')).json()
  assert.equal(api.total, before + 1)
})
