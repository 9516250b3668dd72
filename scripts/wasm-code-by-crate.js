// Code bytes per crate of a wasm module with a name section (the release build
// before wasm-bindgen and wasm-opt), to aim size work: node scripts/wasm-code-by-crate.js <file.wasm>
const b = require('fs').readFileSync(process.argv[2]);
let i = 8;
function leb(){ let r=0,s=0,x; do { x=b[i++]; r+= (x&0x7f)*2**s; s+=7 } while(x&0x80); return r }
let imports = 0, code = [], names = {};
while (i < b.length) {
  const id = b[i++]; const len = leb(); const start = i;
  if (id === 2) { const n = leb(); for (let k=0;k<n;k++){ let l=leb(); i+=l; l=leb(); i+=l; const kind=b[i++]; if(kind===0){leb(); imports++} else if(kind===1){i++; const f=b[i++]; leb(); if(f&1)leb()} else if(kind===2){const f=b[i++]; leb(); if(f&1)leb()} else if(kind===3){i+=2} } }
  if (id === 10) { const n = leb(); for (let k=0;k<n;k++){ const sz=leb(); code.push(sz); i+=sz } }
  if (id === 0) { const nl = leb(); const nm = b.slice(i, i+nl).toString(); i += nl;
    if (nm === 'name') { while (i < start+len) { const sub = b[i++]; const sl = leb(); const ss = i;
      if (sub === 1) { const n = leb(); for (let k=0;k<n;k++){ const idx=leb(); const l=leb(); names[idx]=b.slice(i,i+l).toString(); i+=l } }
      i = ss + sl } } }
  i = start + len;
}
const byCrate = {};
code.forEach((sz, k) => { const n = names[imports + k] || '?';
  let crate = 'other';
  let m = n.match(/^_ZN(\d+)/); if (m) { crate = n.substr(3 + m[1].length, +m[1]) }
  else { m = n.match(/C[s][0-9a-zA-Z]*_(\d+)([a-zA-Z_]\w*)/); if (m) crate = m[2].substr(0, +m[1]); else if (n.startsWith('<')) { const q = n.match(/^<+(?:&(?:mut )?)?([a-zA-Z_]\w*)/); crate = q ? q[1] : n.slice(0,30) } else crate = n.slice(0, 30) }
  byCrate[crate] = (byCrate[crate]||0) + sz });
console.log(Object.entries(byCrate).sort((a,b)=>b[1]-a[1]).slice(0,25).map(([k,v])=>`${v}\t${k}`).join('\n'));
