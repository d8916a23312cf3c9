// The demo database that `make run` creates on first run.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { runPathway, startPathway, Browserless, root } from '../lib/pathway.mjs'

function signIns (text) {
  return Object.fromEntries([...text.matchAll(/^\s+(.+?)\s{2,}(\S+@demo\.pathway\.test)\s+(demo-[0-9a-f-]+)/gm)].map(m => [m[1], { email: m[2], password: m[3] }]))
}

test('pathway demo creates demo users for each role, prints their sign-ins, and never touches a real database', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'pathway-demo-'))
  try {
    const db = path.join(dir, 'demo.db')
    const created = runPathway(['demo', '--db', db, '--root', root, '--seed', '7'])
    assert.equal(created.status, 0, created.stderr)
    const users = signIns(created.stdout)
    for (const role of ['Administrator', 'Individual', 'Line manager', 'HR partner', 'Vetting officer', 'Head of profession']) {
      assert.ok(users[role], `a ${role} sign-in is printed`)
    }
    const again = runPathway(['demo', '--db', db, '--root', root, '--seed', '7'])
    assert.equal(again.status, 1)
    assert.match(again.stderr, /already has users/)
    // A real database with an administrator is refused too, and left as it was.
    const real = path.join(dir, 'real.db')
    runPathway(['user', 'add', '--db', real, '--root', root, '--email', 'a@example.gov.uk', '--name', 'A', '--role', 'admin'], 'a long enough password\n')
    assert.equal(runPathway(['demo', '--db', real, '--root', root]).status, 1)
    assert.ok(existsSync(real))

    // The server prints the same sign-ins at start; they work, and scopes apply.
    const server = await startPathway([], { db })
    try {
      assert.deepEqual(signIns(server.stderr()), users)
      const manager = new Browserless(server.base)
      assert.equal((await manager.signIn(users['Line manager'].email, users['Line manager'].password)).status, 303)
      const people = await (await manager.fetch('/account')).text()
      assert.match(people, /Chloe Wright/)
      // Chloe manages Ben (DWP-0003, the third person); she cannot see HMRC's people.
      assert.equal((await manager.fetch('/people/3')).status, 200)
      assert.equal((await manager.fetch('/people/8')).status, 404)
      const hr = new Browserless(server.base)
      await hr.signIn(users['HR partner'].email, users['HR partner'].password)
      assert.equal((await hr.fetch('/people/3')).status, 200, 'HR partner for DWP sees DWP people')
      assert.equal((await hr.fetch('/people/9')).status, 404, 'but not HMRC people')
    } finally {
      await server.stop()
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})
