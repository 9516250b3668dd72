// Start-up probe, run in a fresh process: prints the milliseconds from process start
// (performance.timeOrigin) to the return of the first `Template()` call.
// Usage: node bench/startup-probe.mjs ours <pkg> | official | floor
const [sdk, pkg] = process.argv.slice(2)
if (sdk === 'floor') {
  process.stdout.write(`${performance.now()}\n`)
} else {
  const mod = sdk === 'ours' ? await import(`${pkg}/node/index.mjs`) : await import('novita-sandbox')
  mod.Template()
  process.stdout.write(`${performance.now()}\n`)
}
