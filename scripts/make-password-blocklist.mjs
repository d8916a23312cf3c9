#!/usr/bin/env node
// Writes data/common-passwords.txt, the block-list of common passwords that
// src/domain/password_policy.hpp refuses, from the frequency list shipped in the
// npm package zxcvbn (MIT, a devDependency). Run from anywhere:
//   node scripts/make-password-blocklist.mjs
// Output: one password per line, lower-cased, de-duplicated (first occurrence kept),
// in the package's frequency order (most common first), LF line endings, no blank
// lines, no header. Provenance and the line count are recorded in data/README.md.

import { createRequire } from 'node:module';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = join(dirname(fileURLToPath(import.meta.url)), '..');

const { version } = require('zxcvbn/package.json');
// lib/frequency_lists.js exports { passwords: [...], english_wikipedia: [...], ... }.
const { passwords } = require('zxcvbn/lib/frequency_lists.js');
if (!Array.isArray(passwords)) {
  throw new Error(`zxcvbn ${version}: lib/frequency_lists.js has no passwords array`);
}

const seen = new Set();
const lines = [];
for (const entry of passwords) {
  const password = String(entry).trim().toLowerCase();
  if (password === '' || /[\r\n]/.test(password) || seen.has(password)) continue;
  seen.add(password);
  lines.push(password);
}

const minimum = 10000;
if (lines.length < minimum) {
  throw new Error(`only ${lines.length} passwords from zxcvbn ${version}; need ${minimum}`);
}

const out = join(root, 'data', 'common-passwords.txt');
writeFileSync(out, lines.join('\n') + '\n');
console.log(`wrote ${lines.length} passwords from zxcvbn ${version} to ${out}`);
