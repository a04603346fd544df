import { readFile } from 'node:fs/promises';
import { checkNumber } from '@timbre/core';
import { type BasicSoundBank, SoundBankLoader, SpessaSynthProcessor } from 'spessasynth_core';
import { CorpusError, invalidOption } from './errors.js';

/** Timing of one rendered note. */
export interface NoteTiming {
  /** Silence before note-on, seconds, 0–5; default 0.25 (so onset detection has something to find). */
  preRollS?: number;
  /** Time between note-on and note-off, seconds, 0.05–10; default 1.5. */
  holdS?: number;
  /** Release tail rendered after note-off, seconds, 0–10; default 0.5. */
  releaseS?: number;
}

/** One note to render. */
export interface NoteRequest extends NoteTiming {
  /** GM program, 0–127 (bank 0). */
  program: number;
  /** MIDI note, 0–127. */
  pitch: number;
  /** MIDI velocity, 1–127. */
  velocity: number;
  /** Modulation wheel (CC1: the font's vibrato depth), 0–127; default 0. Set before every note. */
  modulation?: number;
  /** Brightness (CC74: the filter cut-off, 64 = as the font, lower = darker), 0–127; default 64. */
  brightness?: number;
}

const BLOCK = 128;

function intIn(name: string, v: number, lo: number, hi: number): number {
  return checkNumber(name, v, { min: lo, max: hi, integer: true }, invalidOption);
}

function numIn(name: string, v: number, lo: number, hi: number): number {
  return checkNumber(name, v, { min: lo, max: hi, unit: 's' }, invalidOption);
}

/**
 * Offline renderer of isolated notes from one SoundFont with `spessasynth_core` (effects off, one channel).
 * Every note is rendered by a fresh synthesizer on the parsed font (≈ 2–4 ms), so a note's samples never
 * depend on what was rendered before: a long-running synthesizer's clock changes the envelopes' float
 * rounding (TimGM6mb's viola and cello differed by up to 1e-6 after ~45 s of earlier notes), which made
 * the corpus depend on how notes were spread over workers. Create with {@link SoundFontRenderer.load}.
 */
export class SoundFontRenderer {
  /** Output sample rate in Hz. */
  readonly sampleRate: number;
  readonly #bank: BasicSoundBank;
  readonly #programs: ReadonlySet<number>;
  readonly #left = new Float32Array(BLOCK);
  readonly #right = new Float32Array(BLOCK);

  private constructor(bank: BasicSoundBank, sampleRate: number) {
    this.#bank = bank;
    this.sampleRate = sampleRate;
    this.#programs = new Set(
      bank.presets.filter((p) => p.bankMSB === 0 && p.bankLSB === 0 && !p.isGMGSDrum).map((p) => p.program),
    );
  }

  /**
   * Load a .sf2/.sf3 file and wait until the synthesizer is initialised (SF3 samples decode to silence
   * otherwise).
   * @param path SoundFont file.
   * @param sampleRate Output rate in Hz; default 44100.
   * @throws {CorpusError} if the file cannot be read or parsed.
   */
  static async load(path: string, sampleRate = 44100): Promise<SoundFontRenderer> {
    let bank: BasicSoundBank;
    try {
      const buf = await readFile(path);
      bank = SoundBankLoader.fromArrayBuffer(
        buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength),
      );
    } catch (err) {
      throw new CorpusError(`${path}: cannot load SoundFont: ${(err as Error).message}`, { cause: err });
    }
    const renderer = new SoundFontRenderer(bank, sampleRate);
    // The SF3 (Vorbis) decoder is global: once it is ready, synthesizers can be made synchronously.
    await renderer.#newSynth().processorInitialized;
    return renderer;
  }

  #newSynth(): SpessaSynthProcessor {
    const synth = new SpessaSynthProcessor(this.sampleRate, {
      effectsEnabled: false,
      eventsEnabled: false,
      maxBufferSize: BLOCK,
    });
    synth.soundBankManager.addSoundBank(this.#bank, 'main');
    return synth;
  }

  /** True when the font has a melodic preset for `program` in bank 0 (otherwise the synth would substitute). */
  hasProgram(program: number): boolean {
    return this.#programs.has(program);
  }

  /**
   * Render one note: `preRollS` of silence, note-on, hold, note-off, release tail. Mono = mean of L and R.
   * @returns `round((preRollS + holdS + releaseS) × sampleRate)` samples.
   */
  renderNote(req: NoteRequest): Float32Array {
    intIn('program', req.program, 0, 127);
    intIn('pitch', req.pitch, 0, 127);
    intIn('velocity', req.velocity, 1, 127);
    const pre = Math.round(numIn('preRollS', req.preRollS ?? 0.25, 0, 5) * this.sampleRate);
    const hold = Math.round(numIn('holdS', req.holdS ?? 1.5, 0.05, 10) * this.sampleRate);
    const rel = Math.round(numIn('releaseS', req.releaseS ?? 0.5, 0, 10) * this.sampleRate);
    if (!this.hasProgram(req.program)) {
      throw new CorpusError(`program ${req.program} is not in this SoundFont (bank 0)`);
    }
    const synth = this.#newSynth();
    const out = new Float32Array(pre + hold + rel);
    const L = this.#left;
    const R = this.#right;
    const modulation = req.modulation ?? 0;
    const brightness = req.brightness ?? 64;
    intIn('modulation', modulation, 0, 127);
    intIn('brightness', brightness, 0, 127);
    synth.programChange(0, req.program);
    synth.controllerChange(0, 1, modulation);
    synth.controllerChange(0, 74, brightness);
    synth.noteOn(0, req.pitch, req.velocity);
    let pos = pre;
    let released = false;
    while (pos < out.length) {
      if (!released && pos - pre >= hold) {
        synth.noteOff(0, req.pitch);
        released = true;
      }
      const limit = released ? out.length : pre + hold;
      const n = Math.min(BLOCK, limit - pos);
      L.fill(0, 0, n);
      R.fill(0, 0, n);
      synth.process(L, R, 0, n);
      for (let i = 0; i < n; i++) out[pos + i] = 0.5 * (L[i]! + R[i]!);
      pos += n;
    }
    synth.stopAllChannels(true); // not destroySynthProcessor(): it would destroy the shared sound bank
    return out;
  }
}
