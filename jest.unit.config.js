// The unit project alone, without the database globalSetup: what Stryker runs for each mutant
// (`npm run test:mutation`; stryker.config.json).
import base from './jest.config.js';

const unit = base.projects.find((project) => project.displayName === 'unit');
export default {
  ...unit,
  testTimeout: base.testTimeout,
  forceExit: true,
  // Runs only the related test files that hold a test Stryker named (scripts/stryker-jest.runner.mjs).
  runner: '<rootDir>/scripts/stryker-jest.runner.mjs',
};
