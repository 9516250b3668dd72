// Records the official SDK's filesHash (novita-sandbox 2.1.1, Template.toJSON)
// for COPY sources over a scratch tree, so the Rust tests can compare hashes
// computed from the same tree on disk. Test tooling, not SDK code.
// Usage (repository root, node_modules installed):
//   node crates/files/tests/data/sdk_hashes.gen.cjs /tmp/some-scratch-dir
const fs = require('fs'), path = require('path');
const { Template } = require('novita-sandbox');
const root = path.join(process.argv[2] || '/tmp/sdkh', 'ctx');
fs.rmSync(root, { recursive: true, force: true });
const files = ['.env', 'Zeta.txt', 'a.txt', 'b.md', 'run.sh', 'src/main.py', 'src/util.py', 'src/.hidden', 'src/notes.md',
  'src/deep/x.tmp', 'src/deep/y.py', 'src/deep/deeper/z.md', 'weird1.txt', '{brace}.txt', 'secret.txt', 'src/secret.txt'];
const dirs = ['docs'];
const links = [['link-src', 'src'], ['link-a', 'a.txt'], ['dangling', 'nope'], ['src/deep/up', '../util.py']];
for (const f of files) {
  fs.mkdirSync(path.dirname(path.join(root, f)), { recursive: true });
  fs.writeFileSync(path.join(root, f), 'contents of ' + f + '\n');
  fs.chmodSync(path.join(root, f), f.endsWith('.sh') ? 0o755 : 0o644);
}
for (const d of dirs) fs.mkdirSync(path.join(root, d), { recursive: true });
for (const d of ['', 'src', 'src/deep', 'src/deep/deeper', 'docs']) fs.chmodSync(path.join(root, d), 0o755);
for (const [l, t] of links) fs.symlinkSync(t, path.join(root, l));
const sources = [['.', '/ctx'], ['src', '/app'], ['./src/', '/app/'], ['src/*.py', '/py'], ['**/*.md', '/md'], ['*.txt', '/t'],
  ['**', '/all'], ['*', '/star'], ['link-src', '/l'], ['link-src/*', '/l2'], ['{a,b}.*', '/ab'], ['link-a', '/la'],
  ['dangling', '/d'], ['src/deep', '/deep'], ['src/deep/up', '/up'], ['*/', '/dirs'], ['run.sh', '/usr/bin/run.sh']];
const ignoreSets = [[], ['**/*.tmp', 'secret.txt'], ['src/deep/**']];
(async () => {
  const cases = [];
  for (const fileIgnorePatterns of ignoreSets) for (const resolveSymlinks of [false, true]) for (const [src, dest] of sources) {
    const hashes = new Set();
    for (let i = 0; i < 4; i++) {
      try {
        const t = Template({ fileContextPath: root, fileIgnorePatterns }).fromTemplate('base').copy(src, dest, { resolveSymlinks });
        const step = JSON.parse(await Template.toJSON(t)).steps.find((s) => s.type === 'COPY');
        hashes.add(step.filesHash);
      } catch (e) {
        hashes.add('error: ' + e.message);
      }
    }
    if (hashes.size !== 1) { console.error('unstable', src); continue; }
    cases.push({ src, dest, ignore: fileIgnorePatterns, resolveSymlinks, filesHash: [...hashes][0] });
  }
  const dirSizes = Object.fromEntries(['', 'src', 'src/deep', 'src/deep/deeper', 'docs'].map((d) => [d, fs.statSync(path.join(root, d)).size]));
  const out = { note: 'novita-sandbox 2.1.1 Template.toJSON filesHash on Linux/ext4; files 0644 (run.sh 0755), dirs 0755', files, dirs, links, dirSizes, cases };
  fs.writeFileSync(path.join(__dirname, 'sdk_hashes.json'), JSON.stringify(out) + '\n');
  console.log(cases.length, 'cases');
})();
