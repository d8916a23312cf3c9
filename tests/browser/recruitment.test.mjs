// Recruitment in Chromium, on the demo: HR creates a vacancy by its form (a closing date
// in the past is reported in the error summary), Ben applies by the advert's form, the
// panel scores by the application's form, HR sees the merit list; every page passes axe.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { runPathway, startPathway, root } from '../lib/pathway.mjs'
import { launchBrowser, axeViolations } from '../lib/browser.mjs'

let dir, server, browser, users

before(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'pathway-recruit-browser-'))
  const db = path.join(dir, 'demo.db')
  const created = runPathway(['demo', '--db', db, '--root', root, '--seed', '3', '--people', '200'])
  assert.equal(created.status, 0, created.stderr)
  users = Object.fromEntries([...created.stdout.matchAll(/^\s+(.+?)\s{2,}(\S+@demo\.pathway\.test)\s+(demo-[0-9a-f-]+)/gm)].map(m => [m[1], { email: m[2], password: m[3] }]))
  server = await startPathway([], { db })
  browser = await launchBrowser()
})

after(async () => {
  await browser?.close()
  await server?.stop()
  rmSync(dir, { recursive: true, force: true })
})

async function signIn (role) {
  const context = await browser.newContext()
  const page = await context.newPage()
  await page.goto(`${server.base}/sign-in`)
  await page.fill('#email', users[role].email)
  await page.fill('#password', users[role].password)
  await page.click('button:has-text("Sign in")')
  return { context, page }
}

test('a vacancy is created, applied for and scored by its forms, and every page passes axe', async () => {
  const hr = await signIn('HR partner')
  let page = hr.page
  await page.goto(`${server.base}/vacancies`)
  assert.equal(await page.locator('h1').innerText(), 'Vacancies')
  assert.deepEqual(await axeViolations(page), [])
  await page.fill('#title', 'Policy adviser')
  await page.fill('#department', 'DWP')
  await page.fill('#grade', 'HEO')
  await page.fill('#closes-on', '2020-01-01')
  await page.click('button:has-text("Create the vacancy")')
  assert.match(await page.title(), /^Error: /)
  assert.equal(await page.locator('.govuk-error-summary a').first().getAttribute('href'), '#closes-on')
  assert.deepEqual(await axeViolations(page), [])
  await page.fill('#closes-on', '2099-12-31')
  await page.click('button:has-text("Create the vacancy")')
  assert.equal(await page.locator('h1').innerText(), 'Policy adviser')
  assert.ok(await page.locator('table tbody tr').count() >= 9, 'the behaviours are in the profile')
  assert.deepEqual(await axeViolations(page), [])
  const vacancy = page.url().replace(/\?.*$/, '')
  await hr.context.close()

  const ben = await signIn('Individual')
  page = ben.page
  await page.goto(vacancy)
  await page.fill('#statement-0', 'I led a team through a change of policy.')
  await page.click('button:has-text("Send my application")')
  assert.match(await page.locator('.govuk-notification-banner').innerText(), /application has been sent/)
  assert.deepEqual(await axeViolations(page), [])
  await ben.context.close()

  // The vacancy's creator sits on its panel: the merit list and the scoring form.
  const again = await signIn('HR partner')
  page = again.page
  await page.goto(`${vacancy}/merit-list`)
  assert.equal(await page.locator('h1').innerText(), 'Merit list')
  assert.deepEqual(await axeViolations(page), [])
  await page.click('table tbody a')
  await page.selectOption('#score-0', '5')
  await page.click('button:has-text("Save my scores")')
  assert.equal(await page.inputValue('#score-0'), '5')
  assert.deepEqual(await axeViolations(page), [])
  await again.context.close()
})
