/** Architecture rules as code (docs/ARCHITECTURE.md): data flows one way, the domain stays pure. */
module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      comment: 'domain/ imports nothing of ours outside domain/, and no I/O modules.',
      severity: 'error',
      from: { path: '^domain/' },
      to: { pathNot: '^domain/' },
    },
    {
      name: 'domain-no-io',
      severity: 'error',
      from: { path: '^domain/' },
      to: { path: '^(node:)?(fs|net|http|https|child_process|dgram|pg|kafkajs)$|node_modules/(pg|kafkajs|@mikro-orm|express)/' },
    },
    {
      name: 'store-depends-on-domain-only',
      severity: 'error',
      from: { path: '^store/' },
      to: { path: '^(schema|gateway|workers|connectors|scripts|certs)/' },
    },
    {
      name: 'schema-stays-thin',
      comment: 'resolvers reach the world through services, never through connectors or workers directly.',
      severity: 'error',
      from: { path: '^schema/' },
      to: { path: '^(gateway|workers|connectors|scripts)/' },
    },
    {
      name: 'connectors-know-only-domain',
      severity: 'error',
      from: { path: '^connectors/' },
      to: { path: '^(store|schema|gateway|workers|scripts|certs)/' },
    },
    {
      name: 'workers-not-gateway',
      severity: 'error',
      from: { path: '^workers/' },
      to: { path: '^(gateway|schema|scripts)/' },
    },
    {
      name: 'forms-render-only',
      comment: 'forms/ turns data into PDF; it knows the domain (errors, time) and the platform, nothing else of ours.',
      severity: 'error',
      from: { path: '^forms/' },
      to: { path: '^(store|schema|gateway|workers|connectors|scripts|certs)/' },
    },
    {
      name: 'key-material-in-certs',
      comment:
        'Only certs/ handles private keys (docs/ARCHITECTURE.md): node-forge (key parsing, PKCS#8) is imported there only. ' +
        'The node:crypto and jose key APIs are fenced by eslint (no-restricted-imports in eslint.config.mjs).',
      severity: 'error',
      from: { pathNot: '^certs/' },
      to: { path: '(^|/)node_modules/node-forge/|^node-forge$' },
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
    exclude: { path: '(^dist/|\\.test\\.ts$)' },
  },
};
