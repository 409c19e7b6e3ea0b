#!/usr/bin/env node
// The `perfgate` command: runs the compiled CLI (npm run build writes lib/).
import '../lib/cli.js';
