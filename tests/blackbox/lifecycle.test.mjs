// Start-up, migration and shutdown of the real binary.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { binary, startPathway } from '../lib/pathway.mjs'

test('pathway --help lists the subcommands', () => {
  const out = execFileSync(binary, ['--help'], { encoding: 'utf8' })
  assert.match(out, /serve/)
  assert.match(out, /migrate/)
})

test('pathway migrate creates the database and is idempotent', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'pathway-migrate-'))
  try {
    const db = path.join(dir, 'new.db')
    const first = execFileSync(binary, ['migrate', '--db', db], { encoding: 'utf8' })
    assert.match(first, /schema version [1-9]\d* \(was 0\)/)
    const second = execFileSync(binary, ['migrate', '--db', db], { encoding: 'utf8' })
    const version = /schema version (\d+)/.exec(first)[1]
    assert.match(second, new RegExp(`schema version ${version} \\(was ${version}\\)`))
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

test('configuration comes from PATHWAY_* environment variables too', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'pathway-env-'))
  try {
    const db = path.join(dir, 'env.db')
    const out = execFileSync(binary, ['migrate'], { encoding: 'utf8', env: { ...process.env, PATHWAY_DB: db } })
    assert.match(out, new RegExp(db.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

test('bad flags are refused with a clear message', () => {
  const res = spawnSync(binary, ['serve', '--listen', 'no-port-here'], { encoding: 'utf8' })
  assert.notEqual(res.status, 0)
  assert.match(res.stderr, /HOST:PORT/)
  const workers = spawnSync(binary, ['serve', '--workers', '-3'], { encoding: 'utf8' })
  assert.notEqual(workers.status, 0)
})

test('SIGTERM finishes requests in flight and exits 0', async () => {
  const server = await startPathway()
  // Start many requests, then ask the server to stop while they are under way.
  const requests = Array.from({ length: 40 }, () =>
    fetch(`${server.base}/`).then(async r => ({ status: r.status, body: await r.text() })).catch(err => ({ error: err })))
  // Signal once the first answer is back, so that others are surely under way.
  await Promise.race(requests)
  server.child.kill('SIGTERM')
  const results = await Promise.all(requests)
  const { code } = await server.stop()
  assert.equal(code, 0)
  // Every request either completed in full or was never accepted; none was cut short.
  for (const r of results) {
    if (r.error) continue
    assert.equal(r.status, 200)
    assert.match(r.body, /<\/html>\s*$/)
  }
  assert.ok(results.some(r => !r.error), 'some requests were in flight')
})

test('an idle keep-alive connection does not delay shutdown', async () => {
  const server = await startPathway()
  const net = await import('node:net')
  const socket = net.connect(server.port, '127.0.0.1')
  await new Promise(resolve => socket.on('connect', resolve))
  socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n')
  await new Promise(resolve => socket.once('data', resolve))
  const started = Date.now()
  server.child.kill('SIGTERM')
  const { code } = await server.stop()
  socket.destroy()
  assert.equal(code, 0)
  assert.ok(Date.now() - started < 5000, 'stopped without waiting for the idle connection to time out')
})

test('a second server on the same port is refused with a clear message', async () => {
  const server = await startPathway()
  try {
    const res = spawnSync(binary, ['serve', '--db', path.join(server.dir, 'other.db'), '--listen', `127.0.0.1:${server.port}`], { encoding: 'utf8', timeout: 20000 })
    assert.equal(res.status, 1)
    assert.match(res.stderr, /Could not listen on 127\.0\.0\.1:\d+/)
  } finally {
    await server.stop()
  }
})
