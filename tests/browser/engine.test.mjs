// The workforce engine's pages in Chromium: talent match (best match and closest to
// ready, per-requirement has/needs, CSV), the capability map (an accessible SVG heatmap
// whose cell values equal the table under it) and a person's career pathways (route
// diagram and the same routes as a list). Every page passes axe-core; the API answers
// bad input with a 400 problem naming the field. The workforce is loaded with the sqlite3
// CLI while the server runs, and the change counter is bumped as every writer must, so
// the server reloads its index before the next query.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { startPathway, addUser, Browserless } from '../lib/pathway.mjs'
import { launchBrowser, axeViolations, screenshot } from '../lib/browser.mjs'

const PASSWORD = 'correct horse battery staple'
let server
let browser

// Two departments and professions; a developer ladder dev-1 -> dev-2 and an analyst
// level; items Programming (i1), Testing (i2), Architecture (i3); five people with levels.
const WORKFORCE = `
INSERT INTO framework (id, kind) VALUES ('fw-career', 'career');
INSERT INTO framework_version (framework_id, version, title, description) VALUES ('fw-career', 1, 'Test career framework', '');
INSERT INTO fw_cluster (framework_id, version, id, position, title, subtitle, description) VALUES ('fw-career', 1, 'c1', 1, 'Skills', '', '');
INSERT INTO fw_item (framework_id, version, id, cluster_id, position, number, title, description) VALUES
  ('fw-career', 1, 'i1', 'c1', 1, 1, 'Programming', ''), ('fw-career', 1, 'i2', 'c1', 2, 2, 'Testing', ''),
  ('fw-career', 1, 'i3', 'c1', 3, 3, 'Architecture', '');
UPDATE framework_version SET status = 'published' WHERE framework_id = 'fw-career';
INSERT INTO department (id, code, name) VALUES (1, 'D1', 'Department One'), (2, 'D2', 'Department Two');
INSERT INTO unit (id, code, name, department_id) VALUES (1, 'U1', 'Unit One', 1), (2, 'U2', 'Unit Two', 2);
INSERT INTO location (id, code, name, region) VALUES (1, 'LOC1', 'London office', 'TLI'), (2, 'LOC2', 'Glasgow office', 'TLM');
INSERT INTO profession (id, code, name) VALUES (1, 'ddat', 'Digital, Data and Technology'), (2, 'analysis', 'Analysis');
INSERT INTO job_family (id, profession_id, code, name) VALUES (1, 1, 'eng', 'Software engineering'), (2, 2, 'ana', 'Data analysis');
INSERT INTO career_role (id, job_family_id, code, name) VALUES (1, 1, 'dev', 'Developer'), (2, 2, 'analyst', 'Data analyst');
INSERT INTO role_level (id, role_id, code, title, position, grade_min, grade_max) VALUES
  (1, 1, 'dev-1', 'Junior developer', 1, 2, 3), (2, 1, 'dev-2', 'Senior developer', 2, 4, 5),
  (3, 2, 'analyst-1', 'Data analyst', 1, 3, 4);
INSERT INTO item_ref (id, framework_id, item_id) VALUES (1, 'fw-career', 'i1'), (2, 'fw-career', 'i2'), (3, 'fw-career', 'i3');
INSERT INTO role_requirement (role_level_id, item_ref_id, level, weight) VALUES
  (1, 1, 2, 5), (1, 2, 1, 1), (2, 1, 3, 5), (2, 2, 3, 1), (2, 3, 2, 3), (3, 1, 2, 1), (3, 2, 2, 1);
INSERT INTO post (id, external_id, role_level_id, unit_id, location_id, grade, clearance, critical) VALUES
  (1, 'PO1', 1, 1, 1, 2, 'SC', 1), (2, 'PO2', 2, 1, 2, 4, 'BPSS', 0), (3, 'PO3', 3, 2, 1, 3, 'DV', 0),
  (4, 'PO4', 2, 2, 2, 4, 'BPSS', 0), (5, 'PO5', 2, 1, 1, 4, 'BPSS', 0);
INSERT INTO person (id, external_id, display_name, department, profession, line_manager_id, grade, location_id, post_id, clearance_level, clearance_status, clearance_granted, start_date) VALUES
  (1, 'E1', 'Alice Boss', 'D1', 'ddat', NULL, 5, 1, NULL, NULL, NULL, NULL, '2010-01-04'),
  (2, 'E2', 'Bob Middle', 'D1', 'ddat', 1, 4, 2, 2, NULL, NULL, NULL, '2015-06-01'),
  (3, 'E3', 'Carol Junior', 'D1', 'ddat', 2, 2, 1, 1, 'SC', 'active', '2020-01-01', '2020-02-03'),
  (4, 'E4', 'Dan Other', 'D2', 'analysis', NULL, 3, 2, 3, 'DV', 'active', '2019-01-01', '2018-09-10'),
  (5, 'E5', 'Eve Else', 'D2', 'ddat', 4, 2, 1, NULL, NULL, NULL, NULL, '2022-11-21');
INSERT INTO assessment (person_id, item_ref_id, seq, level, assessor, assessed_on, framework_version) VALUES
  (1, 1, 1, 4, 'manager', '2024-01-01', 1), (1, 2, 1, 3, 'manager', '2024-01-01', 1), (1, 3, 1, 3, 'panel', '2024-01-01', 1),
  (2, 1, 1, 3, 'manager', '2024-01-01', 1), (2, 2, 1, 2, 'manager', '2024-01-01', 1),
  (3, 1, 1, 2, 'manager', '2024-01-01', 1), (3, 2, 1, 1, 'self', '2024-01-01', 1),
  (4, 1, 1, 2, 'panel', '2024-01-01', 1), (4, 2, 1, 2, 'manager', '2024-01-01', 1),
  (5, 1, 1, 1, 'self', '2024-01-01', 1);
UPDATE workforce_change SET generation = generation + 1 WHERE id = 1;
`

before(async () => {
  server = await startPathway()
  addUser(server.db, 'ada@example.gov.uk', 'Ada Lovelace', PASSWORD, ['admin'])
  const loaded = spawnSync('sqlite3', [server.db], { input: `PRAGMA foreign_keys = ON;\n${WORKFORCE}`, encoding: 'utf8' })
  assert.equal(loaded.status, 0, loaded.stderr)
  browser = await launchBrowser()
})
after(async () => {
  await browser?.close()
  await server?.stop()
})

async function signIn (email, path) {
  const context = await browser.newContext({ acceptDownloads: true })
  const page = await context.newPage()
  const problems = []
  page.on('pageerror', err => problems.push(err.message))
  await page.goto(`${server.base}${path}`)
  await page.fill('#email', email)
  await page.fill('#password', PASSWORD)
  await page.click('button:has-text("Sign in")')
  return { context, page, problems }
}

test('talent match: rank by a role level, explain each requirement, closest to ready, CSV', async () => {
  const { context, page, problems } = await signIn('ada@example.gov.uk', '/talent/match')
  assert.equal(await page.locator('h1').innerText(), 'Match people to a role')
  assert.deepEqual(await axeViolations(page), [])

  await page.fill('#role_level', 'dev-2')
  await page.click('button:has-text("Rank people")')
  assert.match(await page.locator('#results-summary').innerText(), /Top 5 of 5 people/)
  const first = page.locator('tbody tr').first()
  assert.match(await first.innerText(), /Alice Boss/)
  assert.match(await first.innerText(), /Programming: has 4, needs 3/)
  assert.match(await first.innerText(), /Architecture: has 3, needs 2/)
  await screenshot(page, 'engine-match')
  assert.deepEqual(await axeViolations(page), [])

  // Closest to ready: Alice meets everything, so she is left out.
  await page.click('a:has-text("Closest to ready")')
  assert.equal(await page.locator('h1').innerText(), 'Closest to ready')
  const names = await page.locator('tbody tr td:nth-child(2) a').allInnerTexts()
  assert.ok(!names.includes('Alice Boss'))
  assert.equal(names[0], 'Bob Middle')

  // Filters narrow the ranking.
  await page.goto(`${server.base}/talent/match?role_level=dev-2&department=D2`)
  assert.match(await page.locator('#results-summary').innerText(), /of 2 people/)

  // CSV with has/needs per requirement.
  await page.goto(`${server.base}/talent/match?role_level=dev-1`)
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('a:has-text("Download CSV")')])
  const text = Buffer.concat(await (await download.createReadStream()).toArray()).toString('utf8')
  assert.match(text, /^rank,person_id,hr_reference,name,/)
  assert.match(text, /Programming has,Programming needs/)
  assert.equal(text.trim().split('\r\n').length, 6)

  // Ad-hoc rows with an unknown item and a bad level: errors on the fields.
  await page.goto(`${server.base}/talent/match?item_1=No+such+item&level_1=3&item_2=Testing&level_2=12`)
  assert.match(await page.title(), /^Error: /)
  assert.match(await page.locator('#level_2-error').innerText(), /level from 1 to 9/)
  assert.deepEqual(await axeViolations(page), [])
  await page.goto(`${server.base}/talent/match?item_1=No+such+item&level_1=3`)
  assert.match(await page.locator('#item_1-error').innerText(), /item that exists/)
  assert.deepEqual(problems, [])
  await context.close()
})

test('capability map: an SVG heatmap with the same numbers as the table, and CSV', async () => {
  const { context, page, problems } = await signIn('ada@example.gov.uk', '/capability')
  assert.equal(await page.locator('h1').innerText(), 'Capability map')
  assert.deepEqual(await axeViolations(page), [])
  await page.selectOption('#rows', 'department')
  await page.selectOption('#columns', 'grade')
  await page.fill('#role_level', 'dev-1')
  await page.click('button:has-text("Show the map")')
  const svg = page.locator('svg.pathway-heatmap')
  assert.equal(await svg.getAttribute('role'), 'img')
  assert.match(await svg.locator('title').textContent(), /Share meeting the level by Department and Grade/)
  assert.ok((await svg.locator('desc').textContent()).length > 0)
  const mapValues = await svg.locator('text.pathway-heatmap__value').allTextContents()
  const tableValues = await page.locator('#heatmap-table tbody td').allTextContents()
  assert.ok(mapValues.length > 0)
  assert.deepEqual(mapValues, tableValues.map(v => v.trim()))
  await screenshot(page, 'engine-capability')
  assert.deepEqual(await axeViolations(page), [])

  const [download] = await Promise.all([page.waitForEvent('download'), page.click('a:has-text("Download CSV")')])
  const text = Buffer.concat(await (await download.createReadStream()).toArray()).toString('utf8')
  assert.match(text, /^department,grade,headcount,meeting,share_meeting,mean_level,demand_filled,demand_vacant,gap/)

  // The same two dimensions twice is an error on the columns field.
  await page.goto(`${server.base}/capability?rows=grade&columns=grade&role_level=dev-1`)
  assert.match(await page.title(), /^Error: /)
  assert.match(await page.locator('#columns-error').innerText(), /different/)
  assert.deepEqual(problems, [])
  await context.close()
})

test('pathways: a route diagram and the same routes as a list, closest roles, vacancies', async () => {
  const { context, page, problems } = await signIn('ada@example.gov.uk', '/people/3/pathways')
  assert.equal(await page.locator('h1').innerText(), 'Career pathways')
  assert.match(await page.locator('#closest-roles').innerText(), /Senior developer|Data analyst/)
  assert.deepEqual(await axeViolations(page), [])
  await page.fill('#target', 'dev-2')
  await page.click('button:has-text("Find routes")')
  const svg = page.locator('svg.pathway-routes')
  assert.equal(await svg.getAttribute('role'), 'img')
  assert.match(await svg.locator('title').textContent(), /Routes from Junior developer to Senior developer/)
  const list = await page.locator('#route-list').innerText()
  assert.match(list, /Route 1/)
  assert.match(list, /Senior developer/)
  assert.match(list, /Learn Programming: from level 2 to 3/)
  assert.match(await page.locator('main').innerText(), /Vacancies within two moves/)
  await screenshot(page, 'engine-pathways')
  assert.deepEqual(await axeViolations(page), [])

  // Eve (EO, no post) reaches the SEO level only by entry then promotion: no route in
  // one step, and the page says why.
  await page.goto(`${server.base}/people/5/pathways?target=dev-2&max_steps=1`)
  const none = await page.locator('#no-route').innerText()
  assert.match(none, /No route reaches this role level within these limits/)
  assert.match(none, /No route within 1 step: Senior developer \(dev-2\) needs grade SEO or above, more than one grade above EO, and the shortest series of career moves there takes 2 steps/)
  assert.deepEqual(await axeViolations(page), [])

  await page.goto(`${server.base}/people/3/pathways?target=no-such-level`)
  assert.match(await page.title(), /^Error: /)
  assert.match(await page.locator('#target-error').innerText(), /No role level has ‘no-such-level’ in its code or title/)
  assert.deepEqual(problems, [])
  await context.close()
})

test('the role-level picker suggests role levels as you type and passes axe', async () => {
  const { context, page, problems } = await signIn('ada@example.gov.uk', '/talent/match')
  // The plain field has become the autocomplete, under the same label, id and name.
  const input = page.locator('input#role_level.autocomplete__input')
  await input.waitFor()
  assert.equal(await input.getAttribute('name'), 'role_level')
  assert.match(await input.getAttribute('aria-describedby'), /role_level-hint/)
  await input.pressSequentially('senior')
  const option = page.locator('#role_level__listbox li', { hasText: 'Senior developer' })
  await option.waitFor()
  assert.match(await option.innerText(), /Senior developer\s+dev-2/)
  assert.equal(await page.locator('#role_level__listbox li').count(), 1)
  assert.deepEqual(await axeViolations(page), [])
  await input.press('ArrowDown')
  await page.keyboard.press('Enter')
  assert.equal(await input.inputValue(), 'dev-2')
  await page.click('button:has-text("Rank people")')
  assert.match(await page.locator('#results-summary').innerText(), /Top 5 of 5 people/)
  // Words that match several role levels, sent as typed: the page lists them as links.
  await page.goto(`${server.base}/talent/match?role_level=developer`)
  assert.match(await page.locator('#role_level-error').innerText(), /‘developer’ matches 2 role levels/)
  await page.click('.pathway-role-level-suggestions a:has-text("Junior developer")')
  assert.match(await page.locator('#results-summary').innerText(), /people/)
  assert.equal(await page.locator('input#role_level').inputValue(), 'dev-1')
  // The pathways page's picker, by keyboard only.
  await page.goto(`${server.base}/people/3/pathways`)
  const target = page.locator('input#target.autocomplete__input')
  await target.waitFor()
  await target.pressSequentially('analyst')
  await page.locator('#target__listbox li', { hasText: 'Data analyst' }).waitFor()
  await target.press('ArrowDown')
  await page.keyboard.press('Enter')
  assert.equal(await target.inputValue(), 'analyst-1')
  assert.deepEqual(problems, [])
  await context.close()
})

test('best match ranks by the role\'s grade band too, explains it, and can put the over-graded last', async () => {
  const { context, page, problems } = await signIn('ada@example.gov.uk', '/talent/match?role_level=dev-1')
  // dev-1 is for EO to HEO. Alice (G7), Bob (SEO), Carol (EO) and Dan (HEO) all score 11
  // of 11: the two in the band come first, then one grade above, then two.
  const names = () => page.locator('tbody tr td:nth-child(2) a').allInnerTexts()
  assert.deepEqual(await names(), ['Carol Junior', 'Dan Other', 'Bob Middle', 'Alice Boss', 'Eve Else'])
  assert.match(await page.locator('#grade-order').innerText(), /grade band is EO to HEO\. People with the same score are ranked by how near their grade is to the band/)
  const fits = await page.locator('tbody tr .pathway-grade-fit').allInnerTexts()
  assert.deepEqual(fits, ["In the role's grade band", "In the role's grade band", '1 grade above the band', '2 grades above the band', "In the role's grade band"])
  assert.deepEqual(await axeViolations(page), [])
  // Chosen by keyboard: over-graded last puts Bob and Alice after Eve, who scores less.
  await page.locator('#grades-over-graded-last').check()
  await page.click('button:has-text("Rank people")')
  assert.match(page.url(), /grades=over-graded-last/)
  assert.deepEqual(await names(), ['Carol Junior', 'Dan Other', 'Eve Else', 'Bob Middle', 'Alice Boss'])
  assert.match(await page.locator('#grade-order').innerText(), /People above the band are ranked after everyone else/)
  assert.equal(await page.locator('#grades-over-graded-last').isChecked(), true)
  // Grades ignored: the requirements alone, equal scores by record.
  await page.goto(`${server.base}/talent/match?role_level=dev-1&grades=ignore`)
  assert.deepEqual(await names(), ['Alice Boss', 'Bob Middle', 'Carol Junior', 'Dan Other', 'Eve Else'])
  await page.goto(`${server.base}/talent/match?role_level=dev-1&grades=best`)
  assert.match(await page.locator('#grades-error').innerText(), /Select how grades count in the ranking/)
  assert.deepEqual(problems, [])
  await context.close()
})

test('the engine API answers and rejects bad input with a problem naming the field', async () => {
  const api = new Browserless(server.base)
  await api.signIn('ada@example.gov.uk', PASSWORD)
  const post = (path, body) => api.fetch(path, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body)
  })
  const match = await post('/api/v1/match', { role_level: 'dev-2', k: 3 })
  assert.equal(match.status, 200)
  const ranked = await match.json()
  assert.equal(ranked.items.length, 3)
  assert.deepEqual(ranked.grade_band, { from: 'SEO', to: 'G7' })
  const band = await (await post('/api/v1/match', { role_level: 'dev-1', grade_order: 'over-graded-last' })).json()
  assert.deepEqual(band.items.map(i => [i.person.name, i.grade_fit, i.grades_outside_band]),
    [['Carol Junior', 'in_band', 0], ['Dan Other', 'in_band', 0], ['Eve Else', 'in_band', 0], ['Bob Middle', 'above', 1], ['Alice Boss', 'above', 2]])
  const badOrder = await post('/api/v1/match', { role_level: 'dev-1', grade_order: 'sideways' })
  assert.equal(badOrder.status, 400)
  assert.equal((await badOrder.json()).errors[0].field, 'grade_order')
  assert.equal(ranked.items[0].person.name, 'Alice Boss')
  assert.deepEqual(ranked.items[0].fit.map(f => [f.item, f.has, f.needs]), [['i1', 4, 3], ['i2', 3, 3], ['i3', 3, 2]])

  for (const [body, field] of [
    [{ requirements: [{ item: 'nope', level: 2 }] }, 'requirements[0].item'],
    [{ role_level: 'no-such-level' }, 'role_level'],
    [{ role_level: 'dev-2', k: 0 }, 'k'],
    [{ requirements: [] }, 'requirements'],
    [{ role_level: 'dev-2', filters: { grade_min: 'G7', grade_max: 'EO' } }, 'filters.grade_max']
  ]) {
    const res = await post('/api/v1/match', body)
    assert.equal(res.status, 400, JSON.stringify(body))
    assert.match(res.headers.get('content-type'), /problem\+json/)
    assert.equal((await res.json()).errors[0].field, field)
  }

  const map = await post('/api/v1/capability-map', { rows: 'profession', columns: 'region', requirements: [{ item: 'i1', level: 2 }] })
  assert.equal(map.status, 200)
  const cells = (await map.json()).cells
  assert.equal(cells.reduce((n, c) => n + c.headcount, 0), 5)
  const sameTwice = await post('/api/v1/capability-map', { rows: 'grade', columns: 'grade', role_level: 'dev-1' })
  assert.equal(sameTwice.status, 400)
  assert.equal((await sameTwice.json()).errors[0].field, 'columns')

  const routes = await api.fetch('/api/v1/people/3/routes?target=dev-2&k=2')
  assert.equal(routes.status, 200)
  const answer = await routes.json()
  assert.ok(answer.routes.length >= 1)
  assert.equal(answer.no_route, null)
  const none = await (await api.fetch('/api/v1/people/5/routes?target=dev-2&max_steps=1')).json()
  assert.deepEqual(none.routes, [])
  assert.equal(none.no_route.code, 'too_many_steps')
  assert.equal(none.no_route.fewest_steps, 2)
  const badK = await api.fetch('/api/v1/people/3/routes?target=dev-2&k=9')
  assert.equal(badK.status, 400)
  assert.equal((await badK.json()).errors[0].field, 'k')
  assert.equal((await api.fetch('/api/v1/people/3/closest-roles')).status, 200)
  assert.equal((await api.fetch('/api/v1/people/3/reachable-vacancies')).status, 200)
  assert.equal((await api.fetch('/api/v1/people/999/closest-roles')).status, 404)
})
