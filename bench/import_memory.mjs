#!/usr/bin/env node
// How much memory do unentitled uploads make the server hold? Opens 8 connections with
// no credentials and 8 signed in as a demo user who may not import, each promising a
// 20 MB body to POST /admin/import and then sending it in 1 MB pieces as fast as the
// server takes it, and reports the server's resident memory (VmRSS, VmHWM from /proc)
// before and after. The server should refuse every one from the headers alone, so its
// memory should barely move.
//
//   PATHWAY_BIN=build/dev/pathway node bench/import_memory.mjs
//
// Output: bench=import_memory rss_before_kb=N rss_after_kb=N hwm_kb=N refused=N of 16
import net from 'node:net'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { root, runPathway, startPathway, Browserless } from '../tests/lib/pathway.mjs'

const dir = mkdtempSync(path.join(tmpdir(), 'pathway-importmem-'))
const db = path.join(dir, 'demo.db')
const demo = runPathway(['demo', '--db', db, '--root', root])
const users = Object.fromEntries([...demo.stdout.matchAll(/^\s+(.+?)\s{2,}(\S+@demo\.pathway\.test)\s+(demo-[0-9a-f-]+)/gm)]
  .map(m => [m[1], { email: m[2], password: m[3] }]))
const name = Object.keys(users).find(n => n !== 'Administrator')
const server = await startPathway([], { db })
const status = () => Object.fromEntries(readFileSync(`/proc/${server.child.pid}/status`, 'utf8')
  .split('\n').filter(l => /^Vm(RSS|HWM):/.test(l)).map(l => [l.split(':')[0], Number(l.split(/\s+/)[1])]))

const reader = new Browserless(server.base)
await reader.signIn(users[name].email, users[name].password)
const cookie = [...reader.cookies].map(([k, v]) => `${k}=${v}`).join('; ')
const before = status()

const size = 20 * 1000 * 1000
const chunk = Buffer.alloc(1024 * 1024, 'a')
function promise (withCookie) {
  return new Promise(resolve => {
    const socket = net.connect(server.port, '127.0.0.1')
    let answer = ''
    let sent = 0
    socket.setMaxListeners(100)
    socket.on('data', data => { answer += data })
    socket.on('error', () => {})
    socket.on('close', () => resolve(answer))
    socket.on('connect', async () => {
      socket.write('POST /admin/import HTTP/1.1\r\nHost: 127.0.0.1\r\n' +
        (withCookie ? `Cookie: ${cookie}\r\n` : '') +
        `Content-Type: multipart/form-data; boundary=x\r\nContent-Length: ${size}\r\n\r\n`)
      while (sent < size && !socket.destroyed && !answer) {
        const more = socket.write(chunk)
        sent += chunk.length
        if (!more) await new Promise(resolve => { socket.once('drain', resolve); socket.once('close', resolve) })
      }
      // Keep the connection open a little, as a slow client would, then go.
      setTimeout(() => socket.destroy(), 3000)
    })
  })
}
const peak = { VmRSS: 0 }
const sampler = setInterval(() => { const s = status(); if (s.VmRSS > peak.VmRSS) peak.VmRSS = s.VmRSS }, 50)
const answers = await Promise.all([...Array(8)].map(() => promise(false)).concat([...Array(8)].map(() => promise(true))))
clearInterval(sampler)
const after = status()
const refused = answers.filter(a => /^HTTP\/1\.1 413 /.test(a)).length
console.log(`bench=import_memory user="${name}" rss_before_kb=${before.VmRSS} rss_peak_sampled_kb=${peak.VmRSS} ` +
  `rss_after_kb=${after.VmRSS} hwm_kb=${after.VmHWM} refused=${refused} of 16`)
await server.stop()
rmSync(dir, { recursive: true, force: true })
