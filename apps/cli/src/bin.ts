#!/usr/bin/env node
import { main } from './main.js';

// A closed stdout (`timbre predict dir | head -1`) ends the command quietly with status 0.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

process.exitCode = await main(process.argv);
