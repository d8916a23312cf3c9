// Signing in, a wrong password, and signing out, as a person does it in Chromium, with
// axe-core on every page on the way.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { startPathway, addUser } from '../lib/pathway.mjs'
import { launchBrowser, axeViolations, screenshot } from '../lib/browser.mjs'

const PASSWORD = 'correct horse battery staple'
let server
let browser

before(async () => {
  server = await startPathway()
  addUser(server.db, 'ada@example.gov.uk', 'Ada Lovelace', PASSWORD, ['admin'])
  browser = await launchBrowser()
})
after(async () => {
  await browser?.close()
  await server?.stop()
})

test('sign in, a wrong password, pages of an administrator, and sign out', async () => {
  const context = await browser.newContext()
  const page = await context.newPage()
  const problems = []
  page.on('pageerror', err => problems.push(err.message))
  page.on('console', msg => { if (msg.type() === 'error' && !/status of 4\d\d/.test(msg.text())) problems.push(msg.text()) })

  await page.goto(`${server.base}/account`)
  assert.match(page.url(), /\/sign-in\?next=\/account$/, 'signed-out visitors are sent to sign in')
  assert.equal(await page.locator('h1').innerText(), 'Sign in to Pathway')
  assert.equal(await page.locator('#email').getAttribute('autocomplete'), 'username')
  assert.equal(await page.locator('#password').getAttribute('autocomplete'), 'current-password')
  await screenshot(page, 'sign-in')
  assert.deepEqual(await axeViolations(page), [])

  // A wrong password: the error summary takes focus and links to the field.
  await page.fill('#email', 'ada@example.gov.uk')
  await page.fill('#password', 'not the password')
  await page.click('button:has-text("Sign in")')
  assert.equal(await page.title(), 'Error: Sign in - Pathway')
  const summary = page.locator('.govuk-error-summary')
  assert.match(await summary.innerText(), /Enter a correct email address and password/)
  assert.equal(await page.locator('#email').inputValue(), 'ada@example.gov.uk')
  assert.equal(await page.locator('#password').inputValue(), '')
  await screenshot(page, 'sign-in-error')
  assert.deepEqual(await axeViolations(page), [])

  await page.fill('#password', PASSWORD)
  await page.click('button:has-text("Sign in")')
  assert.match(page.url(), /\/account$/)
  assert.equal(await page.locator('h1').innerText(), 'Your account')
  assert.match(await page.locator('.pathway-signed-in-as').innerText(), /Ada Lovelace/)
  await screenshot(page, 'account')
  assert.deepEqual(await axeViolations(page), [])

  await page.click('a:has-text("Users")')
  assert.equal(await page.locator('h1').innerText(), 'Users')
  assert.deepEqual(await axeViolations(page), [])
  await page.click('a:has-text("ada@example.gov.uk")')
  assert.equal(await page.locator('h1').innerText(), 'Ada Lovelace')
  await screenshot(page, 'user')
  assert.deepEqual(await axeViolations(page), [])
  await page.click('a:has-text("Audit trail")')
  assert.equal(await page.locator('h1').innerText(), 'Audit trail')
  assert.match(await page.locator('table').innerText(), /sign-in/)
  await screenshot(page, 'audit')
  assert.deepEqual(await axeViolations(page), [])

  await page.click('button:has-text("Sign out")')
  assert.equal(await page.locator('h1').innerText(), 'You have signed out')
  assert.deepEqual(await axeViolations(page), [])
  await page.goto(`${server.base}/account`)
  assert.match(page.url(), /\/sign-in/, 'the session ended')
  assert.deepEqual(problems, [])
  await context.close()
})
