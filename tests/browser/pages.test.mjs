// Browser tests: the pages as a person sees them in Chromium, checked with axe-core.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { existsSync } from 'node:fs'
import { startPathway } from '../lib/pathway.mjs'
import { launchBrowser, axeViolations, screenshot } from '../lib/browser.mjs'

let server
let browser

before(async () => {
  server = await startPathway()
  browser = await launchBrowser()
})
after(async () => {
  await browser?.close()
  await server?.stop()
})

async function openPage (path) {
  const page = await browser.newPage()
  const problems = []
  page.on('console', msg => { if (msg.type() === 'error') problems.push(msg.text()) })
  page.on('pageerror', err => problems.push(err.message))
  const response = await page.goto(`${server.base}${path}`)
  await page.waitForLoadState('networkidle')
  return { page, response, problems }
}

test('the start page renders with GOV.UK styles and has no accessibility violations', async () => {
  const { page, response, problems } = await openPage('/')
  assert.equal(response.status(), 200)
  assert.equal(await page.title(), 'Competency and career frameworks - Pathway')
  assert.equal(await page.locator('h1').innerText(), 'Pathway')
  // GOV.UK Frontend's stylesheet and script loaded: the body is marked as supported
  // by the module script and the heading uses the GOV.UK font.
  assert.match(await page.locator('body').getAttribute('class'), /govuk-frontend-supported/)
  const font = await page.locator('h1').evaluate(el => getComputedStyle(el).fontFamily)
  assert.match(font, /GDS Transport|arial/i)
  assert.deepEqual(problems, [], 'no console errors and no CSP violations')
  const file = await screenshot(page, 'start')
  assert.ok(existsSync(file))
  assert.deepEqual(await axeViolations(page), [])
  await page.close()
})

test('the skip link is the first thing the keyboard reaches and moves focus to main content', async () => {
  const { page } = await openPage('/')
  await page.keyboard.press('Tab')
  const focused = await page.evaluate(() => document.activeElement.textContent.trim())
  assert.equal(focused, 'Skip to main content')
  await page.keyboard.press('Enter')
  await page.waitForURL(/#main-content$/)
  assert.match(page.url(), /#main-content$/)
  await page.close()
})

test('the 404 page has no accessibility violations', async () => {
  const { page, response, problems } = await openPage('/no-such-page')
  assert.equal(response.status(), 404)
  assert.equal(await page.locator('h1').innerText(), 'Page not found')
  assert.deepEqual(problems.filter(p => !/404/.test(p)), [])
  await screenshot(page, 'not-found')
  assert.deepEqual(await axeViolations(page), [])
  await page.close()
})
