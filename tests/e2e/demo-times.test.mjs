// Every time on the page is in one zone, named where it is shown: the local zone by
// default (here Asia/Kolkata, UTC+5:30, so a UTC time cannot pass for local), UTC
// after the toggle.
import { test } from 'node:test'
import { assert, useDemo, openDemo, T, run, waitStatus, removeStep, setName, ENDED } from './demo-harness.mjs'

const demo = useDemo()
const ZONE = 'Asia/Kolkata'

/** HH:MM:SS of an ISO time in `zone`, computed here in Node. */
function clock(iso, zone) {
  const p = Object.fromEntries(new Intl.DateTimeFormat('en-GB', { timeZone: zone, hourCycle: 'h23', hour: '2-digit', minute: '2-digit', second: '2-digit' })
    .formatToParts(new Date(iso)).map((x) => [x.type, x.value]))
  return `${p.hour}:${p.minute}:${p.second}`
}
function day(iso, zone) {
  const p = Object.fromEntries(new Intl.DateTimeFormat('en-GB', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' })
    .formatToParts(new Date(iso)).map((x) => [x.type, x.value]))
  return `${p.year}-${p.month}-${p.day}`
}

const logTimes = (page) => page.$$eval('#log .line time', (ts) => ts.map((t) => ({ iso: t.getAttribute('datetime'), text: t.textContent })))
const tableTime = (page, name) => page.evaluate((n) => {
  const row = [...document.querySelectorAll('#templates tbody tr')].find((r) => r.cells[0].textContent === n)
  const t = row && row.querySelector('time')
  return t && { iso: t.getAttribute('datetime'), text: t.textContent }
}, name)

test('log lines, templates and tags show local time with the zone named; the toggle switches all to UTC', T, async (t) => {
  const { page, problems } = await openDemo(demo, t, { timezoneId: ZONE, locale: 'en-US' })
  const name = `e2e-times-${run}`
  await setName(page, name)
  await removeStep(page, 'copy')
  await page.click('#build')
  assert.equal(await waitStatus(page, ENDED), 'ready')

  assert.match(await page.textContent('#log-zone'), /local time, Asia\/(Kolkata|Calcutta) \(GMT\+5:30\)/)
  const lines = await logTimes(page)
  assert.ok(lines.length > 5)
  for (const { iso, text } of lines) assert.equal(text, clock(iso, ZONE), `log line at ${iso}`)
  await page.waitForFunction((n) => [...document.querySelectorAll('#templates tbody tr')].some((r) => r.cells[0].textContent === n), name)
  const row = await tableTime(page, name)
  assert.equal(row.text, `${day(row.iso, ZONE)} ${clock(row.iso, ZONE)} GMT+5:30`)
  await page.click(`#templates tbody tr:has-text("${name}") button:has-text("Tags")`)
  await page.waitForSelector('#tags li')
  assert.match(await page.textContent('#tags li'), / GMT\+5:30 /)

  await page.click('#log-zone')
  assert.equal(await page.textContent('#log-zone'), 'Times: UTC')
  for (const { iso, text } of await logTimes(page)) assert.equal(text, clock(iso, 'UTC'), `log line at ${iso} in UTC`)
  const utcRow = await tableTime(page, name)
  assert.equal(utcRow.text, `${day(utcRow.iso, 'UTC')} ${clock(utcRow.iso, 'UTC')} UTC`)
  assert.match(await page.textContent('#tags li'), / UTC /)
  assert.deepEqual(problems, [])
})
