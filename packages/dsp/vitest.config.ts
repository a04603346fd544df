import { timbreVitestConfig } from '@timbre/vitest-config';

export default timbreVitestConfig({
  test: { globalSetup: ['./scripts/vitest-ensure-wasm.mjs'] },
});
