const k = Number(process.argv[2]);
const pattern = 'arn:aws:s3:::' + '*a'.repeat(k) + '*b';
const escaped = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
const t0 = Date.now();
console.log(k, new RegExp(`^${escaped}$`).test('arn:aws:s3:::' + 'a'.repeat(63)), Date.now() - t0, 'ms');
