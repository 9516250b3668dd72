// Builds examples/python-app as a template, the way a script would use the
// package. Defaults to the local emulator; set NOVITA_API_URL / NOVITA_API_KEY
// (or NOVITA_API_KEY alone for the real service) to point it elsewhere.
import { fileURLToPath } from 'node:url'
import { dirname, join } from 'node:path'
import { Template, Sandbox, defaultBuildLogger, waitForPort } from '../pkg/node/index.mjs'

const here = dirname(fileURLToPath(import.meta.url))

export async function buildPythonApp({ apiUrl, apiKey, registryUrl } = {}) {
  const template = Template({ fileContextPath: join(here, 'python-app') })
    .fromPythonImage('3.12')
    .copy('requirements.txt', '/home/user/app/')
    .pipInstall(['-r', '/home/user/app/requirements.txt'])
    .copy('app.py', '/home/user/app/app.py')
    .setWorkdir('/home/user/app')
    .setStartCmd('python app.py', waitForPort(8000))

  console.log('--- Template.toDockerfile ---')
  console.log(Template.toDockerfile(template))

  const build = await Template.build(template, 'demo-python-app', {
    apiUrl,
    apiKey,
    tags: ['v1', 'latest'],
    // The emulator serves a small registry: python:3.12's ENV and CMD are inherited
    // from it, offline (the real service needs none: Docker Hub is read directly).
    registryUrl,
    onBuildLogs: defaultBuildLogger({ minLevel: 'info' }),
    onBuildProgress: (p) => {
      if (p.state !== 'started') console.log(`  step ${p.index}/${p.total} ${p.state}${p.cached ? ' (cached)' : ''} in ${p.durationMs} ms: ${p.description}`)
    },
  })
  console.log('--- BuildInfo ---')
  console.log(build)

  const sandbox = await Sandbox.create(build.templateId, { apiUrl, apiKey })
  console.log(`sandbox ${sandbox.sandboxId} started from ${build.templateId}; killing it`)
  await sandbox.kill()
  return build
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await buildPythonApp()
}
