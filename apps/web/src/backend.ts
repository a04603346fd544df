import * as tf from '@tensorflow/tfjs';

/** A TensorFlow.js backend the page can ask for. */
export type BackendChoice = 'webgl' | 'cpu';

/** The backend in use and how it was chosen. */
export interface BackendInfo {
  name: string;
  /** Why the preferred backend is not the one in use, when it is not. */
  fallbackReason?: string;
}

/**
 * Selects the first backend of `order` that initializes ('webgl' then 'cpu' by default).
 *
 * @throws {Error} when none does.
 */
export async function initBackend(order: readonly BackendChoice[] = ['webgl', 'cpu']): Promise<BackendInfo> {
  const failures: string[] = [];
  for (const name of order) {
    try {
      if (await tf.setBackend(name)) {
        await tf.ready();
        return failures.length > 0 ? { name, fallbackReason: failures.join('; ') } : { name };
      }
      failures.push(`${name} is not available`);
    } catch (e) {
      failures.push(`${name} failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  throw new Error(`no TensorFlow.js backend could start (${failures.join('; ')})`);
}
