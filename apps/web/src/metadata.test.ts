import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MetadataError, parseMetadata } from './metadata.js';

const shipped = JSON.parse(
  readFileSync(new URL('../../cli/pretrained/metadata.json', import.meta.url), 'utf8'),
) as Record<string, unknown>;

describe('parseMetadata', () => {
  it('reads the shipped pretrained metadata', () => {
    const m = parseMetadata(shipped);
    expect(m.labels).toHaveLength(14);
    expect(m.labels[0]).toBe('violin');
    expect(m.preset).toBe('lenet-3x8');
    expect(m).toMatchObject({ nMels: 64, nFrames: 80, inputLayout: 'mels-frames-channel' });
    expect(m.dsp).toMatchObject({ sampleRate: 44100, nFft: 1024, hop: 512, nMels: 64, frames: 80 });
    expect(m.testAccuracy).toBeGreaterThan(0.5);
    // The shipped model records its accuracy on real recordings of a source it never heard.
    expect(m.realAccuracy).toBeGreaterThan(0.3);
    expect(m.dsp).toMatchObject({ topDb: 40 });
  });

  it('names the bad field', () => {
    expect(() => parseMetadata(null)).toThrow(MetadataError);
    expect(() => parseMetadata({ ...shipped, labels: ['one'] })).toThrow(/labels/);
    expect(() => parseMetadata({ ...shipped, nMels: 0 })).toThrow(/nMels/);
    expect(() => parseMetadata({ ...shipped, inputLayout: 'nchw' })).toThrow(/inputLayout/);
    expect(() => parseMetadata({ ...shipped, dsp: undefined })).toThrow(/dsp/);
    expect(() => parseMetadata({ ...shipped, nFrames: 40 })).toThrow(/wants 64×40/);
  });
});
