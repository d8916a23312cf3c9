// The people and posts lists sort by every column they show, and the posts list shows each
// post's holder with their clearance against the post's (to those who see clearances).
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
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
