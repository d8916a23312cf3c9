// The workforce pages in Chromium: professions (the ladder, moves, community and
// induction), the people list (filter, sort by column links, pagination, CSV download),
// a person's profile, a line manager's team, departments and posts. Every page passes
// axe-core. The workforce is loaded with the sqlite3 CLI after the server has migrated
// its database, so the test depends only on the schema.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { startPathway, addUser, Browserless } from '../lib/pathway.mjs'
import { launchBrowser, axeViolations, screenshot } from '../lib/browser.mjs'

const PASSWORD = 'correct horse battery staple'
let server
let browser

// Two departments, two professions with a small ladder, and 130 people in D1 so that
// the list has three pages; Alice manages Bob, who manages Carol.
const WORKFORCE = `
INSERT INTO department (id, code, name) VALUES (1, 'D1', 'Department One'), (2, 'D2', 'Department Two');
INSERT INTO unit (id, code, name, department_id) VALUES (1, 'U1', 'Unit One', 1), (2, 'U2', 'Unit Two', 2);
INSERT INTO location (id, code, name, region) VALUES (1, 'LOC1', 'London office', 'TLI'), (2, 'LOC2', 'Glasgow office', 'TLM');
INSERT INTO profession (id, code, name, description, induction) VALUES
  (1, 'ddat', 'Digital, Data and Technology', 'People who build digital services.', 'Welcome to the profession.

Start with the career framework.'),
  (2, 'analysis', 'Analysis', 'Analysts.', '');
INSERT INTO job_family (id, profession_id, code, name) VALUES (1, 1, 'eng', 'Software engineering'), (2, 2, 'ana', 'Data analysis');
INSERT INTO career_role (id, job_family_id, code, name) VALUES (1, 1, 'dev', 'Developer'), (2, 2, 'analyst', 'Data analyst');
INSERT INTO role_level (id, role_id, code, title, position, grade_min, grade_max) VALUES
  (1, 1, 'dev-1', 'Junior developer', 1, 2, 3), (2, 1, 'dev-2', 'Senior developer', 2, 4, 5),
  (3, 2, 'analyst-1', 'Data analyst', 1, 3, 4);
INSERT INTO role_statement (role_level_id, kind, position, text) VALUES (1, 'experience', 1, 'Some coding');
INSERT INTO post (id, external_id, role_level_id, unit_id, location_id, grade, clearance, critical) VALUES
  (1, 'PO1', 1, 1, 1, 2, 'SC', 1), (2, 'PO2', 2, 1, 2, 4, 'BPSS', 0), (3, 'PO3', 3, 2, 1, 3, 'DV', 0);
INSERT INTO person (id, external_id, display_name, department, profession, line_manager_id, grade, location_id, post_id, clearance_level, clearance_status, clearance_granted, start_date) VALUES
  (1, 'E1', 'Alice Boss', 'D1', 'ddat', NULL, 5, 1, NULL, NULL, NULL, NULL, '2010-01-04'),
  (2, 'E2', 'Bob Middle', 'D1', 'ddat', 1, 4, 2, 2, NULL, NULL, NULL, '2015-06-01'),
  (3, 'E3', 'Carol Junior', 'D1', 'analysis', 2, 2, 1, 1, 'SC', 'active', '2020-01-01', '2020-02-03'),
  (4, 'E4', '=HYPERLINK("http://evil.example")', 'D2', 'analysis', NULL, 3, 2, 3, NULL, NULL, NULL, '2018-09-10');
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 127)
INSERT INTO person (external_id, display_name, department, profession, grade, location_id, start_date)
SELECT 'X' || i, 'Zed Person ' || printf('%03d', i), 'D1', 'ddat', i % 10, 1 + i % 2, '2021-01-01' FROM n;
INSERT INTO profession_contact (profession_id, person_id, kind, department_id) VALUES (1, 1, 'head_of_profession', NULL);
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

async function signIn (email) {
  const context = await browser.newContext({ acceptDownloads: true })
  const page = await context.newPage()
  const problems = []
  page.on('pageerror', err => problems.push(err.message))
  await page.goto(`${server.base}/people`)
  await page.fill('#email', email)
  await page.fill('#password', PASSWORD)
  await page.click('button:has-text("Sign in")')
  assert.match(page.url(), /\/people$/)
  return { context, page, problems }
}

test('professions: the ladder, moves, community and induction, with no axe violations', async () => {
  const { context, page, problems } = await signIn('ada@example.gov.uk')
  await page.goto(`${server.base}/professions`)
  assert.equal(await page.locator('h1').innerText(), 'Professions')
  assert.deepEqual(await axeViolations(page), [])
  await page.click('a:has-text("Digital, Data and Technology")')
  assert.equal(await page.locator('h1').innerText(), 'Digital, Data and Technology')
  // The profession's page lists its roles; each role's ladder is on a page of its own.
  assert.match(await page.locator('table').first().innerText(), /Developer\s+2\s+EO to G7\s+2/)
  assert.match(await page.locator('#community').locator('xpath=following-sibling::dl[1]').innerText(), /Alice Boss/)
  assert.match(await page.locator('main').innerText(), /Start with the career framework/)
  await screenshot(page, 'workforce-profession')
  assert.deepEqual(await axeViolations(page), [])
  await page.click('a:has-text("Developer")')
  assert.equal(new URL(page.url()).pathname, '/professions/ddat/roles/dev')
  assert.equal(await page.locator('h1').innerText(), 'Developer')
  assert.equal(await page.locator('li.pathway-ladder__level').count(), 2)
  await page.click('summary:has-text("Junior developer")')
  assert.match(await page.locator('#level-dev-1').innerText(), /Promotion to Senior developer/)
  assert.equal(await page.locator('#level-dev-1 a:has-text("Senior developer")').getAttribute('href'), '/professions/ddat/roles/dev#level-dev-2')
  await screenshot(page, 'workforce-profession-role')
  assert.deepEqual(await axeViolations(page), [])
  await page.click('a.govuk-back-link')
  assert.equal(await page.locator('h1').innerText(), 'Digital, Data and Technology')
  assert.deepEqual(problems, [])
  await context.close()
})

test('people: filter, sort, paginate and download the list as CSV', async () => {
  const { context, page, problems } = await signIn('ada@example.gov.uk')
  assert.match(await page.locator('#results-summary').innerText(), /Showing 1 to 50 of 131 people/)
  assert.deepEqual(await axeViolations(page), [])
  await screenshot(page, 'workforce-people')

  // Pagination.
  await page.click('a[rel="next"]')
  assert.match(page.url(), /page=2/)
  assert.match(await page.locator('#results-summary').innerText(), /Showing 51 to 100 of 131/)

  // Filter: department and grade range, keeping the sort.
  await page.selectOption('#department', 'D1')
  await page.selectOption('#grade_from', 'SEO')
  await page.selectOption('#grade_to', 'G7')
  await page.click('button:has-text("Apply filters")')
  assert.match(page.url(), /department=D1/)
  // Where the script runs, the form sends only the filters that are set.
  const sent = [...new URL(page.url()).searchParams]
  assert.deepEqual(sent.filter(([, value]) => value === ''), [], `empty filters are not sent: ${page.url()}`)
  const names = await page.locator('tbody tr td:first-child').allInnerTexts()
  assert.ok(names.includes('Alice Boss') && names.includes('Bob Middle'))
  assert.ok(!names.includes('Carol Junior'), 'EO is below the range')

  // Sort by grade, then flip the order; aria-sort follows.
  await page.click('th a:has-text("Grade")')
  assert.equal(await page.locator('th:has(a:has-text("Grade"))').getAttribute('aria-sort'), 'ascending')
  await page.click('th a:has-text("Grade")')
  assert.equal(await page.locator('th:has(a:has-text("Grade"))').getAttribute('aria-sort'), 'descending')
  assert.equal(await page.locator('tbody tr td:nth-child(2)').first().innerText(), 'G7')
  assert.deepEqual(await axeViolations(page), [])

  // A bad grade range is an error on the form.
  await page.goto(`${server.base}/people?grade_from=G7&grade_to=EO`)
  assert.match(await page.title(), /^Error: /)
  assert.match(await page.locator('.govuk-error-summary').innerText(), /highest grade/)
  assert.deepEqual(await axeViolations(page), [])

  // CSV of the filtered list; the formula in a name is neutralised.
  await page.goto(`${server.base}/people?department=D2`)
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('a:has-text("Download CSV")')])
  const csv = await (await download.createReadStream()).toArray()
  const text = Buffer.concat(csv).toString('utf8')
  assert.match(text, /^external_id,name,grade,department,location,/)
  assert.match(text, /"'=HYPERLINK\(""http:\/\/evil\.example""\)"/)
  assert.equal(text.trim().split('\r\n').length, 2)
  assert.deepEqual(problems, [])
  await context.close()
})

test('a profile, departments and posts; the API scopes and validates', async () => {
  const { context, page, problems } = await signIn('ada@example.gov.uk')
  await page.goto(`${server.base}/people/3`)
  assert.equal(await page.locator('h1').innerText(), 'Carol Junior')
  assert.match(await page.locator('main').innerText(), /Bob Middle/)
  assert.deepEqual(await axeViolations(page), [])
  await page.goto(`${server.base}/departments/D1`)
  assert.match(await page.locator('main').innerText(), /130 people/)
  assert.deepEqual(await axeViolations(page), [])
  await page.goto(`${server.base}/posts?status=filled&department=D1`)
  assert.match(await page.locator('#results-summary').innerText(), /of 2 posts/)
  assert.deepEqual(await axeViolations(page), [])
  // A post's role level links to its level on the role's page.
  await page.click('a:has-text("Senior developer")')
  assert.equal(new URL(page.url()).pathname, '/professions/ddat/roles/dev')
  assert.equal(new URL(page.url()).hash, '#level-dev-2')
  assert.deepEqual(problems, [])
  await context.close()

  const api = new Browserless(server.base)
  const signInPage = await api.fetch('/sign-in')
  const token = /name="signin-token" value="([^"]+)"/.exec(await signInPage.text())[1]
  await api.fetch('/sign-in', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: `signin-token=${token}&email=ada%40example.gov.uk&password=${encodeURIComponent(PASSWORD)}&next=%2F`
  })
  const people = await api.fetch('/api/v1/people?limit=5&sort=grade&order=desc')
  assert.equal(people.status, 200)
  const body = await people.json()
  assert.equal(body.total, 131)
  assert.equal(body.items.length, 5)
  const bad = await api.fetch('/api/v1/people?limit=0')
  assert.equal(bad.status, 400)
  assert.equal((await bad.json()).errors[0].field, 'limit')
  // A misspelt filter is refused, not ignored (which would answer everyone).
  const misspelt = await api.fetch('/api/v1/posts?grade_min=G7')
  assert.equal(misspelt.status, 400)
  const problem = await misspelt.json()
  assert.equal(problem.errors[0].field, 'grade_min')
  assert.match(problem.errors[0].message, /grade_from/)
  const csv = await api.fetch('/api/v1/professions', { headers: { accept: 'text/csv' } })
  assert.match(csv.headers.get('content-type'), /^text\/csv/)
})
