// Vetting in Chromium on the demo: the vetting officer opens the clearance report from the
// menu, opens a case from a row, records a stage, reads the notes with a reason and
// decides; every page, and every error state, passes axe-core.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { runPathway, startPathway, root } from '../lib/pathway.mjs'
import { launchBrowser, axeViolations } from '../lib/browser.mjs'

let dir, server, browser, users

before(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'pathway-vetting-browser-'))
  const db = path.join(dir, 'demo.db')
  const created = runPathway(['demo', '--db', db, '--root', root, '--seed', '3', '--people', '200'])
  assert.equal(created.status, 0, created.stderr)
  users = Object.fromEntries([...created.stdout.matchAll(/^\s+(.+?)\s{2,}(\S+@demo\.pathway\.test)\s+(demo-[0-9a-f-]+)/gm)].map(m => [m[1], { email: m[2], password: m[3] }]))
  const key = path.join(dir, 'vetting.key')
  assert.equal(runPathway(['vetting', 'keygen', '--out', key]).status, 0)
  server = await startPathway(['--vetting-key', key], { db })
  browser = await launchBrowser()
})

after(async () => {
  await browser?.close()
  await server?.stop()
  rmSync(dir, { recursive: true, force: true })
})

test('the clearance report, a case from opening to decision, and its notes pass axe', async () => {
  const context = await browser.newContext()
  const page = await context.newPage()
  await page.goto(`${server.base}/sign-in`)
  await page.fill('#email', users['Vetting officer'].email)
  await page.fill('#password', users['Vetting officer'].password)
  await page.click('button:has-text("Sign in")')

  await page.click('.govuk-service-navigation a:has-text("Vetting")')
  assert.equal(await page.locator('h1').innerText(), 'Vetting')
  assert.deepEqual(await axeViolations(page), [])
  await page.click('a:has-text("Clearances in HMRC")')
  assert.match(await page.locator('h1').innerText(), /^Clearances in /)
  assert.deepEqual(await axeViolations(page), [])
  await page.selectOption('#within', '180')
  await page.click('button:has-text("Show")')
  assert.match(page.url(), /within=180/)

  await page.locator('a:has-text("Open a case")').first().click()
  assert.notEqual(await page.inputValue('#person'), '')
  await page.check('#kind-renewal')
  await page.fill('#level-sought', 'XX')
  await page.click('button:has-text("Open the case")')
  assert.match(await page.title(), /^Error: /)
  assert.equal(await page.locator('.govuk-error-summary a').first().getAttribute('href'), '#level-sought')
  assert.deepEqual(await axeViolations(page), [])
  await page.fill('#level-sought', 'SC')
  await page.check('#kind-renewal')
  await page.click('button:has-text("Open the case")')
  assert.match(await page.locator('h1').innerText(), /^Vetting case \d+: /)
  assert.deepEqual(await axeViolations(page), [])

  await page.selectOption('#stage', 'checks')
  await page.click('button:has-text("Record the stage")')
  assert.match(await page.locator('.govuk-notification-banner').innerText(), /stage was recorded/)
  await page.fill('#text', 'Checks requested\nfrom two referees')
  await page.click('button:has-text("Add the note")')
  await page.click('button:has-text("Read the notes")')
  assert.match(await page.title(), /^Error: /)
  assert.equal(await page.locator('.govuk-error-summary a').first().getAttribute('href'), '#read-reason')
  assert.deepEqual(await axeViolations(page), [])
  await page.fill('#read-reason', 'Preparing the decision')
  await page.click('button:has-text("Read the notes")')
  assert.match(await page.locator('.govuk-summary-card').first().innerText(), /Checks requested\nfrom two referees/)
  assert.deepEqual(await axeViolations(page), [])

  await page.check('#outcome-granted')
  await page.fill('#granted-level', 'SC')
  await page.fill('#review-due', '2035-01-01')
  await page.click('button:has-text("Record the decision")')
  assert.match(await page.title(), /^Error: /)
  assert.equal(await page.locator('.govuk-error-summary a').first().getAttribute('href'), '#reason')
  assert.deepEqual(await axeViolations(page), [])
  assert.equal(await page.isChecked('#outcome-granted'), true, 'the choice is kept')
  assert.equal(await page.inputValue('#granted-level'), 'SC')
  await page.fill('#reason', 'All checks clear')
  await page.click('button:has-text("Record the decision")')
  assert.match(await page.locator('.govuk-notification-banner').innerText(), /decision was recorded/)
  assert.match(await page.locator('.govuk-summary-list').first().innerText(), /granted: SC/)
  assert.deepEqual(await axeViolations(page), [])
  await context.close()
})
