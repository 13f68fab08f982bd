/*
 * Every page. Loaded in the head, before the theme's own scripts (the plugin
 * lists it in the theme's `extra.polyfills`).
 *
 * 1. The search index when the officer starts to search.
 *
 * The theme (Material) downloads the whole search index on every first page
 * load and starts its search worker, which then loads the analyser; the index
 * grows with the catalogue (about 0.35 KB gzip per procedure). Here all of it
 * waits until the officer starts to search: the search box gets the focus
 * (click, Tab, or the theme's shortcut keys f, s and /) or the search dialog
 * opens, or the page was opened from a search result (?h=, the theme
 * highlights the words) or a shared search (?q=).
 *
 * Until then, the theme's request for the index (an XMLHttpRequest for
 * search/search_index.json over http; a script tag for search/search_index.js
 * under file://) is held back and sent as it was made; and the search worker
 * the theme creates is a stand-in that creates the real one then (over http a
 * Worker, under file:// the iframe-worker shim that the offline build loads
 * before this script) and passes the messages both ways. What the theme does
 * after that is unchanged. Should this script not load, the theme loads
 * everything at once, as it does by itself.
 *
 * 2. Markdown task lists ("- [ ] …", pymdownx.tasklist) put the checkbox in
 * an empty <label> with the item's text after it, so the box has no name for
 * a screen reader (axe: label, critical). Name each such box after the text
 * of its own item (not its sub-list).
 *
 * 3. A link of class sotay-open-search (the home page's "Tìm thủ tục", where a
 * phone's header shows search as an icon only) opens the theme's search
 * instead of following its href (the catalogue, without JavaScript).
 *
 * 4. Scripts of every page that few visits use, loaded only when needed so a
 * first visit stays small whatever the page: feedback.js when "Góp ý về
 * trang này" is opened, forms.js when a procedure's desk forms are opened,
 * edition.js when a change this copy lacks has begun, versions.js when the
 * case view of a procedure with dated versions (its data block is marked)
 * needs it: a received day typed.
 *
 * 5. search-notes.js once the officer starts to search.
 */
(function () {
  "use strict"

  var INDEX = /(^|\/)search\/search_index\.js(on)?$/
  var WORKER = /(^|\/)workers\/search\.[^\/]*\.js$/
  var started = false
  var waiting = []

  function path(url) { return String(url).split(/[?#]/)[0] }

  function start() {
    if (started) return
    started = true
    waiting.splice(0).forEach(function (go) { go() })
  }

  function whenSearching(go) {
    if (started) go()
    else waiting.push(go)
  }

  var params = new URLSearchParams(location.search)
  if (params.has("h") || params.has("q")) started = true
  document.addEventListener("focusin", function (event) {
    var target = event.target
    if (target && target.matches && target.matches("[data-md-component=search-query]")) start()
  }, true)
  document.addEventListener("change", function (event) {
    if (event.target && event.target.id === "__search" && event.target.checked) start()
  }, true)

  // The index over http.
  var xhr = XMLHttpRequest.prototype
  var open = xhr.open, send = xhr.send, abort = xhr.abort
  xhr.open = function (method, url) {
    this.sotayIndex = INDEX.test(path(url))
    this.sotayHeld = false
    return open.apply(this, arguments)
  }
  xhr.send = function () {
    if (started || !this.sotayIndex) return send.apply(this, arguments)
    var request = this, args = arguments
    request.sotayHeld = true
    whenSearching(function () {
      if (!request.sotayHeld) return // aborted or opened again meanwhile
      request.sotayHeld = false
      send.apply(request, args)
    })
  }
  xhr.abort = function () {
    this.sotayHeld = false
    return abort.apply(this, arguments)
  }

  // The index under file:// (the theme adds a script tag to the head).
  var head = document.head
  var appendChild = head.appendChild
  head.appendChild = function (node) {
    if (!started && node && node.tagName === "SCRIPT" && INDEX.test(path(node.src))) {
      whenSearching(function () { appendChild.call(head, node) })
      return node
    }
    return appendChild.apply(this, arguments)
  }

  // The search worker.
  var Native = window.Worker
  try {
    new EventTarget() // the stand-in is one
  } catch (e) {
    Native = null
  }
  if (Native) {
    window.Worker = function Worker(url, options) {
      return WORKER.test(path(url)) ? standIn(url, options) : new Native(url, options)
    }
    window.Worker.prototype = Native.prototype
  }

  function standIn(url, options) {
    var proxy = new EventTarget()
    var worker = null
    var queue = []
    var ended = false

    function pass(copy, handler) {
      proxy.dispatchEvent(copy)
      if (typeof proxy[handler] === "function") proxy[handler](copy)
    }

    proxy.postMessage = function (message) {
      if (worker) worker.postMessage(message)
      else if (!ended) queue.push(message)
    }
    proxy.terminate = function () {
      ended = true
      queue = []
      if (worker) worker.terminate()
    }
    whenSearching(function () {
      if (ended) return
      worker = new Native(url, options)
      worker.addEventListener("message", function (event) {
        pass(new MessageEvent("message", { data: event.data }), "onmessage")
      })
      worker.addEventListener("error", function (event) {
        pass(new ErrorEvent("error", {
          message: event.message, filename: event.filename, lineno: event.lineno,
          colno: event.colno, error: event.error
        }), "onerror")
      })
      queue.splice(0).forEach(function (message) { worker.postMessage(message) })
    })
    return proxy
  }
})()

;(function () {
  "use strict"

  function nameTaskListBoxes() {
    document.querySelectorAll(".task-list-item > .task-list-control > input[type=checkbox]").forEach(function (box) {
      var control = box.parentNode
      if (box.hasAttribute("aria-label") || control.textContent.trim()) return
      var text = ""
      for (var n = control.nextSibling; n; n = n.nextSibling) {
        if (n.nodeType === 1 && /^(UL|OL)$/.test(n.tagName)) break
        text += n.textContent
      }
      text = text.replace(/\s+/g, " ").trim()
      if (text) box.setAttribute("aria-label", text)
    })
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", nameTaskListBoxes)
  else nameTaskListBoxes()
})()

;(function () {
  "use strict"

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a.sotay-open-search")
    var toggle = document.getElementById("__search")
    if (!link || !toggle || event.ctrlKey || event.metaKey || event.shiftKey) return
    event.preventDefault()
    // The theme opens its search dialog and focuses the query on the toggle's change.
    toggle.checked = true
    toggle.dispatchEvent(new Event("change"))
    var query = document.querySelector("[data-md-component=search-query]")
    if (query) query.focus()
  })
})()

;(function () {
  "use strict"

  var me = document.currentScript
  var base = me && me.src ? me.src.replace(/site\.js([?#].*)?$/, "") : ""

  function load(name) {
    if (!base || document.querySelector("script[data-sotay-script='" + name + "']")) return
    var script = document.createElement("script")
    script.src = base + name
    script.setAttribute("data-sotay-script", name)
    document.body.appendChild(script)
  }

  function notes(event) {
    var t = event.target
    if (t && t.matches && t.matches("[data-md-component=search-query],#__search")) load("search-notes.js")
  }
  document.addEventListener("focusin", notes, true)
  document.addEventListener("change", notes, true)
  document.addEventListener("DOMContentLoaded", function () { if (/[?&][hq]=/.test(location.search)) load("search-notes.js") })

  // "toggle" does not bubble: listen while it goes down to the box.
  document.addEventListener("toggle", function (event) {
    var box = event.target
    if (box.open && box.matches && box.matches("[data-sotay-feedback]")) load("feedback.js")
    if (box.open && box.matches && box.matches("[data-sotay-forms]")) load("forms.js")
  }, true)

  function pad(n) { return (n < 10 ? "0" : "") + n }

  function editionStale() {
    var block = document.getElementById("sotay-edition")
    if (!block) return
    var edition
    try { edition = JSON.parse(block.textContent) } catch (e) { return }
    var now = new Date()
    var today = now.getFullYear() + "-" + pad(now.getMonth() + 1) + "-" + pad(now.getDate())
    if (edition && Array.isArray(edition.changes) && edition.changes.some(function (d) { return d <= today })) {
      load("edition.js")
    }
  }

  // guide.js asks for it once a received day is typed (a first visit does not pay for it).
  document.addEventListener("sotay:need-versions", function () {
    if (document.querySelector("#sotay-data[data-sotay-versions]")) load("versions.js")
  })

  function onLoad() {
    editionStale()
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", onLoad)
  else onLoad()
})()

