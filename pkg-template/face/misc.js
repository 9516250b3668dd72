// ---- ready commands, the default logger, sandboxes ----
/** A ready check for `setStartCmd` / `setReadyCmd`. */
class ReadyCmd {
  constructor(cmd) { this.cmd = cmd }
  getCmd() { return this.cmd }
}
const readyHelper = (name) => ({
  [name](...args) {
    try { return new ReadyCmd(call(() => core.readyCmd(name, encode(args)))) } catch (e) {
      throw withFrames(e, framesAbove(helpers[name]))
    }
  },
})[name]
const helpers = {}
for (const name of ['waitForPort', 'waitForURL', 'waitForProcess', 'waitForFile', 'waitForTimeout']) {
  helpers[name] = readyHelper(name)
}

/**
 * A ready-made `onBuildLogs`: `<elapsed> | <time> <LEVEL> <message>` lines, in colour
 * with a spinner on a terminal, plain lines in a browser console.
 */
function defaultBuildLogger(options) {
  const logger = call(() => new core.Logger(encode([options]), environment(), host.stdoutIsTTY(), Date.now()))
  let timer
  return (entry) => {
    const kind = entry instanceof LogEntryStart ? 1 : entry instanceof LogEntryEnd ? 2 : 0
    const ts = entry.timestamp instanceof Date ? entry.timestamp.getTime() : Number(entry.timestamp) || Date.now()
    const time = new Date(ts).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' })
    const out = JSON.parse(logger.handle(kind, String(entry.level ?? 'info'), String(entry.message ?? ''), ts, time, Date.now()))
    if (out.write) host.writeStdout(out.write)
    if (out.stop || out.start) { clearInterval(timer); timer = undefined }
    if (out.start) {
      timer = setInterval(() => { const text = logger.tick(Date.now()); if (text) host.writeStdout(text) }, out.start)
      timer.unref?.() // a forgotten spinner must not keep Node alive
    }
  }
}

const startCall = (kind, args) => call(() => core.startCall(kind, encode(args), environment(), Math.random()))
const optionsAt = (args, i) => (args[i] && typeof args[i] === 'object' ? args[i] : {})

/** A running sandbox, as `Sandbox.create` returns it. */
class Sandbox {
  constructor(info, options) {
    Object.assign(this, info)
    Object.defineProperty(this, '_options', { value: options })
  }
  /** Starts a sandbox from a template (id, `name` or `name:tag`). */
  static async create(template, options) {
    const info = await extrasCall('sandboxCreate', [template, options], optionsAt(arguments, 1).signal)
    return new Sandbox(info, options)
  }
  /** Kills this sandbox; resolves `false` when it was already gone. */
  async kill(options) {
    return Sandbox.kill(this.sandboxId, Object.assign({}, this._options, options))
  }
}
Object.defineProperty(Sandbox, 'kill', {
  value: async function kill(sandboxId, options) {
    return extrasCall('sandboxKill', [sandboxId, options], optionsAt(arguments, 1).signal)
  },
  configurable: true,
  writable: true,
})
