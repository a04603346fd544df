import type { LabelProbability, WindowPrediction } from '@timbre/models';
import { displayLabel, percent, seconds } from './format.js';

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className?: string,
  text?: string,
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function bar(probability: number): HTMLElement {
  const track = el('span', 'bar');
  track.setAttribute('aria-hidden', 'true');
  const fill = el('span', 'bar-fill');
  fill.style.width = percent(probability);
  track.append(fill);
  return track;
}

/** A list item per class: name, probability bar and percentage (`data-label`, `data-probability`). */
export function renderTop(list: HTMLOListElement, top: readonly LabelProbability[]): void {
  list.replaceChildren(
    ...top.map(({ label, probability }) => {
      const li = el('li', 'prediction');
      li.dataset.label = label;
      li.dataset.probability = String(probability);
      li.append(
        el('span', 'label', displayLabel(label)),
        bar(probability),
        el('span', 'pct', percent(probability)),
      );
      return li;
    }),
  );
}

/** One row per window: time span, its most probable class and that probability. */
export function renderTimeline(body: HTMLTableSectionElement, windows: readonly WindowPrediction[]): void {
  body.replaceChildren(
    ...windows.map((w) => {
      const best = w.top[0]!;
      const tr = el('tr', w.skipped ? 'skipped' : undefined);
      tr.dataset.label = best.label;
      if (w.skipped) tr.title = 'quiet or silent: not counted in the result';
      const others = w.top
        .slice(1)
        .map((t) => `${displayLabel(t.label)} ${percent(t.probability)}`)
        .join(', ');
      const cell = el('td');
      const content = el('span', 'bar-with-pct');
      content.append(bar(best.probability), el('span', 'pct', percent(best.probability)));
      cell.append(content);
      tr.append(
        el('td', 'time', `${seconds(w.startS)}–${seconds(w.endS)}`),
        el('td', 'label', displayLabel(best.label)),
        cell,
        el('td', 'others', others),
      );
      return tr;
    }),
  );
}

/** Fills a definition list with term/value pairs. */
export function renderFacts(list: HTMLDListElement, facts: ReadonlyArray<readonly [string, string]>): void {
  list.replaceChildren(
    ...facts.flatMap(([term, value]) => [el('dt', undefined, term), el('dd', undefined, value)]),
  );
}
