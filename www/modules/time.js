// Every time on the page (log lines, templates, tags) is shown in one zone: the
// browser's local zone (the default) or UTC, with the zone named where it is shown.
import { state } from './state.js'

const zoneOption = () => (state.view.timeZone === 'UTC' ? { timeZone: 'UTC' } : {})

function parts(date, withDate) {
  const fmt = new Intl.DateTimeFormat('en-GB', {
    ...zoneOption(),
    hourCycle: 'h23',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    ...(withDate ? { year: 'numeric', month: '2-digit', day: '2-digit' } : {}),
  })
  return Object.fromEntries(fmt.formatToParts(date).map((p) => [p.type, p.value]))
}

const valid = (d) => d instanceof Date && !isNaN(d)

/** `14:03:22` in the page's zone (log lines; the log toolbar names the zone). */
export function clockTime(date) {
  if (!valid(date)) return ''
  const p = parts(date, false)
  return `${p.hour}:${p.minute}:${p.second}`
}

/** `2026-11-28 14:03:22 GMT+5:30` in the page's zone. */
export function dateTime(date) {
  if (!valid(date)) return ''
  const p = parts(date, true)
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second} ${zoneOffset(date)}`
}

/** The zone's offset at `date`, e.g. `GMT+5:30`, or `UTC`. */
export function zoneOffset(date = new Date()) {
  if (state.view.timeZone === 'UTC') return 'UTC'
  const p = new Intl.DateTimeFormat('en-GB', { timeZoneName: 'shortOffset' }).formatToParts(date)
  return (p.find((x) => x.type === 'timeZoneName') || {}).value || 'local'
}

/** What the log toolbar says about its times, e.g. `local time, Asia/Kolkata (GMT+5:30)`. */
export function zoneLabel() {
  if (state.view.timeZone === 'UTC') return 'UTC'
  const name = Intl.DateTimeFormat().resolvedOptions().timeZone
  return `local time${name ? `, ${name}` : ''} (${zoneOffset()})`
}
