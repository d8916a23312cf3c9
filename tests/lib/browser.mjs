// Debian's Chromium driven by playwright-core (never a downloaded browser), and
// axe-core run inside the page for WCAG 2.2 AA checks.
import { chromium } from 'playwright-core'
import { mkdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { root } from './pathway.mjs'

const require = createRequire(import.meta.url)
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8')

export const screenshotDir = path.join(root, 'build/dev/screenshots')

export async function launchBrowser () {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic']
  })
}

// Runs axe-core on the page as it is now and returns its violations of WCAG 2.0, 2.1
// and 2.2 at levels A and AA. Evaluated through the DevTools protocol, so the page's
// Content-Security-Policy (no inline script) stays in force for the page itself.
export async function axeViolations (page) {
  await page.evaluate(axeSource)
  const result = await page.evaluate(() => window.axe.run(document, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] }
  }))
  return result.violations.map(v => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(n => n.target.join(' ')) }))
}

export async function screenshot (page, name) {
  mkdirSync(screenshotDir, { recursive: true })
  const file = path.join(screenshotDir, `${name}.png`)
  await page.screenshot({ path: file, fullPage: true })
  return file
}
