import type { AnyTaskResult, Task } from './executor.js';
import { type FeatureContext, runFeatureTask } from './feature-task.js';
import { runRecordingTask } from './recording-task.js';
import type { SoundFontRenderer } from './render-soundfont.js';
import { runRenderTask } from './render-task.js';

/** A task runner holding per-thread caches (loaded SoundFonts, log-mel extractors). */
export interface TaskHandler {
  (task: Task): Promise<AnyTaskResult>;
  dispose(): void;
}

/** Create a handler with empty caches. */
export function createTaskHandler(): TaskHandler {
  const renderers = new Map<string, SoundFontRenderer>();
  const features: FeatureContext = { extractors: new Map() };
  const handler = ((task: Task) => {
    if (task.kind === 'render') return runRenderTask(task, renderers);
    if (task.kind === 'recording') return runRecordingTask(task);
    return runFeatureTask(task, features);
  }) as TaskHandler;
  handler.dispose = () => {
    for (const e of features.extractors.values()) e.dispose();
    features.extractors.clear();
    renderers.clear();
  };
  return handler;
}
