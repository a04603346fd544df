import { describe, expect, it } from 'vitest';
import { SoundFontRenderer } from './render-soundfont.js';
import { builtinSoundFonts } from './soundfonts.js';

describe('SoundFontRenderer', () => {
  it('renders a note the same whatever was rendered before (no synthesizer clock carried over)', async () => {
    const font = builtinSoundFonts().find((f) => f.name === 'TimGM6mb')!;
    const target = { program: 41, pitch: 79, velocity: 120 };
    const fresh = (await SoundFontRenderer.load(font.path)).renderNote(target);
    expect(Math.max(...fresh.map(Math.abs))).toBeGreaterThan(0.01); // a real note, not silence
    // On one long-lived synthesizer this note differed by ~1e-6 after ~45 s of earlier notes.
    const used = await SoundFontRenderer.load(font.path);
    for (let k = 0; k < 25; k++) used.renderNote({ program: 41, pitch: 60, velocity: 80 });
    const later = used.renderNote(target);
    let maxDiff = 0;
    for (let i = 0; i < fresh.length; i++) maxDiff = Math.max(maxDiff, Math.abs(later[i]! - fresh[i]!));
    expect(maxDiff).toBe(0);
  });
});
