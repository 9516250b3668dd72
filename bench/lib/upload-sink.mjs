// An HTTP proxy on 127.0.0.1 in front of the emulator that takes uploads (PUT) at
// disk speed: it spools the body to a file, answers 200 as soon as the last byte is
// in, and forwards the file to the emulator in the background. Any later request
// (the build trigger) waits until those forwards are done, so the build sees its
// files. Why: the emulator is a debug build that ingests uploads at about 30 MB/s,
// which would cap both SDKs' copy() figures at the server's speed, not theirs.
import { createServer, request } from 'node:http'
import { createWriteStream, createReadStream, statSync, rmSync } from 'node:fs'
import { join } from 'node:path'

export async function startUploadSink(targetUrl, spoolDir) {
  const target = new URL(targetUrl)
  let barrier = Promise.resolve()
  let n = 0
  const forward = (req, res, body) => {
    const up = request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers }, (r) => {
      res.writeHead(r.statusCode, r.headers)
      r.pipe(res)
    })
    up.on('error', (e) => { res.destroy(e) })
    body.pipe(up)
  }
  const server = createServer((req, res) => {
    if (req.method === 'PUT') {
      const file = join(spoolDir, `upload-${n++}`)
      const out = createWriteStream(file)
      req.pipe(out)
      out.on('error', (e) => res.destroy(e))
      out.on('finish', () => {
        res.writeHead(200, { 'content-length': '0' })
        res.end()
        const forwarded = new Promise((resolve) => {
          const headers = { ...req.headers, 'content-length': String(statSync(file).size) }
          delete headers['transfer-encoding']
          const up = request({ host: target.hostname, port: target.port, method: 'PUT', path: req.url, headers }, (r) => {
            r.resume()
            r.on('end', () => { rmSync(file, { force: true }); resolve(r.statusCode) })
          })
          up.on('error', () => { rmSync(file, { force: true }); resolve(0) })
          createReadStream(file).pipe(up)
        })
        barrier = Promise.all([barrier, forwarded])
      })
      return
    }
    barrier.then(() => forward(req, res, req))
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    close: () => new Promise((resolve) => { server.close(() => resolve()); server.closeAllConnections() }),
  }
}
