// Every CASE package Pathway exports validates against the 1EdTech CASE 1.1 CFPackage
// JSON Schema (draft 2020-12). The packages come from the unit tests themselves
// (src/interchange/case_json_test.cpp writes each export into PATHWAY_CASE_EXPORT_DIR),
// so a new export test is validated here without touching this file.
//   PATHWAY_TESTS_BIN=build/case/pathway_tests node --test tests/blackbox/case-schema.test.mjs
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import Ajv2020 from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'
import { root } from '../lib/pathway.mjs'

const testsBinary = process.env.PATHWAY_TESTS_BIN ?? path.join(root, 'build/dev/pathway_tests')
const testdata = path.join(root, 'src/interchange/testdata')
const schemaName = 'case-v1p1-cfpackage-schema.json'

// The shared copy of the standard when the repository sits beside it, else the copy
// kept in testdata.
function schemaPath () {
  const shared = path.resolve(root, '../shared/standards', schemaName)
  return existsSync(shared) ? shared : path.join(testdata, schemaName)
}

function validator () {
  const ajv = new Ajv2020({ allErrors: true, strict: true })
  addFormats(ajv)
  const schema = JSON.parse(readFileSync(schemaPath(), 'utf8'))
  // The published file names the 2020-12 meta-schema as http://json-schema.org/...; its
  // id is https://json-schema.org/draft/2020-12/schema, which is what ajv knows it by.
  assert.equal(schema.$schema, 'http://json-schema.org/draft/2020-12/schema')
  schema.$schema = 'https://json-schema.org/draft/2020-12/schema'
  return ajv.compile(schema)
}

const validate = validator()

function problems (packageJson) {
  if (validate(packageJson)) return []
  return validate.errors.map(e => `${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`)
}

// Runs the CASE unit tests with an export directory and returns { dir, files }.
function exportsFromUnitTests () {
  assert.ok(existsSync(testsBinary), `build the unit tests first (or set PATHWAY_TESTS_BIN): ${testsBinary}`)
  const dir = mkdtempSync(path.join(tmpdir(), 'pathway-case-'))
  const run = spawnSync(testsBinary, ['--gtest_filter=Case*'], {
    env: { ...process.env, PATHWAY_CASE_EXPORT_DIR: dir, PATHWAY_SOURCE_DIR: root },
    encoding: 'utf8',
    timeout: 600000
  })
  assert.equal(run.status, 0, `the CASE unit tests failed:\n${run.stdout}\n${run.stderr}`)
  const files = readdirSync(dir).filter(name => name.endsWith('.json')).sort()
  return { dir, files }
}

test('every CASE package the unit tests export validates against the CASE 1.1 schema', () => {
  const { dir, files } = exportsFromUnitTests()
  try {
    assert.ok(files.length > 0, 'the unit tests wrote no exports')
    for (const expected of ['seed_sms1.json', 'rich_behaviours.json', 'third_party_reexport.json']) {
      assert.ok(files.includes(expected), `${expected} was exported`)
    }
    const failures = {}
    for (const name of files) {
      const found = problems(JSON.parse(readFileSync(path.join(dir, name), 'utf8')))
      if (found.length > 0) failures[name] = found.slice(0, 20)
    }
    assert.deepEqual(failures, {}, `${Object.keys(failures).length} of ${files.length} exports are not valid CASE 1.1`)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

test('the CASE packages in testdata are valid CASE 1.1', () => {
  const files = readdirSync(testdata).filter(name => /^case_.*\.json$/.test(name))
  assert.ok(files.length > 0, 'no case_*.json in testdata')
  for (const name of files) {
    assert.deepEqual(problems(JSON.parse(readFileSync(path.join(testdata, name), 'utf8'))), [], name)
  }
})

test('the schema refuses broken packages, so the checks above cannot pass vacuously', () => {
  const good = JSON.parse(readFileSync(path.join(testdata, 'case_third_party.json'), 'utf8'))
  assert.deepEqual(problems(good), [])

  const badIdentifier = structuredClone(good)
  badIdentifier.CFItems[1].identifier = 'not-a-uuid'
  assert.ok(problems(badIdentifier).some(p => p.startsWith('/CFItems/1/identifier ')), problems(badIdentifier).join('\n'))

  const wrongVariant = structuredClone(good)
  wrongVariant.CFItems[0].identifier = '64a3719c-4712-4d48-cd07-04abe98c3c93'
  assert.ok(problems(wrongVariant).some(p => p.startsWith('/CFItems/0/identifier ')))

  const unknownField = structuredClone(good)
  unknownField.CFDocument.CFPackageURI = { title: 't', identifier: good.CFDocument.identifier, uri: 'https://example.org/p' }
  assert.ok(problems(unknownField).some(p => p.startsWith('/CFDocument ') && p.includes('"additionalProperty":"CFPackageURI"')), problems(unknownField).join('\n'))

  const missingStatement = structuredClone(good)
  delete missingStatement.CFItems[2].fullStatement
  assert.ok(problems(missingStatement).some(p => p.includes('fullStatement')))

  const badDate = structuredClone(good)
  badDate.CFDocument.lastChangeDateTime = '2 November 2023'
  assert.ok(problems(badDate).some(p => p.startsWith('/CFDocument/lastChangeDateTime ')))

  const badCaseVersion = structuredClone(good)
  badCaseVersion.CFDocument.caseVersion = '1.0'
  assert.ok(problems(badCaseVersion).some(p => p.startsWith('/CFDocument/caseVersion ')))
})
