// A Stryker reporter that prints each mutant the tests let through as soon as it is known
// (`npm run test:mutation` adds it), so the gaps can be read while a long run goes on.
import { PluginKind, declareClassPlugin } from '@stryker-mutator/api/plugin';

class SurvivorsReporter {
  onMutantTested(result) {
    if (result.status !== 'Survived' && result.status !== 'NoCoverage') return;
    const { line, column } = result.location.start;
    const replacement = JSON.stringify(result.replacement ?? '').slice(0, 120);
    console.log(`${result.status} ${result.fileName}:${line}:${column + 1} ${result.mutatorName} ${replacement}`);
  }
}

export const strykerPlugins = [declareClassPlugin(PluginKind.Reporter, 'survivors', SurvivorsReporter)];
