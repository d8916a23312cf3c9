// The upload page in Chromium: accessible, with a progress bar while the file is sent,
// then the imported framework; and the same page with an error.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { root, runPathway, startPathway } from '../lib/pathway.mjs'
import { launchBrowser, axeViolations, screenshot } from '../lib/browser.mjs'

let server
let browser
let dir
let adminSignIn

before(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'pathway-upload-browser-'))
  const db = path.join(dir, 'demo.db')
  const demo = runPathway(['demo', '--db', db, '--root', root])
  const m = /Administrator\s+(\S+)\s+(demo-[0-9a-f-]+)/.exec(demo.stdout)
  adminSignIn = { email: m[1], password: m[2] }
  server = await startPathway([], { db })
  browser = await launchBrowser()
})
after(async () => {
  await browser?.close()
  await server?.stop()
  rmSync(dir, { recursive: true, force: true })
})

test('upload a framework file with a progress bar, and see a bad file refused', async () => {
  const page = await browser.newPage()
  const problems = []
  page.on('pageerror', err => problems.push(err.message))
  await page.goto(`${server.base}/sign-in?next=/frameworks/import`)
  await page.fill('#email', adminSignIn.email)
  await page.fill('#password', adminSignIn.password)
  await page.click('button:has-text("Sign in")')
  assert.equal(await page.locator('h1').innerText(), 'Import a framework')
  await screenshot(page, 'import')
  assert.deepEqual(await axeViolations(page), [])

  // A file in the wrong format: the errors come back on the same page.
  const wrong = path.join(dir, 'wrong.csv')
  writeFileSync(wrong, 'not,a,framework\n')
  await page.check('#format-csv')
  await page.setInputFiles('#file', wrong)
  await page.click('button:has-text("Import")')
  await page.waitForSelector('.govuk-error-summary')
  assert.match(await page.locator('.govuk-error-summary').innerText(), /wrong\.csv: Line 1, column 1/)
  await screenshot(page, 'import-error')
  assert.deepEqual(await axeViolations(page), [])

  // The real file: the progress bar shows, then the framework's page.
  await page.check('#format-document')
  await page.setInputFiles('#file', path.join(root, 'data/frameworks/cscf-level5-sms1.txt'))
  await Promise.all([
    page.waitForURL(/\/frameworks\/[0-9a-f-]+\/versions\/\d+\?done=imported$/),
    page.click('button:has-text("Import")')
  ])
  assert.match(await page.locator('.govuk-notification-banner').innerText(), /The framework has been imported/)
  assert.deepEqual(problems, [])
  await page.close()
})
