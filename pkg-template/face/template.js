// ---- Template(): the builder and its static API ----
const BUILDER_METHODS = [
  'fromImage', 'fromDebianImage', 'fromUbuntuImage', 'fromPythonImage', 'fromNodeImage',
  'fromBunImage', 'fromBaseImage', 'fromTemplate', 'fromDockerfile', 'fromAWSRegistry',
  'fromGCPRegistry', 'fromOCIRegistry', 'fromHuaweiCloudRegistry', 'skipCache', 'copy',
  'copyItems', 'remove', 'rename', 'makeDir', 'makeSymlink', 'runCmd', 'setWorkdir', 'setUser',
  'pipInstall', 'npmInstall', 'bunInstall', 'aptInstall', 'addMcpServer', 'gitClone', 'setEnvs',
  'setPatchCmd', 'setStartCmd', 'setReadyCmd', 'betaDevContainerPrebuild', 'betaSetDevContainerStart',
]

const describe = (v) => (v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v)

function checkTemplate(t, method) {
  if (!(t instanceof TemplateBase)) {
    throw new errors.InvalidArgumentError(`${method}: the first argument must be a template made with Template(), got ${describe(t)}`)
  }
}

/** Points `e` at the user's own line: the builder call that made its step or COPY. */
function pointAt(t, e) {
  if (!(e instanceof Error)) return e
  let i = -1
  if (typeof e.step === 'string') {
    i = t._m.stepCall(e.step)
    const d = t._m.stepDescription(e.step)
    if (d) e.stepDescription = d
  } else if (typeof e.copy === 'number') {
    i = JSON.parse(t._m.copies()).copies[e.copy]?.call ?? -1
    delete e.copy
  }
  return i >= 0 ? withFrames(e, t._stacks[i]) : e
}

/** A template being described. Create one with `Template()`. */
class TemplateBase {
  constructor(options) {
    const o = options && typeof options === 'object' ? options : {}
    const { fileContext, ...rest } = o
    this._m = call(() => new core.Model(encode(options === undefined || options === null || options === o ? rest : options)))
    this._stacks = []
    this._contextPath = typeof o.fileContextPath === 'string' ? o.fileContextPath : '.'
    // COPY sources: the files given (any host), else the context directory (Node).
    this._files = fileContext ? { memory: fileContext } : host.fileContext ? host.fileContext(this._contextPath) : undefined
  }

  /** What went wrong reading the base image's config, if it did (`{error, unusable?}`). */
  static imageConfigFailure(t) {
    checkTemplate(t, 'TemplateBase.imageConfigFailure')
    return JSON.parse(t._m.imageConfigFailure()) ?? undefined
  }

  static toDockerfile(t) {
    checkTemplate(t, 'Template.toDockerfile')
    return call(() => t._m.toDockerfile())
  }

  static async toJSON(t, computeHashes = true, options) {
    checkTemplate(t, 'Template.toJSON')
    const o = options || {}
    await readImageConfig(t, o.registryUrl, o.signal)
    const hashes = computeHashes ? (await prepareCopies(t, undefined, o.signal)).hashes : undefined
    throwIfAborted(o.signal)
    return call(() => t._m.toJson(hashes && JSON.stringify(hashes), true, !!o.redact))
  }

  static build(t, name, options) {
    return runBuild(t, name, options, false)
  }

  static buildInBackground(t, name, options) {
    return runBuild(t, name, options, true)
  }

  static getBuildStatus(build, options) {
    return drive(startCall('getBuildStatus', [build, options]), { signal: optionsAt(arguments, 1).signal })
  }

  /** Follows a build (from `buildInBackground`) to its end, with logs and progress. */
  static async waitForBuild(build, options) {
    const o = options || {}
    const t = o.template
    if (t !== undefined && !(t instanceof TemplateBase)) {
      throw new errors.InvalidArgumentError(`Template.waitForBuild: option \`template\` must be a template made with Template(), got ${describe(t)}`)
    }
    // The template crosses as its step list; the rest of the options as JSON.
    const rest = t ? { ...o, template: undefined } : options
    const m = call(() => core.watchBuild(t && t._m.stepsJson(), encode([build, rest]), environment(), Date.now(), Math.random()))
    try {
      return await drive(m, { signal: o.signal, log: o.onBuildLogs, progress: o.onBuildProgress })
    } catch (e) {
      throw t ? pointAt(t, e) : e
    }
  }

  /**
   * What building `t` as `name` would do, without building: the steps, each COPY's
   * files, bytes and hash, and which archives the server already has.
   */
  static async plan(t, name, options) {
    checkTemplate(t, 'Template.plan')
    const o = (name && typeof name === 'object' && options === undefined ? name : options) || {}
    const checked = JSON.parse(call(() => core.checkPlan(encode([name, options]), environment())))
    await readImageConfig(t, o.registryUrl, o.signal)
    const { copies, hashes } = await prepareCopies(t, o.onUploadProgress, o.signal)
    // Refused here as the server would refuse it (what `build` checks before sending).
    call(() => t._m.toJson(JSON.stringify(hashes), false, false))
    const list = copies ? (await tools()).summarize(copies, hashes) : []
    const x = await host.extras()
    const m = call(() => x.Call.plan(checked.name, JSON.stringify(checked.connection), t._m.stepsJson(), JSON.stringify(list), Math.random()))
    return drive(m, { signal: o.signal })
  }

  static exists(name, options) {
    return extrasCall('exists', [name, options], optionsAt(arguments, 1).signal)
  }

  static aliasExists(alias, options) {
    return extrasCall('aliasExists', [alias, options], optionsAt(arguments, 1).signal)
  }

  static assignTags(target, tags, options) {
    return drive(startCall('assignTags', [target, tags, options]), { signal: optionsAt(arguments, 2).signal })
  }

  static removeTags(name, tags, options) {
    return drive(startCall('removeTags', [name, tags, options]), { signal: optionsAt(arguments, 2).signal })
  }

  static getTags(templateId, options) {
    return drive(startCall('getTags', [templateId, options]), { signal: optionsAt(arguments, 1).signal })
  }

  static get(templateId, options) {
    return extrasCall('get', [templateId, options], optionsAt(arguments, 1).signal)
  }

  static delete(templateId, options) {
    return extrasCall('delete', [templateId, options], optionsAt(arguments, 1).signal)
  }

  /** Pages through the account's templates (options are checked at each page). */
  static list(options) {
    return new TemplatePaginator(options)
  }
}

for (const name of BUILDER_METHODS) {
  const method = {
    [name](...args) {
      const frames = framesAbove(method)
      try {
        const warnings = JSON.parse(call(() => this._m.call(name, encode(builderArgs(this, name, args)), this._stacks.length)))
        this._stacks.push(frames)
        for (const w of warnings) console.warn(w)
        return this
      } catch (e) {
        throw withFrames(e, frames)
      }
    },
  }[name]
  Object.defineProperty(TemplateBase.prototype, name, { value: method, writable: true, configurable: true })
}

function throwIfAborted(signal) {
  if (signal && signal.aborted) throw new errors.AbortError('The operation was aborted')
}

async function runBuild(t, name, options, background) {
  checkTemplate(t, background ? 'Template.buildInBackground' : 'Template.build')
  const o = (name && typeof name === 'object' && options === undefined ? name : options) || {}
  const m = call(() => core.startBuild(t._m, encode([name, options]), environment(), background, Date.now(), Math.random()))
  let copies
  let prepareError
  const prepare = async (step) => {
    if (o.onBuildRequested) {
      try { o.onBuildRequested({ templateId: step.templateId, buildId: step.buildId }) } catch (e) {
        console.error('novita-template-wasm: onBuildRequested threw; the build goes on:', e)
      }
    }
    try {
      await readImageConfig(t, o.registryUrl, o.signal, (level, text) => m.log(level, text, Date.now()))
      let hashes
      ;({ copies, hashes } = await prepareCopies(t, o.onUploadProgress, o.signal))
      m.stepsReady(t._m, JSON.stringify(hashes.map((hash) => ({ hash }))), Date.now())
    } catch (x) {
      // A cancel is the machine's to finish (it knows what the server has).
      if (o.signal && o.signal.aborted) return
      // Through the machine, so the build ends as every failure does (LogEntryEnd, …);
      // the caller gets this error itself, pointed at the call that caused it.
      prepareError = x instanceof Error ? x : fail(x)
      const index = classes.indexOf(prepareError && prepareError.constructor)
      m.fail(JSON.stringify({ class: index < 0 ? 0 : index, message: String((prepareError && prepareError.message) ?? prepareError) }), Date.now())
    }
  }
  try {
    return await drive(m, {
      signal: o.signal,
      log: o.onBuildLogs,
      progress: o.onBuildProgress,
      prepare,
      upload: async (step, signal) => (await tools()).uploadCopy(copies, step, o.onUploadProgress, signal),
    })
  } catch (e) {
    throw prepareError ?? pointAt(t, e)
  }
}

/** The arguments of builder call `name` as the core takes them: in Node, a
 *  Dockerfile path or a GCP key file is read here (the core reads no files). */
function builderArgs(t, name, args) {
  if (!host.readText) return args
  const read = (file) => {
    try {
      return host.readText(file)
    } catch (e) {
      throw new errors.TemplateError(`${name}: cannot read ${file}: ${(e && e.message) || e}`)
    }
  }
  if (name === 'fromDockerfile' && typeof args[0] === 'string' && !args[0].includes('\n') && host.isFile(args[0])) {
    return [read(args[0]), ...args.slice(1)]
  }
  const key = name === 'fromGCPRegistry' && args[1] && typeof args[1] === 'object' ? args[1].serviceAccountJSON : undefined
  if (typeof key === 'string') return [args[0], args[1], read(host.resolve(t._contextPath, key))]
  return args
}

/** A call of the on-demand module: options checked at once, then the module loaded. */
async function extrasCall(kind, args, signal) {
  const connection = call(() => core.connectionFor(kind, encode(args), environment()))
  const x = await host.extras()
  return drive(call(() => new x.Call(kind, encode(args), connection, Math.random())), { signal })
}

/** Pages through templates (`Template.list`), as novita-sandbox's paginator does. */
class TemplatePaginator {
  constructor(options) {
    this._options = options
    this._page = options && options.page != null ? options.page : 1
    this._more = true
  }
  get hasNext() {
    return this._more
  }
  get currentPage() {
    return this._page
  }
  /** The next page (`{templates, total, page, limit, totalPages}`). */
  async nextPage() {
    if (!this._more) throw new Error('No more pages to fetch')
    const r = await extrasCall('listPage', [this._options, this._page], (this._options || {}).signal)
    this._more = r.page < r.totalPages
    this._page = r.page + 1
    return r
  }
  reset() {
    this._page = this._options && this._options.page != null ? this._options.page : 1
    this._more = true
  }
}

/** The template calls novita-sandbox also groups under this name. */
class TemplateApi {
  static get(templateId, options) {
    return TemplateBase.get(templateId, options)
  }
  static listTemplates(options) {
    return extrasCall('listPage', [options], (options || {}).signal)
  }
  static deleteTemplate(templateId, options) {
    return TemplateBase.delete(templateId, options)
  }
}

/** `Template()` (with or without `new`) starts a template definition. */
function Template(options) {
  const o = options && typeof options === 'object' ? options : undefined
  if (host.callerDir && (options === undefined || (o && o.fileContextPath === undefined && o.fileContext === undefined))) {
    const dir = host.callerDir(new Error().stack)
    if (dir) options = Object.assign({}, o, { fileContextPath: dir })
  }
  return new TemplateBase(options)
}
Object.setPrototypeOf(Template, TemplateBase)
Template.prototype = TemplateBase.prototype
