// Career routes agree with "roles you are closest to now", end to end on the demo (its
// default size, where Ben Okafor's case was found): for every role level his
// closest-roles list shows, the best route teaches no more than the listed gap (nothing
// for a role he already meets), at any step limit; a target too far up answers no route
// with the reason, in the API (schema-checked) and on his pathways page; bad input is a
// 400 naming the field.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import Ajv2020 from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'
import { Browserless, root, runPathway, startPathway } from '../lib/pathway.mjs'

const BEN = 3 // DWP-0003: the demo stores its cast first, in order
const GRADES = ['AA', 'AO', 'EO', 'HEO', 'SEO', 'G7', 'G6', 'SCS1', 'SCS2', 'SCS3']
let server
let dir
let token
let users

function signIns (text) {
  return Object.fromEntries([...text.matchAll(/^\s+(.+?)\s{2,}(\S+@demo\.pathway\.test)\s+(demo-[0-9a-f-]+)/gm)].map(m => [m[1], { email: m[2], password: m[3] }]))
}

function routeResultSchema () {
  const doc = JSON.parse(readFileSync(`${root}/api/openapi.json`, 'utf8'))
  const defs = JSON.parse(JSON.stringify(doc.components.schemas).replaceAll('#/components/schemas/', '#/$defs/'))
  const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true })
  addFormats(ajv)
  return ajv.compile({ $defs: defs, $ref: '#/$defs/RouteResult' })
}

async function get (url) {
  const res = await fetch(`${server.base}${url}`, { headers: { authorization: `Bearer ${token}` } })
  return { status: res.status, body: await res.json() }
}

before(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'pathway-routes-'))
  const db = path.join(dir, 'demo.db')
  const created = runPathway(['demo', '--db', db, '--root', root])
  assert.equal(created.status, 0, created.stderr)
  users = signIns(created.stdout)
  token = runPathway(['token', 'create', '--db', db, '--root', root, '--email', 'ben.okafor@demo.pathway.test']).stdout.trim()
  server = await startPathway([], { db })
})

after(async () => {
  await server?.stop()
  rmSync(dir, { recursive: true, force: true })
})

test("every role in Ben's closest-roles list has a route that teaches no more than its listed gap", async () => {
  const me = await get(`/api/v1/people/${BEN}`)
  assert.equal(me.status, 200)
  assert.match(JSON.stringify(me.body), /Ben Okafor/)
  const closest = await get(`/api/v1/people/${BEN}/closest-roles`)
  assert.equal(closest.status, 200)
  const listed = closest.body.items
  assert.ok(listed.length > 0)
  assert.ok(listed.some(r => r.gap === 0), 'the demo gives Ben roles he already meets')
  const validate = routeResultSchema()
  for (const role of listed) {
    for (const steps of [1, 4, 8]) {
      const { status, body } = await get(`/api/v1/people/${BEN}/routes?target=${encodeURIComponent(role.role_level)}&max_steps=${steps}&k=3`)
      const where = `${role.role_level} (gap ${role.gap}) within ${steps} steps`
      assert.equal(status, 200, where)
      assert.ok(validate(body), `${where}: ${JSON.stringify(validate.errors)}`)
      assert.equal(body.no_route, null, where)
      assert.ok(body.routes.length >= 1, `${where}: no route`)
      assert.ok(body.routes[0].total_gap <= role.gap, `${where}: the best route teaches ${body.routes[0].total_gap}`)
      if (role.gap === 0) assert.equal(body.routes[0].total_gap, 0, where)
      for (const route of body.routes) {
        assert.ok(route.steps.length <= steps, where)
        assert.equal(route.steps.at(-1).role_level, role.role_level, where)
        assert.equal(route.total_gap, route.steps.reduce((n, s) => n + s.gap, 0), where)
      }
    }
  }
})

test('a target too far up answers no route with the reason, in the API and on the page', async () => {
  const me = await get(`/api/v1/people/${BEN}`)
  const grade = JSON.stringify(me.body).match(/"grade":"([A-Z0-9]+)"/)[1]
  const far = GRADES[GRADES.indexOf(grade) + 3]
  const levels = await get(`/api/v1/role-levels?grade=${far}&limit=50`)
  assert.equal(levels.status, 200)
  const target = levels.body.items.find(l => GRADES.indexOf(l.grade_min) >= GRADES.indexOf(grade) + 2)
  assert.ok(target, `a role level from ${far} up`)
  const { status, body } = await get(`/api/v1/people/${BEN}/routes?target=${encodeURIComponent(target.code)}&max_steps=1`)
  assert.equal(status, 200)
  assert.ok(routeResultSchema()(body))
  assert.deepEqual(body.routes, [])
  assert.ok(['grade_too_high', 'too_many_steps'].includes(body.no_route.code), body.no_route.code)
  assert.match(body.no_route.reason, new RegExp(`needs grade ${target.grade_min} or above, more than one grade above ${grade}`))
  if (body.no_route.code === 'too_many_steps') assert.ok(body.no_route.fewest_steps > 1)

  const ben = new Browserless(server.base)
  assert.equal((await ben.signIn(users.Individual.email, users.Individual.password)).status, 303)
  const res = await ben.fetch(`/people/${BEN}/pathways?target=${encodeURIComponent(target.code)}&max_steps=1`)
  assert.equal(res.status, 200)
  const html = await res.text()
  const inset = html.match(/<div class="govuk-inset-text" id="no-route">([\s\S]*?)<\/div>/)
  assert.ok(inset, 'the page says there is no route')
  assert.match(inset[1], /No route reaches this role level within these limits/)
  assert.match(inset[1], new RegExp(`more than one grade above ${grade}`))

  // A role level he meets: the page lists a route with nothing to learn.
  const closest = await get(`/api/v1/people/${BEN}/closest-roles`)
  const met = closest.body.items.find(r => r.gap === 0)
  const page = await (await ben.fetch(`/people/${BEN}/pathways?target=${encodeURIComponent(met.role_level)}`)).text()
  assert.match(page, /Route 1: 0 levels to learn/)
})

test('bad route questions are a 400 problem naming the field', async () => {
  const closest = await get(`/api/v1/people/${BEN}/closest-roles`)
  const target = encodeURIComponent(closest.body.items[0].role_level)
  for (const [query, field] of [
    [`target=${target}&max_steps=0`, 'max_steps'],
    [`target=${target}&max_steps=9`, 'max_steps'],
    [`target=${target}&k=6`, 'k'],
    ['target=no-such-level', 'target'],
    ['', 'target']
  ]) {
    const { status, body } = await get(`/api/v1/people/${BEN}/routes?${query}`)
    assert.equal(status, 400, query)
    assert.equal(body.errors[0].field, field, query)
  }
})
