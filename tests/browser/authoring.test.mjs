// Writing frameworks in Chromium, with the keyboard-operable forms only (no script is
// needed): an administrator creates a framework (first with errors), adds a cluster, a
// skill and an indicator; the demo framework author edits a new draft of the Civil
// Service Competency Framework. axe-core runs on every page, each saved as a screenshot.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { startPathway, runPathway, root } from '../lib/pathway.mjs'
import { launchBrowser, axeViolations, screenshot } from '../lib/browser.mjs'

let dir
let server
let browser
let users

function signIns (text) {
  return Object.fromEntries([...text.matchAll(/^\s+(.+?)\s{2,}(\S+@demo\.pathway\.test)\s+(demo-[0-9a-f-]+)/gm)].map(m => [m[1], { email: m[2], password: m[3] }]))
}

before(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'pathway-authoring-browser-'))
  const db = path.join(dir, 'demo.db')
  const made = runPathway(['demo', '--db', db, '--root', root])
  assert.equal(made.status, 0, made.stderr)
  users = signIns(made.stdout)
  server = await startPathway([], { db })
  browser = await launchBrowser()
})
after(async () => {
  await browser?.close()
  await server?.stop()
  if (dir) rmSync(dir, { recursive: true, force: true })
})

// Opens `url`, which sends a signed-out visitor to sign in, and signs in as `who`.
async function signedInPage (url, who) {
  const context = await browser.newContext()
  const page = await context.newPage()
  const problems = []
  page.on('pageerror', err => problems.push(err.message))
  page.on('console', msg => { if (msg.type() === 'error' && !/status of 4\d\d/.test(msg.text())) problems.push(msg.text()) })
  await page.goto(`${server.base}${url}`)
  assert.match(page.url(), /\/sign-in\?next=/)
  await page.fill('#email', users[who].email)
  await page.fill('#password', users[who].password)
  await page.click('button:has-text("Sign in")')
  assert.equal(new URL(page.url()).pathname, url.split('?')[0], 'back to the page asked for')
  return { context, page, problems }
}

test('an administrator creates a framework and adds a cluster, a skill and an indicator, with no axe violations', async () => {
  const { context, page, problems } = await signedInPage('/frameworks/new', 'Administrator')
  assert.equal(await page.locator('h1').innerText(), 'Create a framework')
  await screenshot(page, 'author-new')
  assert.deepEqual(await axeViolations(page), [])

  // Nothing chosen: the errors, linked from the summary above the h1.
  await page.fill('#description', 'Skills for <data> roles.')
  await page.click('button:has-text("Create framework")')
  assert.match(await page.title(), /^Error: Create a framework/)
  assert.match(await page.locator('.govuk-error-summary').innerText(), /Enter a title for the framework[\s\S]*Select the kind of framework/)
  assert.equal(await page.locator('#description').inputValue(), 'Skills for <data> roles.', 'what was typed is kept')
  await screenshot(page, 'author-new-error')
  assert.deepEqual(await axeViolations(page), [])

  await page.fill('#title', 'Data Capability Framework')
  await page.check('#kind-technical')
  await page.click('button:has-text("Create framework")')
  assert.match(page.url(), /\/versions\/1\/edit\?done=framework-created$/)
  assert.match(await page.locator('.govuk-notification-banner').innerText(), /created as a draft/)
  assert.deepEqual(await axeViolations(page), [])

  await page.fill('#new-cluster-title', 'Data engineering')
  await page.click('button:has-text("Add cluster")')
  assert.match(await page.locator('.govuk-notification-banner').innerText(), /The cluster has been added/)
  await page.click('a:has-text("Add a skill")')
  assert.equal(await page.locator('#author-form-heading').innerText(), 'Add a skill to ‘Data engineering’')
  assert.deepEqual(await axeViolations(page), [])
  await page.fill('#title', 'Data modelling')
  await page.click('#author-form button:has-text("Add skill")')
  assert.match(await page.locator('.govuk-notification-banner').innerText(), /The skill has been added/)
  // A new skill opens on its own page, where its levels and indicators are edited.
  assert.match(page.url(), /\/edit\/items\/[0-9a-f-]{36}\?done=item-added#item-/)
  assert.equal(await page.locator('section.pathway-item h1').innerText(), 'Data modelling')
  assert.deepEqual(await axeViolations(page), [])

  // The indicator form, refused once (no type chosen), then sent.
  await page.click('a:has-text("Add an indicator")')
  await page.fill('#text', 'Document data models so that others can use them')
  await page.check('#security')
  await page.click('#author-form button:has-text("Add indicator")')
  assert.match(await page.title(), /^Error: /)
  assert.match(await page.locator('.govuk-error-summary').innerText(), /Select whether the indicator is effective or less effective/)
  assert.equal(await page.locator('#text').inputValue(), 'Document data models so that others can use them')
  assert.equal(await page.locator('#security').isChecked(), true)
  await screenshot(page, 'author-indicator-error')
  assert.deepEqual(await axeViolations(page), [])
  await page.check('#kind')
  await page.click('#author-form button:has-text("Add indicator")')
  assert.match(await page.locator('.govuk-notification-banner').innerText(), /The indicator has been added/)
  const row = page.locator('tr.pathway-author-indicator')
  assert.match(await row.innerText(), /Document data models so that others can use them\s+Security/)
  // The buttons name their object to screen readers.
  assert.equal(await row.getByRole('button', { name: 'Delete effective indicator 1 of Data modelling' }).count(), 1)
  await screenshot(page, 'author-editor-new-framework')
  assert.deepEqual(await axeViolations(page), [])
  assert.deepEqual(problems, [])
  await context.close()
})

test('the framework author edits a new draft of the Civil Service Competency Framework, with no axe violations', async () => {
  const { context, page, problems } = await signedInPage('/frameworks', 'Framework author')
  await page.click('a:has-text("Civil Service Competency Framework")')
  await page.click('button:has-text("Start a new draft")')
  const version = /\/versions\/(\d+)/.exec(page.url())[1]
  const editor = page.url().replace(/\?.*$/, '') + '/edit'
  await page.goto(editor)
  assert.match(await page.locator('h1').innerText(), /Civil Service Competency Framework/)
  assert.match(await page.locator('.govuk-caption-l').innerText(), new RegExp(`version ${version}`))
  await screenshot(page, 'author-editor')
  assert.deepEqual(await axeViolations(page), [])
  // The first page lists the competencies; each opens on a page of its own.
  const first = page.locator('.pathway-author-items a').first()
  const heading = await first.innerText()
  await first.click()
  assert.equal(await page.locator('h1').innerText(), heading)
  await screenshot(page, 'author-editor-item')
  assert.deepEqual(await axeViolations(page), [])

  // Move the second effective indicator of the first competency up, with the keyboard.
  const item = page.locator('section.pathway-item').first()
  const second = item.locator('tr.pathway-author-indicator').nth(1)
  const text = await second.locator('td').first().innerText()
  await second.getByRole('button', { name: /^Move up effective indicator 2 of / }).focus()
  await page.keyboard.press('Enter')
  await page.waitForURL(/done=indicator-moved-up/)
  assert.equal(await page.locator('section.pathway-item').first().locator('tr.pathway-author-indicator').first().locator('td').first().innerText(), text)

  // Edit an indicator: tag it as a security behaviour.
  await page.locator('section.pathway-item').first().getByRole('link', { name: /^Edit effective indicator 1 of / }).click()
  assert.match(await page.locator('#author-form-heading').innerText(), /^Edit effective indicator 1 of ‘/)
  assert.equal(await page.locator('#kind').isChecked(), true)
  await screenshot(page, 'author-editor-edit-indicator')
  assert.deepEqual(await axeViolations(page), [])
  await page.check('#security')
  await page.click('#author-form button:has-text("Save indicator")')
  assert.match(await page.locator('.govuk-notification-banner').innerText(), /The indicator has been saved/)
  assert.match(await page.locator('section.pathway-item').first().locator('tr.pathway-author-indicator').first().innerText(), /Security/)

  await page.click('a.govuk-back-link')
  assert.equal(new URL(page.url()).pathname, new URL(editor).pathname)
  await page.click('button:has-text("Check for problems")')
  assert.match(await page.locator('.govuk-notification-banner').innerText(), /No problems found/)
  assert.deepEqual(await axeViolations(page), [])
  await page.click('a:has-text("Preview this draft and publish it")')
  await page.check('#confirm-publish')
  await page.click('button:has-text("Publish this draft")')
  assert.match(await page.locator('.govuk-notification-banner').innerText(), /published/)
  assert.deepEqual(problems, [])
  await context.close()
})
