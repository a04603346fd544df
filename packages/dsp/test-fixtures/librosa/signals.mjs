// JavaScript twin of signals.py: regenerates the fixture test signals.
// Each formula is evaluated in float64 exactly in the order written, then
// rounded once with Math.fround (Float32Array store).  See signals.py for the spec.
export const SR = 44100;
export const N = 44100;
const TWO_PI = 2 * Math.PI;

function sine(freq, amp) {
  const out = new Float32Array(N);
  for (let n = 0; n < N; n++) {
    const t = n / SR;
    out[n] = amp * Math.sin(TWO_PI * freq * t);
  }
  return out;
}

export const sine440 = () => sine(440, 0.5);
export const quiet_sine = () => sine(1000, 1e-4);

export function harmonics() {
  const out = new Float32Array(N);
  for (let n = 0; n < N; n++) {
    const t = n / SR;
    let s = 0;
    for (let k = 1; k <= 8; k++) s += (1 / k) * Math.sin(TWO_PI * (k * 220) * t);
    out[n] = 0.25 * Math.exp(-3 * t) * s;
  }
  return out;
}

export function chirp() {
  const out = new Float32Array(N);
  for (let n = 0; n < N; n++) {
    const t = n / SR;
    out[n] = 0.5 * Math.sin(TWO_PI * (50 * t + 9975 * t * t));
  }
  return out;
}

// xorshift32 (13, 17, 5), seed 2463534242; state advanced before each sample.
export function noise(length = N, seed = 2463534242) {
  const out = new Float32Array(length);
  let s = seed >>> 0;
  for (let n = 0; n < length; n++) {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    out[n] = 0.5 * (s / 2147483648 - 1);
  }
  return out;
}

export function clicks() {
  const out = new Float32Array(N);
  out[0] = 1;
  out[22050] = 1;
  out[44099] = 1;
  return out;
}

export const silence = () => new Float32Array(N);

export const SIGNALS = { sine440, harmonics, chirp, noise: () => noise(), clicks, quiet_sine, silence };
