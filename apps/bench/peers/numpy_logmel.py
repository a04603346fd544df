#!/usr/bin/env python3
"""numpy / scipy peers of `pnpm bench dsp`: the same 64/128-band log-mel of a 1-s clip at 44.1 kHz (nFft 1024,
hop 512, centred frames, periodic Hann, power spectrum, Slaney mel filterbank as a dense matrix, dB re the
peak floored at -80 dB, mapped to [0, 1]) in float32, one thread. Prints one JSON line per (peer, nMels):
{"name", "nMels", "msPerClip" (median), "frames", "usPerFrame", "versions"}.

  OPENBLAS_NUM_THREADS=1 python3 numpy_logmel.py --time 1.5
"""
import json
import statistics
import sys
import time

import numpy as np

SR, NFFT, HOP = 44100, 1024, 512


def hz_to_mel(f):
    f = np.asarray(f, dtype=np.float64)
    mel = f / (200.0 / 3)
    log_t = f >= 1000.0
    return np.where(log_t, 15.0 + np.log(np.maximum(f, 1e-10) / 1000.0) / (np.log(6.4) / 27.0), mel)


def mel_to_hz(m):
    m = np.asarray(m, dtype=np.float64)
    f = m * (200.0 / 3)
    log_t = m >= 15.0
    return np.where(log_t, 1000.0 * np.exp((np.log(6.4) / 27.0) * (m - 15.0)), f)


def slaney_filterbank(n_mels):
    fft_f = np.linspace(0, SR / 2, NFFT // 2 + 1)
    mel_f = mel_to_hz(np.linspace(hz_to_mel(0.0), hz_to_mel(SR / 2), n_mels + 2))
    fdiff = np.diff(mel_f)
    ramps = mel_f[:, None] - fft_f[None, :]
    lower = -ramps[:-2] / fdiff[:-1, None]
    upper = ramps[2:] / fdiff[1:, None]
    w = np.maximum(0, np.minimum(lower, upper))
    w *= (2.0 / (mel_f[2 : n_mels + 2] - mel_f[:n_mels]))[:, None]
    return w.astype(np.float32)


def make_logmel(rfft, n_mels):
    fb = slaney_filterbank(n_mels)
    window = (0.5 - 0.5 * np.cos(2 * np.pi * np.arange(NFFT) / NFFT)).astype(np.float32)

    def run(x):
        xp = np.pad(x, NFFT // 2)
        n = 1 + (len(xp) - NFFT) // HOP
        frames = np.lib.stride_tricks.as_strided(xp, (n, NFFT), (xp.strides[0] * HOP, xp.strides[0]))
        spec = rfft(frames * window, axis=1)
        power = (spec.real * spec.real + spec.imag * spec.imag).astype(np.float32)
        mel = power @ fb.T
        db = 10.0 * np.log10(np.maximum(mel, 1e-10))
        db -= db.max()
        np.maximum(db, -80.0, out=db)
        return (db + 80.0) / 80.0

    return run


def clip():
    t = np.arange(SR) / SR
    x = sum(np.sin(2 * np.pi * 220 * k * t) / k for k in range(1, 7))
    rng = np.random.default_rng(1)
    return (0.25 * np.exp(-2 * t) * x + 0.01 * (rng.random(SR) - 0.5)).astype(np.float32)


def main(argv):
    budget = float(argv[argv.index("--time") + 1]) if "--time" in argv else 1.5
    peers = [("numpy float32 (np.fft)", np.fft.rfft)]
    versions = {"numpy": np.__version__}
    try:
        import scipy
        import scipy.fft

        peers.append(("scipy.fft float32", lambda a, axis: scipy.fft.rfft(a, axis=axis, workers=1)))
        versions["scipy"] = scipy.__version__
    except ImportError:
        pass
    x = clip()
    for n_mels in (64, 128):
        for name, rfft in peers:
            f = make_logmel(rfft, n_mels)
            frames = f(x).shape[0]
            for _ in range(20):
                f(x)
            times = []
            t_end = time.perf_counter() + budget
            while time.perf_counter() < t_end:
                t0 = time.perf_counter()
                f(x)
                times.append(time.perf_counter() - t0)
            ms = statistics.median(times) * 1000
            print(json.dumps({"name": name, "nMels": n_mels, "msPerClip": ms, "frames": frames,
                              "usPerFrame": ms * 1000 / frames, "samples": len(times), "versions": versions}), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
