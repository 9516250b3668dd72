// Observes glob 11 discovery the way the SDK's getAllFilesInPath uses it
// (test tooling; writes expectations for the Rust tests).
const fs = require('fs'), path = require('path');
const { glob } = require('glob');
// Usage (from the repository root, with node_modules installed):
//   node crates/files/tests/data/glob11_discovery.gen.cjs /tmp/some-scratch-dir
const root = path.join(process.argv[2] || '/tmp/g11', 'ctx');
fs.rmSync(root, { recursive: true, force: true });
const files = ['.env', 'Zeta.txt', 'a.txt', 'b.md', 'src/main.py', 'src/util.py', 'src/.hidden', 'src/notes.md',
  'src/deep/x.tmp', 'src/deep/y.py', 'src/deep/deeper/z.md', 'weird[1].txt', 'weird1.txt', '{brace}.txt', 'secret.txt', 'src/secret.txt'];
const dirs = ['docs'];
const links = [['link-src', 'src'], ['link-a', 'a.txt'], ['dangling', 'nope']];
for (const f of files) { fs.mkdirSync(path.dirname(path.join(root, f)), { recursive: true }); fs.writeFileSync(path.join(root, f), 'x:' + f); }
for (const d of dirs) fs.mkdirSync(path.join(root, d), { recursive: true });
for (const [l, t] of links) fs.symlinkSync(t, path.join(root, l));
async function discover(src, ignore) {
  const opts = { ignore, withFileTypes: true, dot: true, cwd: root };
  const m = new Map();
  for (const f of await glob(src, opts)) {
    m.set(f.fullpath(), f);
    if (f.isDirectory()) {
      const pat = path.join(f.relative() || '.', '**/*').replace(/\\/g, '/');
      for (const g of await glob(pat, opts)) m.set(g.fullpath(), g);
    }
  }
  return Array.from(m.values()).map((p) => p.relativePosix());
}
const sources = ['.', 'src', './src/', 'src/*.py', '**/*.md', '*.txt', 'src/**', '**', 'src/deep', '*', 'link-src',
  'link-src/*', '{a,b}.*', 'src/deep/../main.py', 's*/d*/*', 'weird[1].txt', '?.txt', '[ab].*', 'src/deep/deeper/',
  'nope', 'link-a', 'dangling', '*/', 'src/*/', '**/deep', '.*', '{brace}.txt', 'src/deep/**/*.md'];
const ignores = [[], ['**/*.tmp', 'secret.txt'], ['src/deep'], ['src/deep/**'], ['*.md'], ['**/*.md'], ['src'],
  ['.*'], ['src/*.py'], ['{a,b}.*'], ['**'], ['src/'], ['**/deep/**', './a.txt'], ['src/deep/*']];
(async () => {
  const cases = [];
  const extra = ['a.txt/**', 'link-a/', 'dangling/', 'a.txt/', 'link-src/', 'link-src/**', 'src/deep/**/', '**/', 'docs/**',
    'link-src/**/*.md', '**/*.py', 'src/**/deep', '*/*.py', 'l*/*.py', 'nope/**', '**/.*', 'src/deep/*/', '*.{txt,md}',
    '{a.txt,b.md}', '{b.md,a.txt}', '{src,a.txt}', '{b.md,src/*.py}', '{.,src}', '{src/**,b.md}', '{link-src/*.py,a.txt}',
    'src/{deep,main.py}', '**/{y,z}.*', 'link-src/deep', './**/*.md', '{src/*.py,*.md}'];
  const pairs = [];
  for (const src of sources) for (const ignore of ignores) pairs.push([src, ignore]);
  for (const src of extra) for (const ignore of [[], ['**/*.tmp', 'secret.txt'], ['src/deep/**']]) pairs.push([src, ignore]);
  for (const [src, ignore] of pairs) {
    const seen = new Map();
    for (let i = 0; i < 6; i++) { const r = await discover(src, ignore); seen.set(JSON.stringify(r), r); }
    const variants = [...seen.values()];
    cases.push(variants.length === 1 ? { src, ignore, result: variants[0] } : { src, ignore, racyResults: variants });
  }
  const out = { note: 'glob 11.1.0 discovery as novita-sandbox 2.1.1 getAllFilesInPath runs it, on Linux/ext4', files, dirs, links, cases };
  fs.writeFileSync(path.join(__dirname, 'glob11_discovery.json'), JSON.stringify(out) + '\n');
  console.log(cases.length, 'cases');
})();
