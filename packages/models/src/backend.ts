// Plain tfjs registers every op's gradient and the chained-op API (tensor.flatten() …) into the
// shared tfjs-core engine. tfjs-core's own `dist/register_all_gradients.js` is ESM inside a CommonJS
// package, so Node cannot import it; the `@tensorflow/tfjs` bundle works in Node and in browsers.
import '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-cpu';
import { setThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import { registerFastKernels, STOCK_COMPLETIONS } from '@timbre/kernels';
import { applyEngine, resolveEngine } from './engine.js';
import { BackendError } from './errors.js';
import { BACKEND_NAMES, type BackendChoice, type BackendName, type TrainingEngine } from './presets.js';

export type { BackendChoice, BackendName };
export { BACKEND_NAMES };

/** One try of a backend during selection. */
export interface BackendAttempt {
  backend: BackendName;
  ok: boolean;
  /** Why it failed (absent when ok). */
  error?: string;
}

/** The backend in use and why; reported in every training, evaluation and benchmark result. */
export interface BackendInfo {
  /** The active tfjs backend (checked with `tf.getBackend()`, never assumed). */
  name: BackendName;
  /** What was requested. */
  requested: BackendChoice;
  /** Human-readable reason, e.g. "auto: tensorflow unavailable (…); wasm ok". */
  reason: string;
  /** Every backend tried, in order. */
  attempts: BackendAttempt[];
  /** Threads of the wasm backend (1), absent for others. */
  threads?: number;
}

let current: BackendInfo | undefined;
let tfjsNodeTried: { ok: boolean; error?: string } | undefined;

/** The backend chosen by the last successful {@link initBackend}, if any. */
export function currentBackend(): BackendInfo | undefined {
  return current;
}

function message(e: unknown): string {
  const s = e instanceof Error ? e.message : String(e);
  return s.split('\n')[0]!.slice(0, 200);
}

async function loadTfjsNode(): Promise<{ ok: boolean; error?: string }> {
  if (tfjsNodeTried) return tfjsNodeTried;
  // A variable specifier keeps bundlers and tsc from requiring the optional dependency.
  const specifier = '@tensorflow/tfjs-node';
  try {
    await import(specifier);
    tfjsNodeTried = { ok: true };
  } catch (e) {
    tfjsNodeTried = { ok: false, error: message(e) };
  }
  return tfjsNodeTried;
}

async function trySet(name: BackendName): Promise<BackendAttempt> {
  try {
    if (name === 'tensorflow') {
      const loaded = await loadTfjsNode();
      if (!loaded.ok)
        return { backend: name, ok: false, error: `@tensorflow/tfjs-node did not load: ${loaded.error}` };
    }
    if (name === 'wasm') {
      setThreadsCount(1);
      // The wasm backend lacks a filter gradient and has a wrong MaxPoolGrad for some shapes: @timbre/kernels
      // provides both for every engine (each training, benchmark or classifier then puts its engine's kernels in place).
      registerFastKernels({ kernels: STOCK_COMPLETIONS });
    }
    const ok = await tf.setBackend(name);
    await tf.ready();
    // setBackend can fail silently and leave another backend active: check what is really active.
    if (!ok || tf.getBackend() !== name) {
      return { backend: name, ok: false, error: `setBackend('${name}') left '${tf.getBackend()}' active` };
    }
    return { backend: name, ok: true };
  } catch (e) {
    return { backend: name, ok: false, error: message(e) };
  }
}

function resolveChoice(choice: BackendChoice | undefined): BackendChoice {
  const c = choice ?? 'auto';
  if (c !== 'auto' && !BACKEND_NAMES.includes(c)) {
    throw new BackendError(`backend must be one of auto, ${BACKEND_NAMES.join(', ')}; got '${String(c)}'`);
  }
  return c;
}

/**
 * Selects and initialises the tfjs backend. 'auto' tries `@tensorflow/tfjs-node` (native
 * TensorFlow; optional, often absent offline), then wasm (single thread, with this package's
 * `Conv2DBackpropFilter` kernel registered), then cpu. A specific choice either succeeds or
 * throws. Nothing is read from the environment (the CLI turns `$TIMBRE_BACKEND` into `choice`).
 * Idempotent: when a backend is already active and the choice is 'auto' or that backend, it is kept
 * (and returned) rather than switched. Await it before any other tfjs call.
 *
 * @param choice 'auto' | 'tensorflow' | 'wasm' | 'cpu'.
 * @throws {BackendError} when a specific backend cannot be started, or nothing can.
 */
export async function initBackend(choice?: BackendChoice): Promise<BackendInfo> {
  const requested = resolveChoice(choice);
  // Keep the active backend when it satisfies the request: switching would move every tensor.
  if (current && tf.getBackend() === current.name && (requested === 'auto' || requested === current.name)) {
    return current;
  }
  const order = requested === 'auto' ? BACKEND_NAMES : [requested];
  const attempts: BackendAttempt[] = [];
  for (const name of order) {
    const a = await trySet(name);
    attempts.push(a);
    if (a.ok) {
      const failed = attempts.filter((t) => !t.ok).map((t) => `${t.backend} unavailable (${t.error})`);
      const reason =
        requested === 'auto'
          ? `auto: ${[...failed, `${name} ok`].join('; ')}`
          : `requested '${name}' explicitly`;
      current = { name, requested, reason, attempts, ...(name === 'wasm' ? { threads: 1 } : {}) };
      return current;
    }
  }
  throw new BackendError(
    `could not start backend '${requested}': ${attempts.map((t) => `${t.backend}: ${t.error}`).join('; ')}`,
  );
}

/**
 * What every entry point that runs a model does first: {@link initBackend} with `backend`, then the wasm
 * kernels of `engine` (default `fast`; see `applyEngine`).
 * @throws {BackendError} as `initBackend`, or for an unknown engine.
 */
export async function startRuntime(
  backend?: BackendChoice,
  engine?: TrainingEngine,
): Promise<{ backend: BackendInfo; engine: TrainingEngine }> {
  const info = await initBackend(backend);
  const e = resolveEngine(engine);
  applyEngine(e);
  return { backend: info, engine: e };
}
