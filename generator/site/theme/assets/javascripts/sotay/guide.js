/*
 * Procedure pages: the "Hướng dẫn theo tình huống" panel and checklists that
 * remember their ticks, per case ("hồ sơ"), in this browser only.
 *
 * Progressive enhancement: without this script the page shows every item
 * with its condition in words. Data comes from the page's JSON block
 * (#sotay-data); conditions are evaluated by conditions.js, the port of
 * generator/conditions.py. Nothing leaves the machine: state is kept in
 * localStorage under "sotay:<procedure id>", with the content version, so
 * ticks saved for an older version of the procedure are never applied to
 * new steps silently (a later dated version: "sotay:<id>@<start>"; its
 * items differ). Dated versions' due dates: versions.js.
 */
(function () {
  "use strict"

  var block = document.getElementById("sotay-data")
  if (!block || !window.sotayConditions) return
  var data = JSON.parse(block.textContent)
  var KEY = "sotay:" + (data.store || data.id)
  var evaluate = window.sotayConditions.evaluate

  /* ---- state ------------------------------------------------------------ */

  // What this page can hold: its questions, its checklist boxes, its ways of
  // submitting. Answers from a link and state read back from localStorage are
  // checked against these; whatever does not fit is dropped, never applied
  // and never saved again.
  var QUESTIONS = Object.create(null)
  data.questions.forEach(function (q) { QUESTIONS[q.key] = q })
  var TICKS = Object.create(null)
  document.querySelectorAll("input[data-tick]").forEach(function (box) { TICKS[box.getAttribute("data-tick")] = true })
  var CHANNELS = Object.create(null)
  CHANNELS[""] = true
  ;((data.due && data.due.channels) || []).forEach(function (ch) { CHANNELS[ch.kind] = true })
  var MAX_LABEL = 80

  function isObject(x) { return x !== null && typeof x === "object" && !Array.isArray(x) }
  function has(obj, key) { return Object.prototype.hasOwnProperty.call(obj, key) }

  function isDate(x) {
    var m = typeof x === "string" && /^(\d{4})-(\d{2})-(\d{2})$/.exec(x)
    if (!m) return false
    var d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]))
    return d.getUTCFullYear() === +m[1] && d.getUTCMonth() === +m[2] - 1 && d.getUTCDate() === +m[3]
  }

  function validAnswer(q, v) {
    if (q.kind === "co-khong") return typeof v === "boolean"
    if (q.kind === "mot-lua-chon") return typeof v === "string" && q.choices.some(function (c) { return c[0] === v })
    if (q.kind === "so") return typeof v === "number" && isFinite(v)
    if (q.kind === "ngay") return isDate(v)
    return false
  }

  // Each clean* returns {value, dropped}: what fits, and whether anything did not.
  function cleanAnswers(raw) {
    var out = {}, dropped = !isObject(raw)
    if (!dropped) {
      Object.keys(raw).forEach(function (key) {
        if (QUESTIONS[key] && validAnswer(QUESTIONS[key], raw[key])) out[key] = raw[key]
        else dropped = true
      })
    }
    return { value: out, dropped: dropped }
  }

  function cleanCase(raw) {
    if (!isObject(raw)) return { value: null, dropped: true }
    var answers = cleanAnswers(raw.answers)
    var out = { answers: answers.value, ticks: {} }, dropped = answers.dropped
    if (isObject(raw.ticks)) {
      Object.keys(raw.ticks).forEach(function (id) {
        if (TICKS[id] && typeof raw.ticks[id] === "boolean") out.ticks[id] = raw.ticks[id]
        else dropped = true
      })
    } else dropped = true
    Object.keys(raw).forEach(function (key) {
      var v = raw[key]
      if (key === "answers" || key === "ticks") return
      if (key === "created" && typeof v === "string" && v.length <= 40) out.created = v
      else if (key === "received" && typeof v === "string" && (v === "" || /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?$/.test(v))) out.received = v
      else if (key === "channel" && typeof v === "string" && CHANNELS[v]) out.channel = v
      else dropped = true
    })
    return { value: out, dropped: dropped }
  }

  function validLabel(name) {
    return typeof name === "string" && name.trim() !== "" && name.length <= MAX_LABEL && !/[\u0000-\u001f\u007f]/.test(name)
  }

  // A whole saved state: {version, current, cases: {label: case}}. Cases that
  // do not fit are dropped; with none left the value is null.
  function cleanState(raw) {
    if (!isObject(raw) || typeof raw.version !== "string" || !isObject(raw.cases)) return { value: null, dropped: true }
    var out = { version: raw.version, current: null, cases: Object.create(null) }, dropped = false
    Object.keys(raw).forEach(function (key) { if (key !== "version" && key !== "current" && key !== "cases") dropped = true })
    Object.keys(raw.cases).forEach(function (name) {
      var c = validLabel(name) ? cleanCase(raw.cases[name]) : { value: null, dropped: true }
      if (c.value) out.cases[name] = c.value
      dropped = dropped || c.dropped
    })
    var names = Object.keys(out.cases)
    if (!names.length) return { value: null, dropped: true }
    if (typeof raw.current === "string" && has(out.cases, raw.current)) out.current = raw.current
    else { out.current = names[0]; dropped = true }
    return { value: out, dropped: dropped }
  }

  function emptyCase() { return { answers: {}, ticks: {}, created: new Date().toISOString() } }

  function freshState() {
    var cases = Object.create(null) // labels are typed by people: "__proto__" is just a label
    cases["Hồ sơ 1"] = emptyCase()
    return { version: data.version, current: "Hồ sơ 1", cases: cases }
  }

  var notices = [] // messages for the officer about what was dropped, shown once

  function load() {
    var text = null
    try { text = localStorage.getItem(KEY) } catch (e) { return null } // storage blocked: work without it
    if (text === null) return null
    var raw
    try { raw = JSON.parse(text) } catch (e) { raw = undefined }
    if (isObject(raw) && typeof raw.version === "string" && raw.version !== data.version && isObject(raw.cases)) {
      return { stale: raw } // an older version of the procedure: handled below, never applied
    }
    var clean = cleanState(raw)
    if (clean.dropped) {
      notices.push(clean.value
        ? "Dữ liệu đã lưu trên máy này bị hỏng một phần; đã bỏ phần hỏng."
        : "Dữ liệu đã lưu trên máy này bị hỏng nên đã bỏ; bắt đầu lại với hồ sơ trống.")
    }
    return { state: clean.value, dropped: clean.dropped }
  }

  var loaded = load()
  var stale = loaded && loaded.stale ? loaded.stale : null // kept aside until the officer decides
  var state = (loaded && loaded.state) || freshState()

  function save() {
    // Only what fits is ever written, whatever put it in the state (every way
    // in is checked already; this is the last line).
    var clean = cleanState(state).value
    if (!clean) return
    try { localStorage.setItem(KEY, JSON.stringify(clean)) } catch (e) { /* private mode: work without saving */ }
    document.dispatchEvent(new CustomEvent("sotay:case")) // for forms.js
  }

  if (loaded && loaded.dropped) save() // the broken parts are gone for good, so the message shows once

  function current() {
    if (!state.cases[state.current]) state.cases[state.current] = emptyCase()
    return state.cases[state.current]
  }

  /* ---- small DOM helpers ------------------------------------------------ */

  function el(tag, attrs, children) {
    var node = document.createElement(tag)
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") node.textContent = attrs[k]
      else node.setAttribute(k, attrs[k])
    })
    ;(children || []).forEach(function (c) { if (c) node.appendChild(c) })
    return node
  }

  function answerText(q, value) {
    if (value === undefined || value === null || value === "") return "chưa trả lời"
    if (q.kind === "co-khong") return value ? (q.yes || "Có") : (q.no || "Không")
    if (q.kind === "mot-lua-chon") {
      for (var i = 0; i < q.choices.length; i++) if (q.choices[i][0] === value) return q.choices[i][1]
    }
    return String(value)
  }

  /* ---- applying the answers to the page --------------------------------- */

  function apply() {
    var answers = current().answers
    document.querySelectorAll("[data-chi-khi]").forEach(function (node) {
      var condition = data.conditions[node.getAttribute("data-chi-khi")]
      var shown = !condition || evaluate(condition, answers)
      node.hidden = !shown
      node.classList.toggle("sotay-khong-ap-dung", !shown)
    })
    // A box whose every item is hidden for this case is hidden too (no empty "Lưu ý").
    document.querySelectorAll("[data-sotay-hide-empty]").forEach(function (box) {
      box.hidden = !Array.prototype.some.call(box.querySelectorAll("li"), function (li) { return !li.hidden })
    })
    var ticks = current().ticks
    document.querySelectorAll("input[data-tick]").forEach(function (box) {
      box.checked = ticks[box.getAttribute("data-tick")] === true
    })
    progress()
  }

  function visible(node) {
    for (var n = node; n && n !== document.body; n = n.parentElement) if (n.hidden) return false
    return true
  }

  function progress() {
    document.querySelectorAll(".sotay-checklist").forEach(function (list) {
      var boxes = Array.prototype.filter.call(list.querySelectorAll("input[data-tick]"), visible)
      var done = boxes.filter(function (b) { return b.checked }).length
      var label = list.previousElementSibling && list.previousElementSibling.classList &&
        list.previousElementSibling.classList.contains("sotay-progress") ? list.previousElementSibling : null
      if (!label) {
        label = el("p", { "class": "sotay-progress", "aria-live": "polite" })
        list.parentNode.insertBefore(label, list)
      }
      label.textContent = "Đã xong " + done + "/" + boxes.length + " mục"
    })
    var all = Array.prototype.filter.call(document.querySelectorAll("input[data-tick]"), visible)
    var total = all.filter(function (b) { return b.checked }).length
    var overall = document.querySelector("[data-sotay-progress]")
    if (overall) overall.textContent = "Tiến độ hồ sơ: " + total + "/" + all.length + " mục"
  }

  document.addEventListener("change", function (event) {
    var box = event.target
    if (!box.matches || !box.matches("input[data-tick]")) return
    current().ticks[box.getAttribute("data-tick")] = box.checked
    save()
    progress()
  })

  /* ---- the questions panel ---------------------------------------------- */

  var panel = document.querySelector("[data-sotay-guide]")

  function questionField(q, answers) {
    var name = "sotay-q-" + q.key
    var legend = el("legend", { text: q.text })
    var set = el("fieldset", { "class": "sotay-question", "data-question": q.key }, [legend])
    if (q.help) set.appendChild(el("p", { "class": "sotay-question-help", text: q.help }))
    function radio(value, label) {
      var input = el("input", { type: "radio", name: name, value: JSON.stringify(value) })
      input.checked = answers[q.key] === value
      return el("label", { "class": "sotay-choice" }, [input, document.createTextNode(" " + label)])
    }
    if (q.kind === "co-khong") {
      // a question may name its own answers ("Đã đăng ký kết hôn" / "Chưa đăng ký kết hôn")
      set.appendChild(radio(true, q.yes || "Có"))
      set.appendChild(radio(false, q.no || "Không"))
    } else if (q.kind === "mot-lua-chon") {
      q.choices.forEach(function (c) { set.appendChild(radio(c[0], c[1])) })
    } else {
      var input = el("input", { type: q.kind === "ngay" ? "date" : "number", name: name, "aria-label": q.text })
      if (answers[q.key] !== undefined) input.value = answers[q.key]
      set.appendChild(input)
    }
    return set
  }

  function readAnswer(q, target) {
    if (q.kind === "so") return target.value === "" ? undefined : Number(target.value)
    if (q.kind === "ngay") return target.value || undefined
    return JSON.parse(target.value)
  }

  function complete() {
    var answers = current().answers
    return data.questions.every(function (q) { return answers[q.key] !== undefined })
  }

  // The last answer given: the officer lands on this citizen's dossier list
  // (its heading takes the focus, so a screen reader says where they are).
  function landOnCase() {
    var heading = document.getElementById("ho-so")
    if (!heading) return
    heading.scrollIntoView({ block: "start" })
    heading.focus({ preventScroll: true })
  }

  function renderPanel(focusKey) {
    if (!panel) return
    var answers = current().answers
    panel.textContent = ""
    var form = el("form", { "class": "sotay-guide-form", novalidate: "" })
    // One question at a time: every answered question stays (and can be
    // changed), then the first unanswered one.
    for (var i = 0; i < data.questions.length; i++) {
      var q = data.questions[i]
      form.appendChild(questionField(q, answers))
      if (answers[q.key] === undefined) break
    }
    var answered = data.questions.filter(function (q) { return answers[q.key] !== undefined })
    var summary = el("p", { "class": "sotay-guide-summary", "aria-live": "polite" })
    summary.textContent = answered.length === data.questions.length
      ? "Đã trả lời đủ " + data.questions.length + " câu: trang chỉ còn các mục áp dụng cho hồ sơ này."
      : "Đã trả lời " + answered.length + "/" + data.questions.length + " câu."
    var reset = el("button", { type: "button", "class": "md-button", text: "Trả lời lại từ đầu" })
    reset.addEventListener("click", function () {
      current().answers = {}
      save(); renderPanel(); apply()
    })
    form.addEventListener("change", function (event) {
      var set = event.target.closest("[data-question]")
      if (!set) return
      var key = set.getAttribute("data-question")
      var q = data.questions.filter(function (x) { return x.key === key })[0]
      var value = readAnswer(q, event.target)
      var wasComplete = complete()
      if (value === undefined || !validAnswer(q, value)) delete current().answers[key]
      else current().answers[key] = value
      save(); renderPanel(key); apply()
      if (!wasComplete && complete()) landOnCase()
    })
    panel.appendChild(form)
    panel.appendChild(summary)
    if (answered.length) {
      var list = el("ul", { "class": "sotay-guide-answers" })
      answered.forEach(function (q) {
        list.appendChild(el("li", { text: q.label + ": " + answerText(q, answers[q.key]) }))
      })
      panel.appendChild(el("div", { "class": "sotay-guide-answered" }, [el("p", { text: "Câu trả lời của hồ sơ này:" }), list]))
    }
    panel.appendChild(reset)
    if (focusKey) {
      var next = panel.querySelector("[data-question]:last-of-type input")
      if (next && next.closest("[data-question]").getAttribute("data-question") !== focusKey) next.focus()
    }
  }

  /* ---- cases ------------------------------------------------------------ */

  var bar = document.querySelector("[data-sotay-cases]")

  function renderCases() {
    if (!bar) return
    bar.textContent = ""
    var names = Object.keys(state.cases)
    var select = el("select", { id: "sotay-case-select", "aria-label": "Chọn hồ sơ đang xử lý" })
    names.forEach(function (n) {
      var option = el("option", { value: n, text: n })
      option.selected = n === state.current
      select.appendChild(option)
    })
    select.addEventListener("change", function () {
      state.current = select.value
      save(); renderCases(); renderPanel(); renderDue(); apply()
      document.getElementById("sotay-case-select").focus()
    })
    var label = el("input", { type: "text", id: "sotay-case-label", maxlength: "40",
      placeholder: "Số biên nhận, không ghi thông tin cá nhân", "aria-label": "Nhãn hồ sơ mới" })
    var start = el("button", { type: "button", "class": "md-button md-button--primary", text: "Bắt đầu hồ sơ mới" })
    start.addEventListener("click", function () {
      var name = label.value.replace(/[\u0000-\u001f\u007f]/g, "").trim().slice(0, 40) || "Hồ sơ " + (names.length + 1)
      while (state.cases[name]) name += "'"
      state.cases[name] = emptyCase()
      state.current = name
      save(); renderCases(); renderPanel(); renderDue(); apply()
    })
    var clear = el("button", { type: "button", "class": "md-button", text: "Xóa đánh dấu hồ sơ này" })
    clear.addEventListener("click", function () {
      state.cases[state.current] = emptyCase()
      save(); renderPanel(); apply()
    })
    var children = [
      el("label", { "for": "sotay-case-select", text: "Hồ sơ: " }), select,
      el("span", { "class": "sotay-progress-total", "data-sotay-progress": "" }),
      el("div", { "class": "sotay-cases-new" }, [label, start]),
      el("div", { "class": "sotay-cases-actions" }, [clear]),
      el("p", { "class": "sotay-cases-privacy", text: "Đánh dấu và câu trả lời chỉ lưu trong trình duyệt của máy này." }),
    ]
    if (stale) {
      var discard = el("button", { type: "button", "class": "md-button", text: "Đã hiểu, bỏ dữ liệu cũ" })
      discard.addEventListener("click", function () { stale = null; save(); renderCases() })
      children.unshift(el("div", { "class": "admonition warning", role: "alert" }, [
        el("p", { text: "Thủ tục này đã được cập nhật sau lần bạn đánh dấu trước (" +
          Object.keys(stale.cases).length + " hồ sơ). Đánh dấu cũ không được áp dụng vào nội dung mới; " +
          "hãy kiểm tra lại hồ sơ theo các bước hiện tại." }), discard]))
    }
    bar.appendChild(el("div", { "class": "sotay-cases-box" }, children))
    var heading = el("p", { "class": "sotay-print-only sotay-print-case", text: "Hồ sơ: " + state.current })
    bar.appendChild(heading)
  }

  // Arriving from "Công dân cần gì?" with answers, or from another dated
  // version with a case (versions.js): a new case with them (one of the same
  // label is that case). Checked like saved state; the officer is told what
  // did not fit.
  var params = new URLSearchParams(location.search)
  var preset = params.get("tra-loi")
  if (preset !== null || params.has("nhan")) {
    var raw
    try { raw = preset === null ? {} : JSON.parse(preset) } catch (e) { raw = undefined }
    var given = cleanAnswers(raw)
    var keys = Object.keys(given.value)
    var brought = cleanCase({ answers: {}, ticks: {}, received: params.get("nhan") || "", channel: params.get("kenh") || "" }).value
    var label = params.get("ho-so")
    if (keys.length || brought.received) {
      var c = current(), name = validLabel(label) ? label : null
      var empty = !Object.keys(c.answers).length && !Object.keys(c.ticks).length && !c.received
      if (name && state.cases[name]) state.current = name
      else if (!empty || name) {
        if (empty) delete state.cases[state.current]
        name = name || "Hồ sơ " + (Object.keys(state.cases).length + 1)
        while (state.cases[name]) name += "'"
        state.cases[name] = emptyCase()
        state.current = name
      }
      current().answers = given.value
      if (brought.received) { current().received = brought.received; current().channel = brought.channel || "" }
      save()
    }
    if (params.has("nhan") && !brought.received) notices.push("Giờ tiếp nhận trong đường dẫn không hợp lệ nên đã bỏ qua.")
    if (given.dropped) {
      notices.push(keys.length
        ? "Một số câu trả lời trong đường dẫn không hợp lệ nên đã bỏ qua; các câu còn lại đã được điền."
        : "Các câu trả lời trong đường dẫn không hợp lệ nên đã bỏ qua.")
    }
    history.replaceState(null, "", location.pathname + location.hash)
  }

  function renderNotices() {
    if (!notices.length) return
    var anchor = panel || bar
    if (!anchor) return
    var box = el("div", { "class": "admonition warning sotay-notice", role: "status" },
      notices.map(function (text) { return el("p", { text: text }) }))
    anchor.parentNode.insertBefore(box, anchor)
  }

  /* ---- due date ("ngày hẹn trả kết quả") ---------------------------------- */

  // The received time is typed as ngày/tháng/năm and 24-hour time in our own
  // fields, whatever the browser's language (a datetime-local field shows
  // mm/dd and AM/PM in an English browser), and is said back in words.
  // Each returns {value} or {error: "…"}; "" is not yet typed.
  function parseDay(text) {
    var t = text.trim(), m, d, mo, y
    if (!t) return { value: "" }
    if ((m = /^(\d{1,2})[\/.\-](\d{1,2})[\/.\-](\d{4})$/.exec(t))) { d = +m[1]; mo = +m[2]; y = +m[3] }
    else if ((m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(t))) { y = +m[1]; mo = +m[2]; d = +m[3] }
    else return { error: "Ghi ngày tiếp nhận theo dạng ngày/tháng/năm, ví dụ 13/02/2026." }
    if (mo < 1 || mo > 12) return { error: "Tháng phải từ 1 đến 12 (ghi ngày/tháng/năm, ví dụ 13/02/2026)." }
    var days = new Date(Date.UTC(y, mo, 0)).getUTCDate()
    if (d < 1 || d > days) return { error: "Tháng " + mo + " năm " + y + " chỉ có " + days + " ngày: ngày " + d + " không có." }
    function two(n) { return (n < 10 ? "0" : "") + n }
    return { value: y + "-" + two(mo) + "-" + two(d) }
  }

  function parseTime(text) {
    var t = text.trim().toLowerCase(), m = /^(\d{1,2})(?:[:hg.](\d{2})?)?$/.exec(t)
    if (!t) return { value: "" }
    if (!m || +m[1] > 23 || +(m[2] || 0) > 59) return { error: "Ghi giờ tiếp nhận theo 24 giờ, ví dụ 16:00 hoặc 8:30." }
    return { value: (+m[1] < 10 ? "0" : "") + +m[1] + ":" + (m[2] || "00") }
  }

  function showDay(iso) { var p = iso.split("-"); return p[2] + "/" + p[1] + "/" + p[0] }

  function spoken(iso) {
    return window.sotayDueDate.spokenDay(iso.slice(0, 10)) + (iso.length > 10 ? " lúc " + iso.slice(11, 16) : "")
  }

  var lastDue = {} // for forms.js

  function renderDue() {
    var box = document.querySelector("[data-sotay-due]")
    if (!box || !data.due || !data.due.deadline || !window.sotayDueDate) return
    box.textContent = ""
    var c = current()
    var dayInput = el("input", { type: "text", id: "sotay-received", inputmode: "numeric", autocomplete: "off",
      placeholder: "ngày/tháng/năm", "aria-describedby": "sotay-received-error" })
    var timeInput = el("input", { type: "text", id: "sotay-received-time", "class": "sotay-due-time", inputmode: "numeric",
      autocomplete: "off", placeholder: "giờ:phút", "aria-describedby": "sotay-received-error" })
    if (c.received) { dayInput.value = showDay(c.received.slice(0, 10)); timeInput.value = c.received.slice(11, 16) }
    var now = el("button", { type: "button", "class": "md-button", text: "Bây giờ" })
    var options = [["", "Thời hạn chung", data.due.deadline]].concat(
      data.due.channels.map(function (ch) { return [ch.kind, ch.label, ch.deadline] }))
    var channel = el("select", { id: "sotay-channel", "aria-label": "Cách thức nộp hồ sơ" })
    options.forEach(function (o) {
      var option = el("option", { value: o[0], text: o[1] })
      option.selected = (c.channel || "") === o[0]
      channel.appendChild(option)
    })
    var error = el("p", { "class": "sotay-due-error", id: "sotay-received-error", "aria-live": "assertive" })
    var output = el("div", { "class": "sotay-due-result", "aria-live": "polite" })

    // strict: say what is wrong (on leaving a field). While typing, a message
    // already shown follows the text (and goes once it is right); no new one.
    function update(strict) {
      var day = parseDay(dayInput.value), time = parseTime(timeInput.value)
      var say = strict || error.textContent !== ""
      dayInput.setAttribute("aria-invalid", day.error && say ? "true" : "false")
      timeInput.setAttribute("aria-invalid", time.error && say ? "true" : "false")
      error.textContent = say ? (day.error || time.error || "") : ""
      output.textContent = ""
      c.channel = channel.value
      var deadline = options.filter(function (o) { return o[0] === channel.value })[0][2]
      lastDue = { deadline: deadline }
      if (day.error || time.error) { save(); return }
      if (!day.value || !time.value) {
        if (!day.value && !time.value) c.received = ""
        save()
        output.appendChild(el("p", { text: "Nhập ngày (ngày/tháng/năm) và giờ tiếp nhận (24 giờ) để tính ngày hẹn trả." }))
        return
      }
      c.received = day.value + "T" + time.value
      output.appendChild(el("p", { "class": "sotay-due-echo", text: "Tiếp nhận: " + spoken(c.received) }))
      if (data.versions) {
        if (!window.sotayVersions) {  // site.js loads versions.js on this request; "sotay:versions" when ready
          save(); output.appendChild(el("p", { text: "Đang xác định bản áp dụng cho ngày tiếp nhận…" }))
          document.dispatchEvent(new CustomEvent("sotay:need-versions")); return
        }
        var version = window.sotayVersions(day.value, channel.value)
        output.appendChild(version.node)
        deadline = lastDue.deadline = version.deadline
        if (!deadline) { save(); return }
      }
      var r = window.sotayDueDate.due(deadline, c.received, data.due.calendar)
      lastDue.result = r.result || null
      save()
      if (r.missingYear) {
        output.appendChild(el("p", { text: "Chưa có lịch nghỉ năm " + r.missingYear + " trong sổ tay nên chưa tính được ngày hẹn." }))
        return
      }
      if (!r.result) return
      var line = el("p", {}, [el("strong", { text: "Ngày hẹn trả kết quả: " + spoken(r.result) })])
      if (r.offDay) line.appendChild(el("span", { text: " — rơi vào ngày nghỉ; xem lại trước khi hẹn." }))
      output.appendChild(line)
      r.warnings.forEach(function (w) {
        output.appendChild(el("p", { "class": "sotay-due-warning" }, [el("span", { "class": "sotay-flag", text: "⚠" }), document.createTextNode(" " + w)]))
      })
      var steps = el("ol")
      r.steps.forEach(function (text) { steps.appendChild(el("li", { text: text })) })
      output.appendChild(el("details", { "class": "sotay-due-steps" }, [el("summary", { text: "Cách tính từng ngày" }), steps]))
    }
    dayInput.addEventListener("input", function () { update(false) })
    timeInput.addEventListener("input", function () { update(false) })
    dayInput.addEventListener("change", function () { update(true) })
    timeInput.addEventListener("change", function () { update(true) })
    channel.addEventListener("change", function () { update(true) })
    now.addEventListener("click", function () {
      var d = new Date()
      function two(n) { return (n < 10 ? "0" : "") + n }
      dayInput.value = two(d.getDate()) + "/" + two(d.getMonth() + 1) + "/" + d.getFullYear()
      timeInput.value = two(d.getHours()) + ":" + two(d.getMinutes())
      update(true)
    })
    var fields = [el("label", { "for": "sotay-received", text: "Tiếp nhận ngày" }), dayInput,
      el("label", { "for": "sotay-received-time", text: "lúc" }), timeInput, now]
    if (data.due.channels.length) fields.push(el("label", { "for": "sotay-channel", text: "Cách nộp:" }), channel)
    box.appendChild(el("div", { "class": "sotay-due-form" }, fields))
    box.appendChild(error)
    box.appendChild(output)
    refreshDue = function () { update(false) }
    update(false)
  }

  var refreshDue = null
  document.addEventListener("sotay:versions", function () { if (refreshDue) refreshDue() })

  function renderPrint() {
    var slot = document.querySelector("[data-sotay-print]")
    if (!slot) return
    var print = el("button", { type: "button", "class": "md-button md-button--primary", text: "In hồ sơ này" })
    print.addEventListener("click", function () { window.print() })
    slot.textContent = ""
    slot.appendChild(print)
  }

  window.sotayCase = function () {
    var c = current()
    return { received: c.received, due: lastDue.result, deadline: lastDue.deadline, answers: c.answers,
      channel: c.channel || "", label: state.current }
  }

  document.documentElement.classList.add("sotay-js")
  document.querySelectorAll(".sotay-guide-nojs").forEach(function (p) { p.hidden = true })
  renderNotices()
  renderCases()
  renderPanel()
  renderDue()
  renderPrint()
  apply()
})()
