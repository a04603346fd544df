import './style.css';
import type { Prediction } from '@timbre/models';
import type { BackendChoice } from './backend.js';
import { type DecodedAudio, DecodeError, decodeToMono } from './decode.js';
import type { Engine } from './engine.js';
import { displayLabel, duration, percent, seconds } from './format.js';
import { recordingUnavailableReason, recordMicrophone } from './record.js';
import { renderFacts, renderTimeline, renderTop } from './render.js';

const RECORD_SECONDS = 3;
const MAX_DURATION_S = 600;

function byId<T extends HTMLElement>(id: string, type: new () => T): T {
  const node = document.getElementById(id);
  if (!(node instanceof type)) throw new Error(`#${id} is missing from the page`);
  return node;
}

const ui = {
  file: byId('file', HTMLInputElement),
  drop: byId('drop', HTMLLabelElement),
  record: byId('record', HTMLButtonElement),
  recordNote: byId('record-note', HTMLSpanElement),
  status: byId('status', HTMLParagraphElement),
  error: byId('error', HTMLParagraphElement),
  results: byId('results', HTMLElement),
  source: byId('source', HTMLParagraphElement),
  top: byId('top', HTMLOListElement),
  timelineSection: byId('timeline-section', HTMLDivElement),
  timeline: byId('timeline', HTMLTableSectionElement),
  facts: byId('facts', HTMLDListElement),
  classCount: byId('class-count', HTMLSpanElement),
  classList: byId('class-list', HTMLSpanElement),
};

function setStatus(text: string): void {
  ui.status.textContent = text;
}

function showError(text: string | undefined): void {
  ui.error.textContent = text ?? '';
  ui.error.hidden = text === undefined;
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** `?backend=cpu` (or `webgl`) pins the TensorFlow.js backend; the default tries WebGL, then the CPU. */
function backendOrder(): BackendChoice[] | undefined {
  const b = new URLSearchParams(location.search).get('backend');
  return b === 'cpu' || b === 'webgl' ? [b] : undefined;
}

let busy = false;
function setBusy(value: boolean): void {
  busy = value;
  ui.file.disabled = value;
  ui.record.disabled = value || recordingUnavailableReason() !== undefined;
  ui.drop.classList.toggle('disabled', value);
  document.body.setAttribute('aria-busy', String(value));
}

function engineFacts(engine: Engine): Array<[string, string]> {
  const { metadata, backend } = engine;
  const metrics = metadata.metrics ?? {};
  const real = metrics.fontsToRealAccuracy;
  const test = metrics.testAccuracy ?? metrics.randomSplitTestAccuracy;
  const acc =
    real !== undefined
      ? `, ${percent(real)} on real recordings of an unheard source`
      : test === undefined
        ? ''
        : `, ${percent(test)} test accuracy`;
  return [
    ['Model', `${metadata.preset}, ${metadata.labels.length} classes${acc}`],
    [
      'TensorFlow.js backend',
      backend.fallbackReason ? `${backend.name} (${backend.fallbackReason})` : backend.name,
    ],
    ['DSP implementation', engine.dspImplementation],
    ['Model load', duration(engine.loadMs)],
  ];
}

const enginePromise: Promise<Engine> = import('./engine.js').then(({ loadEngine }) =>
  loadEngine(`${import.meta.env.BASE_URL}model/`, backendOrder()),
);

enginePromise.then(
  (engine) => {
    ui.classCount.textContent = String(engine.metadata.labels.length);
    ui.classList.textContent = engine.metadata.labels.map(displayLabel).join(', ');
    renderFacts(ui.facts, engineFacts(engine));
    document.body.dataset.ready = 'true';
    if (!busy) setStatus('Ready. Choose, drop or record some audio.');
  },
  (e: unknown) => {
    setStatus('');
    showError(`Could not load the model: ${message(e)}. Reload the page to try again.`);
    document.body.dataset.ready = 'failed';
  },
);

function renderResult(
  name: string,
  audio: DecodedAudio,
  result: Prediction,
  engine: Engine,
  decodeMs: number,
) {
  renderTop(ui.top, result.top);
  const { source } = audio;
  const cut = audio.truncated ? ` (only the first ${seconds(MAX_DURATION_S)} analysed)` : '';
  ui.source.textContent = `${name}: ${seconds(source.durationS)}, ${source.channels} channel${
    source.channels === 1 ? '' : 's'
  } at ${source.sampleRate} Hz${cut}.`;
  const many = result.windows.length > 1;
  ui.timelineSection.hidden = !many;
  if (many) renderTimeline(ui.timeline, result.windows);
  else ui.timeline.replaceChildren();
  const { featuresMs, inferenceMs } = result.timings;
  const start =
    result.onsetS > 0
      ? `from the detected onset at ${seconds(result.onsetS)}`
      : 'from the start of the audio';
  renderFacts(ui.facts, [
    ...engineFacts(engine),
    [
      'Windows',
      `${result.windows.length} × 1 s, ${start}${
        result.windows.some((w) => w.skipped)
          ? ` (${result.windows.filter((w) => w.skipped).length} quiet, not counted)`
          : ''
      }`,
    ],
    [
      'Answer',
      result.aggregate === 'onset' && result.answerWindowS !== undefined
        ? `the 1-s window from the strongest onset, at ${seconds(result.answerWindowS)} (how the model was trained)`
        : 'the mean over the windows counted',
    ],
    ['Decode + resample', duration(decodeMs)],
    ['Log-mel features', duration(featuresMs)],
    ['Inference', duration(inferenceMs)],
  ]);
  ui.results.hidden = false;
  document.body.dataset.result = 'done';
}

async function analyse(blob: Blob, name: string): Promise<void> {
  if (busy) return;
  setBusy(true);
  showError(undefined);
  ui.results.hidden = true;
  delete document.body.dataset.result;
  try {
    setStatus(`Reading ${name}…`);
    const engine = await enginePromise;
    const t0 = performance.now();
    let audio: DecodedAudio;
    try {
      audio = await decodeToMono(await blob.arrayBuffer(), engine.metadata.dsp.sampleRate, MAX_DURATION_S);
    } catch (e) {
      if (e instanceof DecodeError) throw new Error(`Could not read “${name}”: ${e.message}.`);
      throw e;
    }
    const decodeMs = performance.now() - t0;
    setStatus(`Analysing ${name}…`);
    const result = await engine.classify(audio.samples, {
      onProgress: (f) => setStatus(`Analysing ${name}… ${Math.round(f * 100)}%`),
    });
    renderResult(name, audio, result, engine, decodeMs);
    const best = result.top[0];
    setStatus(
      !best
        ? 'Done: the audio is silent — nothing to classify.'
        : `Done: most likely ${displayLabel(best.label)} (${percent(best.probability)})${
            result.noiseLike
              ? ' — but it sounds like noise, not an instrument note: treat it as a guess'
              : result.lowConfidence
                ? ' — low confidence, treat it as a guess'
                : ''
          }.`,
    );
  } catch (e) {
    setStatus('');
    const text = message(e);
    showError(text.startsWith('Could not') ? text : `Could not analyse “${name}”: ${text}`);
    document.body.dataset.result = 'error';
  } finally {
    setBusy(false);
  }
}

ui.file.addEventListener('change', () => {
  const file = ui.file.files?.[0];
  ui.file.value = '';
  if (file) void analyse(file, file.name);
});

// Dropping anywhere on the page analyses the file (instead of the browser opening it).
window.addEventListener('dragover', (e) => {
  e.preventDefault();
  ui.drop.classList.add('dragging');
});
window.addEventListener('dragleave', (e) => {
  if (e.relatedTarget === null) ui.drop.classList.remove('dragging');
});
window.addEventListener('drop', (e) => {
  e.preventDefault();
  ui.drop.classList.remove('dragging');
  const file = e.dataTransfer?.files[0];
  if (file) void analyse(file, file.name);
});

const unavailable = recordingUnavailableReason();
if (unavailable) {
  ui.record.disabled = true;
  ui.recordNote.textContent = `Recording is off: ${unavailable}.`;
}
ui.record.addEventListener('click', async () => {
  if (busy) return;
  showError(undefined);
  setBusy(true);
  let blob: Blob;
  try {
    setStatus(`Recording ${RECORD_SECONDS} s… play a note now.`);
    blob = await recordMicrophone(RECORD_SECONDS);
  } catch (e) {
    setStatus('');
    showError(`Could not record from the microphone: ${message(e)}`);
    return;
  } finally {
    setBusy(false);
  }
  await analyse(blob, 'microphone recording');
});
