// Starts the real `pathway` binary on a temporary database and a free port, waits
// for /healthz, and stops it by its PID. Shared by the black-box and browser tests.
import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
export const binary = process.env.PATHWAY_BIN ?? path.join(root, 'build/dev/pathway')
// The token test servers serve /metrics with (PATHWAY_METRICS_TOKEN).
export const metricsToken = 'test-metrics-token'
export const metricsHeaders = { authorization: `Bearer ${metricsToken}` }

export async function startPathway (extraArgs = [], { env = {}, db: givenDb } = {}) {
  const dir = mkdtempSync(path.join(tmpdir(), 'pathway-test-'))
  const db = givenDb ?? path.join(dir, 'test.db')
  const child = spawn(binary, ['serve', '--db', db, '--listen', '127.0.0.1:0',
    '--root', root, '--access-log', path.join(dir, 'access.log'), ...extraArgs], {
    env: { PATHWAY_METRICS_TOKEN: metricsToken, ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let stderr = ''
  const exited = new Promise(resolve => child.on('exit', (code, signal) => resolve({ code, signal })))
  const port = await new Promise((resolve, reject) => {
    // Generous: the sanitizer build takes seconds to load its index and routes, and on a
    // machine busy with other builds once took more than 30 s (the vetting test in a fresh
    // clone). This only bounds a server that never starts.
    // A server that never started is stopped, so that no test leaves one running.
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`pathway did not start:\n${stderr}`))
    }, 120000)
    child.stderr.on('data', chunk => {
      stderr += chunk
      const m = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(stderr)
      if (m) { clearTimeout(timer); resolve(Number(m[1])) }
    })
    child.on('exit', code => { clearTimeout(timer); reject(new Error(`pathway exited with ${code}:\n${stderr}`)) })
  })
  const base = `http://127.0.0.1:${port}`
  // Ready when /healthz answers 200.
  for (let i = 0; ; i++) {
    try {
      const res = await fetch(`${base}/healthz`)
      if (res.status === 200) break
    } catch (err) {
      if (i > 200) throw err
    }
    await new Promise(resolve => setImmediate(resolve))
  }
  return {
    base,
    port,
    dir,
    db,
    child,
    exited,
    stderr: () => stderr,
    async stop () {
      if (child.exitCode === null && child.signalCode === null && !child.killed) child.kill('SIGTERM')
      const result = await exited
      rmSync(dir, { recursive: true, force: true })
      return result
    }
  }
}

// Runs `pathway ARGS` to completion, with `input` on standard input.
export function runPathway (args, input = '') {
  return spawnSync(binary, args, { input, encoding: 'utf8' })
}

// Adds a user with the CLI, the way an operator does: the password on standard input.
export function addUser (db, email, name, password, roles = []) {
  const res = runPathway(['user', 'add', '--db', db, '--root', root, '--email', email, '--name', name,
    ...roles.flatMap(r => ['--role', r])], `${password}\n`)
  if (res.status !== 0) throw new Error(`user add failed: ${res.stderr}`)
  return res
}

// A tiny cookie jar for fetch: keeps what Set-Cookie sends, sends it back.
export class Browserless {
  constructor (base) { this.base = base; this.cookies = new Map() }
  async fetch (path, options = {}) {
    const headers = { ...(options.headers ?? {}) }
    if (this.cookies.size) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ')
    const res = await fetch(`${this.base}${path}`, { ...options, headers, redirect: 'manual' })
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';')
      const eq = pair.indexOf('=')
      const name = pair.slice(0, eq)
      const value = pair.slice(eq + 1)
      if (/max-age=0/i.test(line) || value === '') this.cookies.delete(name); else this.cookies.set(name, value)
    }
    return res
  }
  async form (path, fields) {
    return this.fetch(path, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString()
    })
  }
  // Opens the sign-in page and signs in; returns the response to the POST.
  async signIn (email, password) {
    const page = await (await this.fetch('/sign-in')).text()
    const token = /name="signin-token" value="([^"]+)"/.exec(page)[1]
    return this.form('/sign-in', { 'signin-token': token, email, password, next: '/account' })
  }
  async csrf (path = '/account') {
    const page = await (await this.fetch(path)).text()
    return /name="csrf-token" value="([^"]+)"/.exec(page)[1]
  }
}
