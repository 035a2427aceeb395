/**
 * Import direction, enforced in `npm test` (npm run lint:deps). Layers, lowest first: a folder may import only
 * itself and the folders listed before it. docs/architecture.md draws the same list and says why each layer
 * sits where it does. Type-only imports count too: a type import is still a dependency of the design.
 */
const LAYERS = [
  'src/core', //          contracts, errors, safe file access, text, wildcards, schemas, YAML
  'src/rules', //         CEL and the policy/ACL/CIDR/secret functions rules call
  'src/sign', //          signatures, certificates, report binding
  'src/score', //         scoring
  'src/locker', //        pack layout, manifest, pack records, rollback
  'src/collect', //       SDK clients, call log, redaction, the collection runner
  'collectors', //        one module per evidence source
  'src/catalog', //       controls and framework catalogs
  'src/evaluate', //      judging evidence with rules
  'src/workflow', //      waivers, attestations
  'src/results', //       results.json
  'src/verify', //        pack verification and the gate every reader passes
  'src/diff', //          change between packs, history
  'src/report', //        view model, HTML, PDF, CSV
  'src/export', //        OSCAL, Security Hub
  'src/policy', //        the IAM policy of the audit role
  'src/config', //        auditpack.yaml
  'src/store', //         pack locations: a local folder or an S3 prefix (download, upload, Object Lock)
  'src/pipeline', //      collect, assess, report, run
  'src/cli', //           the command line
  'src/demo', //          the demo organisation (an application of the CLI and pipeline)
];

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** For each layer: it must not import any layer above it. */
const layerRules = LAYERS.map((layer, i) => ({
  name: `layer-${layer.replace(/\//g, '-')}`,
  comment: `${layer} may import only ${i === 0 ? 'itself' : LAYERS.slice(0, i).join(', ')} (see docs/architecture.md)`,
  severity: 'error',
  from: { path: `^${escape(layer)}/` },
  to: { path: LAYERS.slice(i + 1).map((l) => `^${escape(l)}/`) },
})).filter((r) => r.to.path.length > 0);

module.exports = {
  forbidden: [
    ...layerRules,
    {
      name: 'no-circular',
      comment: 'no import cycles between modules either',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'shipped-code-not-from-tests',
      comment: 'src/ and collectors/ never import test code',
      severity: 'error',
      from: { path: '^(src|collectors)/' },
      to: { path: '^(test|bench)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'], extensions: ['.ts', '.js'] },
    moduleSystems: ['es6'],
  },
};
