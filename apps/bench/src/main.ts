#!/usr/bin/env node
// timbre benchmarks: `pnpm bench <subcommand> [args]`. Each subcommand lives in its own module and is loaded
// only when asked for; add one by adding an entry to COMMANDS.

/** A benchmark subcommand: runs with the remaining command-line arguments. */
export interface BenchCommand {
  readonly description: string;
  run(args: readonly string[]): Promise<void>;
}

const COMMANDS: Record<string, () => Promise<BenchCommand>> = {
  dsp: async () => (await import('./dsp/command.js')).dspCommand,
  train: async () => (await import('./train/command.js')).trainCommand,
  augment: async () => (await import('./augment/command.js')).augmentCommand,
};

async function main(argv: readonly string[]): Promise<number> {
  const [name, ...args] = argv;
  const load = name ? COMMANDS[name] : undefined;
  if (!load) {
    const lines = await Promise.all(
      Object.entries(COMMANDS).map(async ([n, l]) => `  ${n.padEnd(8)} ${(await l()).description}`),
    );
    console.error(`usage: pnpm bench <command> [options]\n\ncommands:\n${lines.join('\n')}`);
    return name ? 2 : 0;
  }
  await (await load()).run(args);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
