// Black-box tests of the real binary over HTTP: routes, errors, limits, shutdown.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import net from 'node:net'
import { readFileSync } from 'node:fs'
import { startPathway, addUser, Browserless } from '../lib/pathway.mjs'
import { metricsHeaders } from '../lib/pathway.mjs'

let server

before(async () => {
  server = await startPathway(['--read-timeout-ms', '700', '--max-body', '65536'])
})
after(async () => { await server?.stop() })

// Sends raw bytes on a new connection and collects everything until the server closes
// it or `untilMs` passes.
function rawExchange (bytes, { untilMs = 5000, keepOpen = false } = {}) {
  return new Promise((resolve, reject) => {
    const socket = net.connect(server.port, '127.0.0.1')
    let data = ''
    const started = Date.now()
    const timer = setTimeout(() => { socket.destroy(); resolve({ data, closed: false, ms: Date.now() - started }) }, untilMs)
    socket.on('data', chunk => { data += chunk.toString('latin1') })
    socket.on('end', () => { clearTimeout(timer); socket.destroy(); resolve({ data, closed: true, ms: Date.now() - started }) })
    socket.on('error', err => { clearTimeout(timer); if (data) resolve({ data, closed: true, ms: Date.now() - started }); else reject(err) })
    socket.on('connect', () => { if (bytes) socket.write(bytes); if (!keepOpen) { /* leave it open for the answer */ } })
  })
}

test('healthz answers 200 with the schema version when the database answers', async () => {
  const res = await fetch(`${server.base}/healthz`)
  assert.equal(res.status, 200)
  const body = await res.json()
  assert.equal(body.status, 'ok')
  assert.ok(body.schema_version >= 1)
})

test('the start page is a GOV.UK page that says what Pathway is for', async () => {
  const res = await fetch(`${server.base}/`)
  assert.equal(res.status, 200)
  assert.match(res.headers.get('content-type'), /text\/html/)
  const html = await res.text()
  assert.match(html, /<title>Competency and career frameworks - Pathway<\/title>/)
  assert.match(html, /class="govuk-skip-link"/)
  assert.match(html, /govuk-service-navigation/)
  assert.match(html, /govuk-phase-banner/)
  assert.match(html, /govuk-footer/)
  assert.match(html, /Who Pathway is for/)
  assert.doesNotMatch(html, /<script>/, 'no inline script')
  assert.doesNotMatch(html, /style="/, 'no inline style')
})

test('every response carries the security headers', async () => {
  for (const path of ['/', '/healthz', '/no-such-page', '/api/v1']) {
    const res = await fetch(`${server.base}${path}`)
    const csp = res.headers.get('content-security-policy')
    assert.ok(csp, `${path} has a CSP`)
    assert.match(csp, /frame-ancestors 'none'/)
    assert.doesNotMatch(csp, /unsafe-inline/)
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff')
    assert.ok(res.headers.get('referrer-policy'))
    assert.ok(res.headers.get('permissions-policy'))
  }
})

test('assets are served with fingerprinted URLs and long cache lifetimes', async () => {
  const html = await (await fetch(`${server.base}/`)).text()
  const css = /href="(\/assets\/v[0-9a-f]{12}\/govuk-frontend\.min\.css)"/.exec(html)
  assert.ok(css, 'the layout links the fingerprinted stylesheet')
  const res = await fetch(`${server.base}${css[1]}`)
  assert.equal(res.status, 200)
  assert.match(res.headers.get('content-type'), /text\/css/)
  assert.match(res.headers.get('cache-control'), /max-age=31536000, immutable/)
  const expected = readFileSync(new URL('../../node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.css', import.meta.url), 'utf8')
  assert.equal(await res.text(), expected)
  // Fonts named in the CSS exist at the paths it names.
  for (const url of expected.match(/\/assets\/fonts\/[^)]+/g)) {
    const font = await fetch(`${server.base}${url}`)
    assert.equal(font.status, 200, url)
    await font.arrayBuffer()
  }
  const etag = res.headers.get('etag')
  const again = await fetch(`${server.base}${css[1]}`, { headers: { 'if-none-match': etag } })
  assert.equal(again.status, 304)
  const missing = await fetch(`${server.base}/assets/nothing-here.css`)
  assert.equal(missing.status, 404)
})

test('an unknown page gets a GOV.UK 404 page', async () => {
  const res = await fetch(`${server.base}/no/such/page`)
  assert.equal(res.status, 404)
  const html = await res.text()
  assert.match(html, /<h1 class="govuk-heading-l">Page not found<\/h1>/)
  assert.match(html, /<title>Page not found - Pathway<\/title>/)
})

test('an unknown API route gets RFC 9457 problem details', async () => {
  const res = await fetch(`${server.base}/api/v1/no-such-thing`)
  assert.equal(res.status, 404)
  assert.equal(res.headers.get('content-type'), 'application/problem+json')
  const problem = await res.json()
  assert.equal(problem.status, 404)
  assert.equal(problem.code, 'not-found')
  assert.equal(problem.type, '/problems/not-found')
  assert.ok(problem.title)
})

test('a wrong method gets 405 with Allow', async () => {
  const res = await fetch(`${server.base}/api/v1`, { method: 'DELETE' })
  assert.equal(res.status, 405)
  assert.equal(res.headers.get('allow'), 'GET, HEAD')
  assert.equal((await res.json()).code, 'method-not-allowed')
})

test('HEAD answers headers only', async () => {
  const res = await rawExchange('HEAD / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')
  assert.match(res.data, /^HTTP\/1\.1 200 OK/)
  const [head, body] = res.data.split('\r\n\r\n')
  assert.match(head, /Content-Length: [1-9]\d+/i)
  assert.equal(body, '')
})

test('the API index and the OpenAPI document are served', async () => {
  const index = await (await fetch(`${server.base}/api/v1`)).json()
  assert.equal(index.service, 'Pathway')
  const res = await fetch(`${server.base}/api/v1/openapi.json`)
  assert.equal(res.status, 200)
  const doc = await res.json()
  assert.equal(doc.openapi, '3.1.0')
  // Every documented path answers something other than 404.
  for (const path of Object.keys(doc.paths)) {
    const r = await fetch(`${server.base}${path}`)
    assert.notEqual(r.status, 404, path)
    await r.arrayBuffer()
  }
})

test('metrics count requests by route and status, with a latency histogram', async () => {
  await fetch(`${server.base}/healthz`)
  await (await fetch(`${server.base}/missing-page-for-metrics`)).text()
  const text = await (await fetch(`${server.base}/metrics`, { headers: metricsHeaders })).text()
  assert.match(text, /^pathway_http_requests_total\{route="\/healthz",status="200"\} [1-9]\d*$/m)
  assert.match(text, /^pathway_http_requests_total\{route="\(unmatched\)",status="404"\} [1-9]\d*$/m)
  assert.match(text, /^pathway_http_request_duration_seconds_bucket\{route="\/healthz",le="\+Inf"\} [1-9]\d*$/m)
  assert.match(text, /^# TYPE pathway_http_request_duration_seconds histogram$/m)
  assert.doesNotMatch(text, /missing-page-for-metrics/, 'raw paths never become labels')
})

test('metrics time every page rendered whole, by page, beside each template', async () => {
  addUser(server.db, 'pages@example.gov.uk', 'Page Timer', 'correct horse battery staple')
  const browser = new Browserless(server.base)
  await browser.signIn('pages@example.gov.uk', 'correct horse battery staple')
  assert.equal((await browser.fetch('/account')).status, 200)
  assert.equal((await browser.fetch('/account/password')).status, 200)
  const text = await (await fetch(`${server.base}/metrics`, { headers: metricsHeaders })).text()
  assert.match(text, /^# TYPE pathway_page_render_seconds histogram$/m)
  for (const page of ['start', 'sign_in', 'account', 'change_password']) {
    assert.match(text, new RegExp(`^pathway_page_render_seconds_count\\{page="${page}"\\} [1-9]\\d*$`, 'm'), page)
    assert.match(text, new RegExp(`^pathway_page_render_seconds_bucket\\{page="${page}",le="\\+Inf"\\} [1-9]\\d*$`, 'm'), page)
  }
  assert.match(text, /^pathway_template_render_seconds_count\{template="layout"\} [1-9]\d*$/m)
})

test('malformed HTTP gets 400 and other connections stay healthy', async () => {
  const res = await rawExchange('THIS IS NOT HTTP\r\n\r\n')
  assert.match(res.data, /^HTTP\/1\.1 400 /)
  assert.ok(res.closed)
  const bad = await rawExchange('GET /%zz HTTP/1.1\r\nHost: x\r\n\r\n')
  assert.match(bad.data, /^HTTP\/1\.1 400 /)
  const ok = await fetch(`${server.base}/healthz`)
  assert.equal(ok.status, 200)
})

test('oversized headers get 431', async () => {
  const res = await rawExchange(`GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(40000)}\r\n\r\n`)
  assert.match(res.data, /^HTTP\/1\.1 431 /)
})

test('an oversized body gets 413 before the server reads it', async () => {
  // Announce 100 MB and send none of it: the answer must come anyway.
  const res = await rawExchange('POST /api/v1 HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100000000\r\n\r\n', { untilMs: 3000 })
  assert.match(res.data, /^HTTP\/1\.1 413 /)
  assert.match(res.data, /content-too-large/)
  // A chunked body that grows past the limit is cut off too.
  const chunk = 'x'.repeat(40000)
  const chunked = `POST /api/v1 HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n${(40000).toString(16)}\r\n${chunk}\r\n${(40000).toString(16)}\r\n${chunk}\r\n0\r\n\r\n`
  const res2 = await rawExchange(chunked, { untilMs: 3000 })
  assert.match(res2.data, /^HTTP\/1\.1 413 /)
})

test('a slow client that never finishes its headers gets 408 and does not hold up others', async () => {
  const slow = rawExchange('GET / HTTP/1.1\r\nHost: x\r\nX-Slow:', { untilMs: 5000 })
  // While it waits, others are served.
  for (let i = 0; i < 5; i++) assert.equal((await fetch(`${server.base}/healthz`)).status, 200)
  const res = await slow
  assert.match(res.data, /^HTTP\/1\.1 408 /)
  assert.ok(res.closed)
  assert.ok(res.ms < 4000, `answered after ${res.ms} ms with a 700 ms read timeout`)
})

test('keep-alive serves several requests on one connection', async () => {
  const req = 'GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n'
  const res = await rawExchange(req + req + 'GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')
  assert.equal(res.data.match(/HTTP\/1\.1 200 OK/g).length, 3)
})

test('the access log is JSON lines with no client address or query', async () => {
  await fetch(`${server.base}/?email=someone@example.gov.uk`)
  const { readFile } = await import('node:fs/promises')
  let lines = []
  // The log is written asynchronously; wait until our line is there.
  for (let i = 0; i < 200 && !lines.some(l => l.route === '/'); i++) {
    // Only whole lines: the last one may still be being written.
    const text = await readFile(`${server.dir}/access.log`, 'utf8')
    lines = text.slice(0, text.lastIndexOf('\n') + 1).split('\n').filter(Boolean).map(l => JSON.parse(l))
    await new Promise(resolve => setTimeout(resolve, 10))
  }
  const line = lines.find(l => l.route === '/')
  assert.ok(line, 'the request was logged')
  for (const key of ['time', 'request_id', 'method', 'route', 'status', 'duration_ms']) assert.ok(key in line, key)
  const all = JSON.stringify(lines)
  assert.doesNotMatch(all, /someone@example/)
  assert.doesNotMatch(all, /127\.0\.0\.1/)
})

test('/metrics is served only with the metrics token, and not at all without one configured', async () => {
  assert.equal((await fetch(`${server.base}/metrics`)).status, 401)
  assert.equal((await fetch(`${server.base}/metrics`, { headers: { authorization: 'Bearer wrong' } })).status, 401)
  assert.equal((await fetch(`${server.base}/metrics`, { headers: metricsHeaders })).status, 200)
  const bare = await startPathway([], { env: { PATHWAY_METRICS_TOKEN: '' } })
  try {
    assert.equal((await fetch(`${bare.base}/metrics`)).status, 404)
  } finally {
    await bare.stop()
  }
})

test('connections over the per-address cap are answered 503 with Retry-After and closed; freed slots are reused', async () => {
  const capped = await startPathway(['--max-connections-per-address', '3', '--max-connections', '100'])
  const open = []
  try {
    // Three idle connections fill the address's slots.
    for (let i = 0; i < 3; i++) {
      const socket = net.connect(capped.port, '127.0.0.1')
      socket.on('error', () => {})
      await new Promise(resolve => socket.once('connect', resolve))
      open.push(socket)
    }
    await new Promise(resolve => setTimeout(resolve, 100))
    const fourth = await new Promise((resolve, reject) => {
      const socket = net.connect(capped.port, '127.0.0.1')
      let data = ''
      socket.on('data', chunk => { data += chunk.toString('latin1') })
      socket.on('end', () => { socket.destroy(); resolve(data) })
      socket.on('error', err => { if (data) resolve(data); else reject(err) })
      setTimeout(() => { socket.destroy(); resolve(data) }, 5000)
    })
    assert.match(fourth, /^HTTP\/1\.1 503 /)
    assert.match(fourth, /\r\nRetry-After: 1\r\n/i)
    for (const socket of open.splice(0)) socket.destroy()
    await new Promise(resolve => setTimeout(resolve, 200))
    const res = await fetch(`${capped.base}/healthz`)
    assert.equal(res.status, 200, 'closed connections free their slots')
  } finally {
    for (const socket of open) socket.destroy()
    await capped.stop()
  }
})

test('a request whose client has gone before a worker takes it up is dropped, not run', async () => {
  const single = await startPathway(['--workers', '1'])
  try {
    addUser(single.db, 'slow@example.gov.uk', 'Slow', 'correct horse battery staple')
    // Keep the one worker busy: each failed sign-in hashes a password.
    const busy = [...Array(4)].map(() => new Browserless(single.base).signIn('slow@example.gov.uk', 'wrong password'))
    await new Promise(resolve => setTimeout(resolve, 20))
    // Requests queued behind them, whose clients leave at once.
    await Promise.all([...Array(8)].map(() => new Promise(resolve => {
      const socket = net.connect(single.port, '127.0.0.1')
      socket.on('error', () => {})
      socket.on('connect', () => {
        socket.write('GET /sign-in HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n')
        setTimeout(() => { socket.destroy(); resolve() }, 5)
      })
    })))
    await Promise.all(busy)
    const metrics = await (await fetch(`${single.base}/metrics`, { headers: metricsHeaders })).text()
    const gone = /pathway_http_rejected_total\{reason="client-gone"\} (\d+)/.exec(metrics)
    assert.ok(gone && Number(gone[1]) >= 1, `dropped work is counted:\n${metrics.split('\n').filter(l => /rejected/.test(l)).join('\n')}`)
    // The server is still healthy.
    assert.equal((await fetch(`${single.base}/healthz`)).status, 200)
  } finally {
    await single.stop()
  }
})
