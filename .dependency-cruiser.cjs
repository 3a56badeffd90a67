/**
 * Import direction (DESIGN §2): protocols ← core ← adapters ← listener / lambdas / local ← bin;
 * lib/ (CDK) imports nothing from the runtime; the pure layers import no AWS or Lambda library.
 */
const layer = (name, mayImport) => ({
  name: `${name}-imports`,
  comment: `${name}/ may import only ${mayImport.join(', ')}`,
  severity: 'error',
  from: { path: `^${name}/` },
  to: { path: '^(bin|lib|lambdas|protocols|core|adapters|listener|local)/', pathNot: `^(${[name, ...mayImport].join('|')})/` },
});

module.exports = {
  forbidden: [
    layer('protocols', []),
    layer('core', ['protocols']),
    layer('adapters', ['core', 'protocols']),
    layer('listener', ['adapters', 'core', 'protocols']),
    layer('lambdas', ['adapters', 'core', 'protocols']),
    layer('local', ['listener', 'lambdas', 'adapters', 'core', 'protocols']),
    // lib/ (CDK) may read the environment variable names the runtime reads (one source: core/env.ts)
    { ...layer('lib', []), to: { path: '^(bin|lambdas|protocols|core|adapters|listener|local)/', pathNot: '^(lib/|core/env\\.ts$)' } },
    {
      name: 'pure-layers-no-aws',
      comment: 'protocols/ and core/ stay pure: no AWS SDK, CDK, Powertools or middy',
      severity: 'error',
      from: { path: '^(protocols|core)/' },
      to: { path: 'node_modules/(@aws-sdk|aws-cdk-lib|constructs|@aws-lambda-powertools|@middy)/' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '(^dist/|^test/|^bench/|\\.d\\.ts$)' },
  },
};
