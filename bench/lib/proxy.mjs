// A counting TCP proxy on 127.0.0.1: every byte a client sends to the emulator and
// every byte it gets back (HTTP headers included) passes through here and is counted.
import { createServer, connect } from 'node:net'

/** `{ url, counters: { sent, received, connections }, reset(), close() }` */
export async function startCountingProxy(targetUrl) {
  const target = new URL(targetUrl)
  const counters = { sent: 0, received: 0, connections: 0 }
  const sockets = new Set()
  const server = createServer((client) => {
    counters.connections++
    const upstream = connect(Number(target.port), target.hostname)
    sockets.add(client); sockets.add(upstream)
    client.on('data', (d) => { counters.sent += d.length })
    upstream.on('data', (d) => { counters.received += d.length })
    client.pipe(upstream)
    upstream.pipe(client)
    const end = () => { client.destroy(); upstream.destroy(); sockets.delete(client); sockets.delete(upstream) }
    client.on('error', end); upstream.on('error', end)
    client.on('close', end); upstream.on('close', end)
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    counters,
    snapshot: () => ({ ...counters }),
    close: () => new Promise((resolve) => {
      for (const s of sockets) s.destroy()
      server.close(() => resolve())
    }),
  }
}
