import { compileExpression } from './src/rules/cel.js';
import { EvaluationBudget } from './src/rules/budget.js';
const n = Number(process.argv[2] ?? 200000);
const tags = Array.from({ length: n }, (_, i) => ({ key: `k${i}`, value: 'v' }));
for (const expr of [
  'r.tags.all(a, r.tags.exists(b, a.key == b.key))',
  'r.tags.exists(a, r.tags.exists(b, a.key == b.key && a.value != b.value)) || true',
  'r.tags.map(a, a.key).size() > 0',
  'r.tags.filter(a, a.key in r.tags.map(b, b.key)).size() > 0',
  'size(r.tags) > 0',
  'r.tags.all(a, a.value == "v")',
]) {
  const fn = compileExpression(expr);
  const b = new EvaluationBudget();
  const t0 = Date.now();
  let out: unknown;
  try { out = fn({ r: { tags }, evidence: {}, params: {}, account: '', region: '', now: '' }, b); } catch (e) { out = (e as Error).message.slice(0, 60); }
  console.log(expr, '=>', out, 'units', b.used, Date.now() - t0, 'ms');
}
