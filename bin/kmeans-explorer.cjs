#!/usr/bin/env node
'use strict';
// Runs the built CLI (built by `npm install` through the `prepare` script).
const { existsSync } = require('node:fs');
const { join } = require('node:path');
const cli = join(__dirname, '..', 'out', 'main', 'cli.js');
if (!existsSync(cli)) {
  console.error(`kmeans-explorer: ${cli} is missing; run "npm run build" in ${join(__dirname, '..')}`);
  process.exit(2);
}
require(cli);
