// Importing a framework from the upload page: all or nothing, every problem listed.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { spawnSync } from 'node:child_process'
import { root, runPathway, startPathway, Browserless } from '../lib/pathway.mjs'

let server
let dir
let admin
let db
let users

function signIns (text) {
  return Object.fromEntries([...text.matchAll(/^\s+(.+?)\s{2,}(\S+@demo\.pathway\.test)\s+(demo-[0-9a-f-]+)/gm)].map(m => [m[1], { email: m[2], password: m[3] }]))
}

async function upload (client, format, name, bytes, token) {
  const form = new FormData()
  form.append('csrf-token', token ?? await client.csrf('/frameworks/import'))
  if (format) form.append('format', format)
  if (bytes !== undefined) form.append('file', new Blob([bytes]), name)
  return client.fetch('/frameworks/import', { method: 'POST', body: form })
}

function versions () {
  return spawnSync('sqlite3', [db, 'SELECT COUNT(*) FROM framework_version'], { encoding: 'utf8' }).stdout.trim()
}

before(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'pathway-upload-'))
  db = path.join(dir, 'demo.db')
  const demo = runPathway(['demo', '--db', db, '--root', root])
  users = signIns(demo.stdout)
  server = await startPathway([], { db })
  admin = new Browserless(server.base)
  await admin.signIn(users.Administrator.email, users.Administrator.password)
})
after(async () => {
  await server?.stop()
  rmSync(dir, { recursive: true, force: true })
})

test('a CSV file uploads as a new version of the framework it describes', async () => {
  const before = versions()
  const csv = readFileSync(path.join(root, 'data/frameworks/success-profiles-behaviours.csv'))
  const res = await upload(admin, 'csv', 'behaviours.csv', csv)
  assert.equal(res.status, 303, await res.text())
  assert.match(res.headers.get('location'), /^\/frameworks\/[0-9a-f-]{36}\/versions\/2\?done=imported$/)
  assert.equal(Number(versions()), Number(before) + 1)
  const page = await (await admin.fetch(res.headers.get('location'))).text()
  assert.match(page, /The framework has been imported/)
})

test('a document uploads as a new framework', async () => {
  const text = readFileSync(path.join(root, 'data/frameworks/cscf-level5-sms1.txt'), 'utf8')
    .replace('Civil Service Competency Framework By Grade – SMS 1', 'Civil Service Competency Framework By Grade – Executive Officer')
  const res = await upload(admin, 'document', 'eo.txt', text)
  assert.equal(res.status, 303, await res.text())
})

test('a bad file is refused with every problem listed and nothing imported', async () => {
  const before = versions()
  const res = await upload(admin, 'csv', 'wrong.csv', readFileSync(path.join(root, 'data/frameworks/cscf-level5-sms1.txt')))
  assert.equal(res.status, 422)
  const html = await res.text()
  assert.match(html, /<title>Error: Import a framework - Pathway<\/title>/)
  assert.match(html, /govuk-error-summary/)
  assert.match(html, /wrong\.csv: Line 1, column 1:/)
  const missing = await upload(admin, undefined, undefined, undefined)
  assert.equal(missing.status, 422)
  const missingHtml = await missing.text()
  assert.match(missingHtml, /Select the file(&#39;|’|')s format/)
  assert.match(missingHtml, /Select a file to import/)
  assert.equal(versions(), before)
})

test('uploads need the CSRF token and are refused above the size limit', async () => {
  const forged = await upload(admin, 'csv', 'x.csv', 'type\n', 'not-the-token')
  assert.equal(forged.status, 403)
  const huge = await upload(admin, 'csv', 'big.csv', Buffer.alloc(21 * 1024 * 1024, 'a'))
  assert.equal(huge.status, 413)
  // Other routes keep the ordinary limit.
  const other = await admin.fetch('/frameworks/new', {
    method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'x='.padEnd(2 * 1024 * 1024, 'a')
  })
  assert.equal(other.status, 413)
})

test('a refused upload is answered 413 while the client is still sending, and the client can finish sending and read it', async () => {
  // A raw socket that keeps sending after the server's answer (half-open, as a slow
  // client would): the headers declare 21 MB for the 20 MB import route, then the body
  // follows in 1 MB chunks. The server answers at once and reads past the declared body
  // (up to a bound) before closing, so no write fails with EPIPE or a reset. Before,
  // it closed after 1 MB and the client's next write failed.
  const { createConnection } = await import('node:net')
  const cookie = [...admin.cookies].map(([k, v]) => `${k}=${v}`).join('; ')
  const socket = createConnection({ host: '127.0.0.1', port: server.port, allowHalfOpen: true })
  socket.setMaxListeners(100)
  await new Promise(resolve => socket.once('connect', resolve))
  let answer = ''
  socket.on('data', chunk => { answer += chunk })
  let failed = null
  socket.on('error', err => { failed = err })
  const size = 21 * 1024 * 1024
  socket.write(`POST /frameworks/import HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: ${cookie}\r\n` +
    `Content-Type: multipart/form-data; boundary=x\r\nContent-Length: ${size}\r\n\r\n`)
  const chunk = Buffer.alloc(1024 * 1024, 'a')
  let sent = 0
  while (sent < size && !failed && !socket.destroyed) {
    const more = socket.write(chunk)
    sent += chunk.length
    if (!more) {
      await new Promise(resolve => {
        socket.once('drain', resolve)
        socket.once('close', resolve)
      })
    }
  }
  await new Promise(resolve => setTimeout(resolve, 200))
  socket.destroy()
  assert.equal(failed, null, `every write succeeded (${failed?.code} after ${sent} bytes)`)
  assert.equal(sent, size)
  assert.match(answer, /^HTTP\/1\.1 413 /)
})

test('without a session or token, a body over 64 KiB is refused before it is read, even on the import route', async () => {
  const { createConnection } = await import('node:net')
  const socket = createConnection({ host: '127.0.0.1', port: server.port, allowHalfOpen: true })
  await new Promise(resolve => socket.once('connect', resolve))
  let answer = ''
  socket.on('data', chunk => { answer += chunk })
  // Headers only: the server must answer without waiting for the 100 KB it was promised.
  socket.write('POST /frameworks/import HTTP/1.1\r\nHost: 127.0.0.1\r\n' +
    'Content-Type: multipart/form-data; boundary=x\r\nContent-Length: 100000\r\n\r\n')
  const started = Date.now()
  while (!answer.includes('\r\n\r\n') && Date.now() - started < 5000) {
    await new Promise(resolve => setTimeout(resolve, 20))
  }
  socket.destroy()
  assert.match(answer, /^HTTP\/1\.1 413 /)
  // A signed-in administrator may still send a larger body there (up to its 20 MB).
  const form = new FormData()
  form.append('csrf-token', await admin.csrf('/frameworks/import'))
  form.append('format', 'csv')
  form.append('file', new Blob([Buffer.alloc(100000, 'a')]), 'big.csv')
  const res = await admin.fetch('/frameworks/import', { method: 'POST', body: form })
  assert.equal(res.status, 422, 'read and refused for its content, not its size')
})

test('a signed-in user without the import right is capped small before the body is read; an administrator is not', async () => {
  // Anyone signed in but an administrator: the demo's other users hold no right to import.
  const name = Object.keys(users).find(n => n !== 'Administrator')
  const reader = new Browserless(server.base)
  await reader.signIn(users[name].email, users[name].password)
  const { createConnection } = await import('node:net')
  for (const [who, client, expected] of [[name, reader, /^HTTP\/1\.1 413 /], ['Administrator', admin, null]]) {
    const cookie = [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; ')
    const socket = createConnection({ host: '127.0.0.1', port: server.port, allowHalfOpen: true })
    await new Promise(resolve => socket.once('connect', resolve))
    let answer = ''
    socket.on('data', chunk => { answer += chunk })
    socket.on('error', () => {})
    // Headers only, promising 20 MB less a little: within the route's limit.
    socket.write(`POST /frameworks/import HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: ${cookie}\r\n` +
      `Content-Type: multipart/form-data; boundary=x\r\nContent-Length: ${20 * 1000 * 1000}\r\n\r\n`)
    const started = Date.now()
    while (!answer.includes('\r\n\r\n') && Date.now() - started < 1500) {
      await new Promise(resolve => setTimeout(resolve, 20))
    }
    socket.destroy()
    if (expected) {
      assert.match(answer, expected, `${who} is refused before sending the body`)
    } else {
      assert.equal(answer, '', `${who} is waited for: the server reads the body`)
    }
  }
})
