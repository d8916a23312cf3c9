// Starts the real `pathway` binary on a temporary database and a free port, waits
// for /healthz, and stops it by its PID. Shared by the black-box and browser tests.
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
export const binary = process.env.PATHWAY_BIN ?? path.join(root, 'build/dev/pathway')

export async function startPathway (extraArgs = [], { env = {} } = {}) {
  const dir = mkdtempSync(path.join(tmpdir(), 'pathway-test-'))
  const db = path.join(dir, 'test.db')
  const child = spawn(binary, ['serve', '--db', db, '--listen', '127.0.0.1:0',
    '--root', root, '--access-log', path.join(dir, 'access.log'), ...extraArgs], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let stderr = ''
  const exited = new Promise(resolve => child.on('exit', (code, signal) => resolve({ code, signal })))
  const port = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`pathway did not start:\n${stderr}`)), 30000)
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
