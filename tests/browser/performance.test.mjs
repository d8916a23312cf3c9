// The performance year in Chromium, on the demo database: HR opens a year by its form (a
// wrong date is reported in the error summary, linked to its field); Ben agrees his
// objectives and proposed competencies by keyboard-friendly form; his manager agrees;
// the moderation page's chart has the table's numbers. Every page passes axe-core.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { runPathway, startPathway, root } from '../lib/pathway.mjs'
import { launchBrowser, axeViolations } from '../lib/browser.mjs'

let dir, server, browser, users

before(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'pathway-performance-browser-'))
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

test('HR opens a year, Ben and his manager agree by the forms, and every page passes axe', async () => {
  const hr = await signIn('HR partner')
  let page = hr.page
  await page.goto(`${server.base}/performance`)
  assert.equal(await page.locator('h1').innerText(), 'Performance year')
  assert.deepEqual(await axeViolations(page), [])
  await page.fill('#name', '2026 to 2027')
  await page.fill('#starts-on', '2026-04-01')
  await page.fill('#objectives-due', '2026-06-30')
  await page.fill('#midyear-due', '2026-06-01')
  await page.fill('#endyear-due', '2027-03-31')
  await page.click('button:has-text("Open the year")')
  assert.match(await page.title(), /^Error: /)
  assert.equal(await page.locator('.govuk-error-summary a').first().getAttribute('href'), '#midyear-due')
  assert.equal(await page.inputValue('#name'), '2026 to 2027', 'what was typed is kept')
  assert.deepEqual(await axeViolations(page), [])
  await page.fill('#midyear-due', '2026-10-31')
  await page.click('button:has-text("Open the year")')
  assert.match(await page.locator('h1').innerText(), /2026 to 2027/)
  assert.match(await page.locator('table caption').first().innerText(), /Completion by unit/)
  assert.deepEqual(await axeViolations(page), [])
  await page.click('a:has-text("Moderation")')
  assert.equal(await page.locator('svg[role="img"]').count(), 1)
  assert.deepEqual(await axeViolations(page), [])
  await hr.context.close()

  const ben = await signIn('Individual')
  page = ben.page
  await page.goto(`${server.base}/`)
  await page.click('a:has-text("Your performance year")')
  assert.equal(await page.locator('h1').innerText(), 'Your year')
  assert.deepEqual(await axeViolations(page), [])
  const proposals = await page.locator('input[id^="competency-"]:checked').count()
  assert.ok(proposals >= 1 && proposals <= 6, `about six proposed and ticked: ${proposals}`)
  await page.fill('#objective-text-0', 'Deliver the claims service')
  await page.fill('#objective-measure-0', 'Live by March')
  await page.fill('#objective-due-on-0', '2027-03-01')
  await page.fill('#objective-weight-0', '90')
  await page.click('button:has-text("Save and agree")')
  assert.match(await page.title(), /^Error: /)
  assert.equal(await page.locator('.govuk-error-summary a').first().getAttribute('href'), '#objective-weight-0')
  assert.deepEqual(await axeViolations(page), [])
  await page.fill('#objective-weight-0', '100')
  await page.click('button:has-text("Save and agree")')
  assert.match(await page.locator('.govuk-notification-banner').innerText(), /Saved/)
  const url = page.url()
  await ben.context.close()

  const chloe = await signIn('Line manager')
  page = chloe.page
  await page.goto(`${server.base}/performance`)
  assert.match(await page.locator('caption:has-text("Your team this year")').innerText(), /Your team/)
  assert.deepEqual(await axeViolations(page), [])
  await page.goto(url)
  await page.click('button:has-text("Save and agree")')
  assert.match(await page.locator('#objectives + p').innerText(), /Agreed/)
  assert.match(await page.locator('#mid').innerText(), /Mid-year review/)
  assert.deepEqual(await axeViolations(page), [])
  await chloe.context.close()
})
