// The skills passport from the command line, across two databases: keygen, export,
// verify, trust, import with consent; refusals print the reason and record nothing.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync, readFileSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { runPathway, root } from '../lib/pathway.mjs'

let dir, a, b

function passportRows (db) {
  return Number(spawnSync('sqlite3', [db, "SELECT count(*) FROM assessment WHERE assessor = 'passport'"], { encoding: 'utf8' }).stdout.trim())
}

before(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'pathway-passport-'))
  a = path.join(dir, 'a.db')
  b = path.join(dir, 'b.db')
  for (const db of [a, b]) {
    const made = runPathway(['demo', '--db', db, '--root', root, '--seed', '7', '--people', '200'])
    assert.equal(made.status, 0, made.stderr)
  }
})
after(() => rmSync(dir, { recursive: true, force: true }))

test('a passport exported from one department verifies and imports in another that trusts its key', () => {
  const keyFile = path.join(dir, 'dwp.key')
  const made = runPathway(['passport', 'keygen', '--db', a, '--root', root, '--department', 'DWP', '--out', keyFile])
  assert.equal(made.status, 0, made.stderr)
  assert.equal(statSync(keyFile).mode & 0o077, 0, 'the private key is the owner\'s alone')
  const key = JSON.parse(made.stdout)
  assert.match(key.kid, /^DWP-[0-9a-f]{16}$/)
  assert.notEqual(runPathway(['passport', 'keygen', '--db', a, '--root', root, '--department', 'DWP', '--out', keyFile]).status, 0, 'never overwritten')

  const exported = runPathway(['passport', 'export', '--db', a, '--root', root, '--person', 'DWP-0003', '--key', keyFile])
  assert.equal(exported.status, 0, exported.stderr)
  const jws = exported.stdout.trim()
  assert.equal(jws.split('.').length, 3)
  const header = JSON.parse(Buffer.from(jws.split('.')[0], 'base64url'))
  assert.deepEqual([header.alg, header.typ, header.kid], ['EdDSA', 'vc+jwt', key.kid])
  const vc = JSON.parse(Buffer.from(jws.split('.')[1], 'base64url'))
  assert.equal(vc['@context'][0], 'https://www.w3.org/ns/credentials/v2')
  assert.ok(vc.type.includes('OpenBadgeCredential'))
  assert.ok(vc.credentialSubject.result.length > 0, 'Ben has confirmed levels')
  const file = path.join(dir, 'ben.jws')
  writeFileSync(file, jws + '\n')

  assert.equal(runPathway(['passport', 'verify', '--db', a, '--root', root, file]).status, 0)
  // The other department does not trust the key yet.
  const untrusted = runPathway(['passport', 'verify', '--db', b, '--root', root, file])
  assert.equal(untrusted.status, 1)
  assert.match(untrusted.stderr, /not on this database's trust list/)
  const keyJson = path.join(dir, 'dwp-key.json')
  writeFileSync(keyJson, JSON.stringify(key))
  assert.equal(runPathway(['passport', 'trust', '--db', b, '--root', root, keyJson]).status, 0)
  assert.equal(runPathway(['passport', 'verify', '--db', b, '--root', root, file]).status, 0)

  // An altered byte, another person, no consent: refused, nothing recorded.
  const altered = path.join(dir, 'altered.jws')
  const bytes = Buffer.from(jws)
  bytes[Math.floor(bytes.length / 2)] ^= 1
  writeFileSync(altered, bytes)
  const bad = runPathway(['passport', 'verify', '--db', b, '--root', root, altered])
  assert.equal(bad.status, 1)
  assert.match(bad.stderr, /Not verified/)
  assert.notEqual(runPathway(['passport', 'import', '--db', b, '--root', root, '--person', 'DWP-0003', file]).status, 0, 'consent is required')
  const other = runPathway(['passport', 'import', '--db', b, '--root', root, '--person', 'DWP-0004', '--consent', file])
  assert.equal(other.status, 1)
  assert.match(other.stderr, /for DWP-0003, not for DWP-0004/)
  writeFileSync(path.join(dir, 'huge.jws'), 'a'.repeat(1024 * 1024 + 10))
  assert.equal(runPathway(['passport', 'verify', '--db', b, '--root', root, path.join(dir, 'huge.jws')]).status, 1)
  assert.equal(passportRows(b), 0)

  const imported = runPathway(['passport', 'import', '--db', b, '--root', root, '--person', 'DWP-0003', '--consent', file])
  assert.equal(imported.status, 0, imported.stderr)
  const recorded = Number(/(\d+) levels recorded/.exec(imported.stdout)[1])
  assert.ok(recorded > 0)
  assert.equal(passportRows(b), recorded)
  assert.notEqual(runPathway(['passport', 'import', '--db', b, '--root', root, '--person', 'DWP-0003', '--consent', file]).status, 0, 'once')

  // A revoked key no longer verifies.
  assert.equal(runPathway(['passport', 'revoke-key', '--db', b, '--root', root, '--kid', key.kid]).status, 0)
  const revoked = runPathway(['passport', 'verify', '--db', b, '--root', root, file])
  assert.equal(revoked.status, 1)
  assert.match(revoked.stderr, /revoked/)
  assert.equal(readFileSync(file, 'utf8').trim(), jws)
})
