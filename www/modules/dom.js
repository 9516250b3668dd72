// DOM helpers. Text from the API or the user only ever reaches the DOM through
// textContent / value (the `el` helper), never through innerHTML.

export const $ = (sel, root = document) => root.querySelector(sel)
export const $$ = (sel, root = document) => [...root.querySelectorAll(sel)]

const PROPS = new Set(['value', 'checked', 'disabled', 'rows', 'hidden'])

/** Creates an element; `text` becomes textContent, never markup. */
export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag)
  for (const [k, v] of Object.entries(props)) {
    if (v === undefined || v === null || v === false) continue
    if (k === 'text') node.textContent = v
    else if (k === 'class') node.className = v
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v)
    else if (PROPS.has(k)) node[k] = v
    else node.setAttribute(k, v === true ? '' : v)
  }
  for (const c of children) if (c != null && c !== false) node.append(c)
  return node
}

/** `512 B`, `1.5 KB`, `2.0 MB`. */
export function humanSize(n) {
  return n < 1024 ? `${n} B` : n < 1048576 ? `${(n / 1024).toFixed(1)} KB` : `${(n / 1048576).toFixed(1)} MB`
}

/** Sets a status line's text and tone ('ok', 'error' or neutral). */
export function say(node, text, tone = '') {
  node.classList.remove('ok-text', 'error-text')
  if (tone) node.classList.add(`${tone}-text`)
  node.textContent = text
}

/**
 * Moves focus to `target` when focus was lost: on <body>, on a disabled control,
 * or on an element that left the document. Focus the user put elsewhere stays.
 */
export function keepFocus(target) {
  const active = document.activeElement
  const lost = !active || active === document.body || active.disabled || !active.isConnected
  if (lost && target && typeof target.focus === 'function') target.focus()
}

/** Copies text to the clipboard; falls back to a selection where the API is missing (plain http). */
export async function copyText(text) {
  if (navigator.clipboard && window.isSecureContext) {
    await navigator.clipboard.writeText(text)
    return
  }
  const area = el('textarea', { value: text, readonly: true, class: 'sr-only' })
  document.body.append(area)
  area.select()
  const ok = document.execCommand('copy')
  area.remove()
  if (!ok) throw new Error('the browser refused to copy')
}

/** A "Copy" button for an id; says "Copied" for a moment. */
export function copyButton(value, what) {
  const btn = el('button', { type: 'button', class: 'copy', text: 'Copy', 'aria-label': `Copy ${what} ${value}`, 'data-copy': value })
  btn.addEventListener('click', async () => {
    try {
      await copyText(value)
      btn.textContent = 'Copied'
    } catch {
      btn.textContent = 'Copy failed'
    }
    setTimeout(() => { btn.textContent = 'Copy' }, 1500)
  })
  return btn
}

/** An id shown as code with its Copy button. */
export function idWithCopy(value, what) {
  return el('span', { class: 'id' }, el('code', { text: value }), copyButton(value, what))
}

/**
 * A one-line list field: lines pasted into it become comma-separated items
 * (an <input> would otherwise drop the line breaks and glue the items together).
 */
export function acceptPastedLines(input) {
  input.addEventListener('paste', (e) => {
    const text = e.clipboardData && e.clipboardData.getData('text')
    if (!text || !/[\r\n]/.test(text)) return
    e.preventDefault()
    const items = text.split(/[\r\n]+/).map((s) => s.trim()).filter(Boolean).join(', ')
    input.setRangeText(items, input.selectionStart, input.selectionEnd, 'end')
    input.dispatchEvent(new Event('input', { bubbles: true }))
  })
}
