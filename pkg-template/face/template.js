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
    this._files = host.fileContext(fileContext, o.fileContextPath)
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
    let hashes
    if (computeHashes) {
      const copies = await planCopies(t).catch((x) => { throw pointAt(t, fail(x)) })
      hashes = copies ? await hashCopies(copies, undefined, o.signal) : []
    }
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
    const t = o.template instanceof TemplateBase ? o.template : undefined
    const m = call(() => core.watchBuild(t && t._m.stepsJson(), encode([build, options]), environment(), Date.now(), Math.random()))
    try {
      return await drive(m, { signal: o.signal, log: o.onBuildLogs, progress: o.onBuildProgress })
    } catch (e) {
      throw t ? pointAt(t, e) : e
    }
  }

  /** What building `t` as `name` would do, without building: steps, files, uploads. */
  static async plan(t, name, options) {
    checkTemplate(t, 'Template.plan')
    const o = (name && typeof name === 'object' && options === undefined ? name : options) || {}
    call(() => core.checkBuild(encode([name, options]), environment()))
    await readImageConfig(t, o.registryUrl, o.signal)
    const copies = await planCopies(t).catch((x) => { throw pointAt(t, fail(x)) })
    const hashes = copies ? await hashCopies(copies, o.onUploadProgress, o.signal) : []
    const sizes = hashes.map((h, i) => JSON.parse(copies.plans.summary(i)))
    const m = call(() => core.startPlan(t._m, encode([name, options]), environment(), JSON.stringify({ hashes, sizes }), Math.random()))
    return drive(m, { signal: o.signal })
  }

  static exists(name, options) {
    return drive(startCall('exists', [name, options]), { signal: optionsAt(arguments, 1).signal })
  }

  static aliasExists(alias, options) {
    return drive(startCall('aliasExists', [alias, options]), { signal: optionsAt(arguments, 1).signal })
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
    return drive(startCall('get', [templateId, options]), { signal: optionsAt(arguments, 1).signal })
  }

  static delete(templateId, options) {
    return drive(startCall('delete', [templateId, options]), { signal: optionsAt(arguments, 1).signal })
  }

  /** Pages through the account's templates; option errors are thrown here. */
  static list(options) {
    const page = JSON.parse(call(() => core.checkListOptions(encode([options]))))
    return new TemplatePaginator(options, page)
  }
}

for (const name of BUILDER_METHODS) {
  const method = {
    [name](...args) {
      const frames = framesAbove(method)
      try {
        const warnings = JSON.parse(call(() => this._m.call(name, encode(host.builderArgs(name, args, this)), this._stacks.length)))
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
  const prepare = async () => {
    try {
      await readImageConfig(t, o.registryUrl, o.signal, (level, text) => m.log(level, text, Date.now()))
      copies = await planCopies(t)
      const hashes = copies ? await hashCopies(copies, o.onUploadProgress, o.signal) : []
      m.stepsReady(t._m, JSON.stringify(hashes), Date.now())
    } catch (x) {
      // Through the machine, so the build ends as every failure does (LogEntryEnd, …).
      const e = fail(x)
      m.fail(typeof x === 'string' ? x : JSON.stringify({ class: classes.indexOf(e.constructor) >>> 0, message: String(e.message ?? e) }), Date.now())
    }
  }
  try {
    return await drive(m, {
      signal: o.signal,
      log: o.onBuildLogs,
      progress: o.onBuildProgress,
      prepare,
      upload: (step, signal) => uploadCopy(copies, step, o.onUploadProgress, signal),
    })
  } catch (e) {
    throw pointAt(t, e)
  }
}

/** Pages through templates (`Template.list`). */
class TemplatePaginator {
  constructor(options, page) {
    this._options = options
    this._first = page
    this._next = page
    this.hasNext = true
  }
  get currentPage() {
    return this._next
  }
  async nextPage() {
    if (!this.hasNext) throw new Error('No more pages to fetch')
    const r = await drive(startCall('listPage', [this._options, this._next]), { signal: (this._options || {}).signal })
    this.hasNext = r.hasNext
    this._next = r.nextPage
    return r.templates
  }
  reset() {
    this._next = this._first
    this.hasNext = true
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
