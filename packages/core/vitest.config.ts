import { timbreVitestConfig } from '@timbre/vitest-config';

export default timbreVitestConfig();
