// Assessments in Chromium, on the demo database: a person assesses themselves by
// keyboard-friendly form, submits, their line manager confirms from the to-do list and
// the start page; every page passes axe-core, and the gap chart has the table's numbers.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { runPathway, startPathway, root } from '../lib/pathway.mjs'
import { launchBrowser, axeViolations, screenshot } from '../lib/browser.mjs'

let dir, server, browser, users

before(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'pathway-assess-browser-'))
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

test('self-assessment, confirmation, levels with why, gap and plan pages work and pass axe', async () => {
  const ben = await signIn('Individual')
  const page = ben.page
  await page.goto(`${server.base}/`)
  assert.match(await page.locator('h1').innerText(), /^Hello, Ben Okafor/)
  assert.deepEqual(await axeViolations(page), [])
  await page.click('a:has-text("Your assessments")')
  assert.equal(await page.locator('h1').innerText(), 'Your assessments')
  assert.deepEqual(await axeViolations(page), [])
  await page.click('button:has-text("Assess yourself against your role")')
  assert.equal(await page.locator('h1').innerText(), 'Your self-assessment')
  assert.deepEqual(await axeViolations(page), [])
  // Submitting with nothing rated: the error summary links each problem to its field.
  await page.click('button:has-text("Submit to your line manager")')
  assert.match(await page.title(), /^Error: /)
  const link = page.locator('.govuk-error-summary a').first()
  assert.equal(await link.getAttribute('href'), '#level-0')
  assert.deepEqual(await axeViolations(page), [])
  const selects = page.locator('select[id^="level-"]')
  const count = await selects.count()
  for (let i = 0; i < count; i++) {
    await selects.nth(i).selectOption({ index: 2 })
    await page.fill(`#situation-${i}`, `A situation for item ${i}`)
  }
  await page.click('button:has-text("Submit to your line manager")')
  assert.match(await page.locator('main .govuk-tag').first().innerText(), /submitted/i)
  await screenshot(page, 'self-assessment-submitted')

  const chloe = await signIn('Line manager')
  await chloe.page.goto(`${server.base}/`)
  assert.match(await chloe.page.locator('main').innerText(), /1 of your team's self-assessments to confirm/)
  await chloe.page.click('a:has-text("self-assessments to confirm")')
  assert.deepEqual(await axeViolations(chloe.page), [])
  await chloe.page.click('a:has-text("Ben Okafor")')
  assert.equal(await chloe.page.locator('h1').innerText(), 'Self-assessment')
  assert.deepEqual(await axeViolations(chloe.page), [])
  await chloe.page.locator('#level-0').selectOption({ index: 3 })
  await chloe.page.fill('#comment-0', 'Shown well in the last quarter')
  await chloe.page.click('button:has-text("Confirm levels")')
  assert.match(await chloe.page.locator('.govuk-notification-banner').innerText(), /confirmed/)

  await page.goto(`${server.base}/people/3/assessments`)
  await page.locator('summary').first().click()
  assert.deepEqual(await axeViolations(page), [])
  assert.match(await page.content(), /Shown well in the last quarter/)

  await page.goto(`${server.base}/people/3/gap`)
  assert.deepEqual(await axeViolations(page), [])
  const needBars = await page.locator('svg[role="img"] rect[stroke="#0b0c0c"][height="22"]').count()
  const rows = await page.locator('table tbody tr').count()
  assert.equal(needBars, rows, 'one bar per row of the table')
  await screenshot(page, 'gap')

  await page.goto(`${server.base}/people/3/development`)
  await page.fill('#due-on', '2099-12-31')
  await page.click('button:has-text("Create actions from the gap")')
  assert.deepEqual(await axeViolations(page), [])
  await page.goto(`${server.base}/learning`)
  assert.deepEqual(await axeViolations(page), [])
  await ben.context.close()
  await chloe.context.close()
})
