// Frameworks as a person uses them in Chromium: publishing a draft, reading the
// framework for a grade, starting and publishing a new version, comparing versions,
// searching; and the shipped framework's security behaviours for an SC post. axe-core
// runs on every page, and each is saved as a screenshot.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { startPathway, runPathway, addUser, root } from '../lib/pathway.mjs'
import { launchBrowser, axeViolations, screenshot } from '../lib/browser.mjs'

const PASSWORD = 'correct horse battery staple'
let server
let browser

before(async () => {
  server = await startPathway()
  addUser(server.db, 'ada@example.gov.uk', 'Ada Lovelace', PASSWORD, ['admin'])
  const imported = runPathway(['import', 'framework', '--db', server.db, '--root', root, '--format', 'document',
    `${root}/src/interchange/testdata/competency_framework_sms1.txt`])
  assert.equal(imported.status, 0, imported.stderr)
  browser = await launchBrowser()
})
after(async () => {
  await browser?.close()
  await server?.stop()
})

async function signedInPage (base, email, password) {
  const context = await browser.newContext()
  const page = await context.newPage()
  const problems = []
  page.on('pageerror', err => problems.push(err.message))
  page.on('console', msg => { if (msg.type() === 'error' && !/status of 4\d\d/.test(msg.text())) problems.push(msg.text()) })
  await page.goto(`${base}/frameworks`)
  assert.match(page.url(), /\/sign-in\?next=%2Fframeworks$|\/sign-in\?next=\/frameworks$/)
  await page.fill('#email', email)
  await page.fill('#password', password)
  await page.click('button:has-text("Sign in")')
  assert.match(page.url(), /\/frameworks$/, 'back to the page asked for')
  return { context, page, problems }
}

test('publish a draft, read it for a grade, compare versions and search, with no axe violations', async () => {
  const { context, page, problems } = await signedInPage(server.base, 'ada@example.gov.uk', PASSWORD)
  assert.equal(await page.locator('h1').innerText(), 'Frameworks')
  await screenshot(page, 'frameworks')
  assert.deepEqual(await axeViolations(page), [])

  await page.click('a:has-text("Civil Service Competency Framework By Grade")')
  assert.match(await page.locator('.govuk-warning-text').first().innerText(), /draft/)
  await page.check('#confirm-publish')
  await page.click('button:has-text("Publish this draft")')
  assert.match(await page.locator('.govuk-notification-banner').innerText(), /This version has been published/)
  assert.equal(await page.locator('section.pathway-cluster').count(), 3)
  assert.equal(await page.locator('section.pathway-item').count(), 10)
  assert.equal(await page.locator('li.pathway-indicator--effective').count(), 59)
  assert.equal(await page.locator('li.pathway-indicator--ineffective').count(), 59)
  await screenshot(page, 'framework')
  assert.deepEqual(await axeViolations(page), [])

  // For my grade, with the keyboard-operable select and the Show button.
  await page.selectOption('#grade', 'SCS1')
  await page.selectOption('#clearance', 'SC')
  await page.click('button:has-text("Show")')
  assert.match(page.url(), /grade=SCS1/)
  assert.match(await page.locator('#grade-level').innerText(), /expects level 5/)
  assert.match(await page.locator('#security-for-post').innerText(), /Security behaviours for this post/)
  await screenshot(page, 'framework-scs1-sc')
  assert.deepEqual(await axeViolations(page), [])
  await page.selectOption('#grade', 'EO')
  await page.click('button:has-text("Show")')
  assert.match(await page.locator('#grade-level').innerText(), /no level for grade EO/)
  assert.deepEqual(await axeViolations(page), [])

  await page.click('a:has-text("Print-friendly version of this page")')
  assert.equal(await page.locator('main form').count(), 0)
  await page.emulateMedia({ media: 'print' })
  assert.equal(await page.locator('header.govuk-template__header').isVisible(), false, 'no navigation on paper')
  assert.equal(await page.locator('footer.govuk-footer').isVisible(), false)
  await screenshot(page, 'framework-print')
  await page.emulateMedia({ media: 'screen' })
  assert.deepEqual(await axeViolations(page), [])
  await page.click('a:has-text("Go back to the full page")')

  // Version 2: start a draft, publish it, compare it with version 1.
  await page.click('button:has-text("Start a new draft")')
  assert.match(await page.locator('.govuk-notification-banner').innerText(), /draft has been started/)
  await page.check('#confirm-publish')
  await page.click('button:has-text("Publish this draft")')
  assert.match(page.url(), /\/versions\/2\?done=published/)
  await page.click('a:has-text("Compare with previous")')
  assert.equal(await page.locator('h1').innerText(), 'Changes from version 1 to version 2')
  assert.match(await page.locator('#diff-summary').innerText(), /Nothing changed/)
  await screenshot(page, 'framework-diff')
  assert.deepEqual(await axeViolations(page), [])

  // Retiring version 2 leaves version 1 as the current one.
  await page.goto(`${page.url().replace(/\/diff.*$/, '')}`)
  await page.check('#confirm-retire')
  await page.click('button:has-text("Retire this version")')
  assert.match(await page.locator('.govuk-notification-banner').innerText(), /retired/)
  assert.deepEqual(await axeViolations(page), [])

  await page.goto(`${server.base}/frameworks`)
  await page.fill('#q', 'stakeholder')
  await page.click('button:has-text("Search")')
  assert.match(await page.locator('#results-heading').innerText(), /results? for ‘stakeholder’/)
  assert.ok(await page.locator('.pathway-result mark').count() >= 3)
  await screenshot(page, 'framework-search')
  assert.deepEqual(await axeViolations(page), [])
  await page.locator('.pathway-result a').first().click()
  assert.match(page.url(), /\/frameworks\/[0-9a-f-]{36}#[0-9a-f-]{36}$/)
  const anchor = new URL(page.url()).hash.slice(1)
  assert.equal(await page.locator(`[id="${anchor}"]`).count(), 1, 'the result leads to its item')

  await page.goto(`${server.base}/frameworks/search?q=zzyzxqq`)
  assert.match(await page.locator('main').innerText(), /No results for ‘zzyzxqq’/)
  assert.deepEqual(await axeViolations(page), [])
  assert.deepEqual(problems, [])
  await context.close()
})

test('the shipped framework: security behaviours tagged and listed first for an SC post, and the changes of version 2', async () => {
  const made = runPathway(['demo', '--db', `${server.dir}/demo-browser.db`, '--root', root])
  assert.equal(made.status, 0, made.stderr)
  const password = /admin@demo\.pathway\.test\s+(\S+)/.exec(made.stdout)[1]
  const demo = await startPathway([], { db: `${server.dir}/demo-browser.db` })
  try {
    const { context, page, problems } = await signedInPage(demo.base, 'admin@demo.pathway.test', password)
    await page.click('a:has-text("Civil Service Competency Framework")')
    await page.selectOption('#clearance', 'DV')
    await page.click('button:has-text("Show")')
    assert.equal(await page.locator('tr.pathway-security-row').count(), 15)
    assert.match(await page.locator('.pathway-security-note').innerText(), /every grade/)
    await screenshot(page, 'framework-security-dv')
    assert.deepEqual(await axeViolations(page), [])
    await page.click('a:has-text("Compare with previous")')
    assert.match(await page.locator('.pathway-diff-summary').innerText(), /15 added/)
    await screenshot(page, 'framework-diff-security')
    assert.deepEqual(await axeViolations(page), [])
    assert.deepEqual(problems, [])
    await context.close()
  } finally {
    await demo.stop()
  }
})
