/*
 * Procedure pages: the one-stop desk's forms (Mẫu 01–04 of Phụ lục I,
 * Thông tư 03/2025/TT-VPCP), filled from the case guide.js keeps, previewed
 * on screen and printed one at a time on their own sheet.
 *
 * Loaded by site.js when the officer opens "Biểu mẫu một cửa" (the first
 * visit does not pay for it). Reads the dossier items that apply, as ticked,
 * from the page, the received time and due date from guide.js
 * (window.sotayCase), and follows the case on "sotay:case". Mẫu 04's new
 * date comes from duedate.js, the same calculator as the case's due date and
 * `sotay due`.
 *
 * The names and numbers of the forms come from secondary sources; their
 * layout and paper size were not checked against the circular's Phụ lục I
 * (docs-dev/forms-tt03-2025.md): the screen and every sheet say so.
 *
 * Personal data (the citizen's name, address, phone) is typed for printing
 * and kept only in this page's memory, unless the officer ticks "Lưu trên
 * máy này"; "Xóa" empties the fields and removes what was kept. Reasons typed
 * for a form are never stored. The unit's name (not personal) is remembered.
 */
(function () {
  "use strict"

  var box = document.querySelector("[data-sotay-forms]")
  var panel = box && box.querySelector("[data-sotay-forms-panel]")
  var block = document.getElementById("sotay-data")
  if (!panel || !block || !window.sotayCase || !window.sotayDueDate) return
  var data = JSON.parse(block.textContent)
  // The sheet's styles, beside the theme's (kept off every page's first visit).
  var me = document.currentScript
  if (me && me.src && !document.querySelector("link[data-sotay-forms]")) {
    var sheetLink = document.createElement("link")
    sheetLink.rel = "stylesheet"
    sheetLink.href = me.src.replace(/javascripts\/sotay\/forms\.js([?#].*)?$/, "stylesheets/sotay-forms.css")
    sheetLink.setAttribute("data-sotay-forms", "")
    document.head.appendChild(sheetLink)
  }
  var h1 = document.querySelector(".md-content h1")
  var TITLE = h1 ? h1.textContent.replace(/¶$/, "").replace(/\s+/g, " ").trim() : document.title
  var PEOPLE_KEY = "sotay:bieu-mau:cong-dan" // only when the officer keeps it
  var UNIT_KEY = "sotay:bieu-mau:don-vi"
  var DOTS = "……………………………………"
  var SHORT = "………"
  var CIRCULAR = "Phụ lục I Thông tư 03/2025/TT-VPCP"
  var UNVERIFIED = "⚠ Cần xác minh: bố cục và khổ giấy (A4 dọc) chưa đối chiếu với bản gốc " + CIRCULAR +
    "; tên, số hiệu mẫu theo nguồn thứ cấp. Đối chiếu trước khi dùng chính thức."

  var FORMS = [
    { no: "01", name: "Giấy tiếp nhận hồ sơ và hẹn trả kết quả" },
    { no: "02", name: "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ" },
    { no: "03", name: "Phiếu từ chối tiếp nhận giải quyết hồ sơ" },
    { no: "04", name: "Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết" },
  ]

  /* ---- small helpers ----------------------------------------------------- */

  function el(tag, attrs, children) {
    var node = document.createElement(tag)
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") node.textContent = attrs[k]
      else node.setAttribute(k, attrs[k])
    })
    ;(children || []).forEach(function (c) {
      if (c) node.appendChild(typeof c === "string" ? document.createTextNode(c) : c)
    })
    return node
  }

  function pad(n) { return (n < 10 ? "0" : "") + n }
  function clean(text) { return String(text || "").replace(/[\u0000-\u001f\u007f]/g, " ").replace(/\s+/g, " ").trim() }
  function or(text, dots) { return clean(text) || dots || DOTS }

  // "2026-02-13" → "ngày 13 tháng 02 năm 2026"; the time, if any, → "16 giờ 00 phút, ".
  function inWords(iso, withTime) {
    if (!iso) return (withTime ? SHORT + " giờ " + SHORT + " phút, " : "") + "ngày " + SHORT + " tháng " + SHORT + " năm " + SHORT
    var d = iso.slice(0, 10).split("-")
    var time = iso.length > 10 ? iso.slice(11, 13) + " giờ " + iso.slice(14, 16) + " phút, "
      : (withTime ? SHORT + " giờ " + SHORT + " phút, " : "")
    return time + "ngày " + d[2] + " tháng " + d[1] + " năm " + d[0]
  }

  function showDay(iso) { var p = iso.split("-"); return p[2] + "/" + p[1] + "/" + p[0] }

  // dd/mm/yyyy (as the case's received date is typed) → {value: "YYYY-MM-DD"} or {error}.
  function parseDay(text) {
    var m = /^\s*(\d{1,2})[\/.\-](\d{1,2})[\/.\-](\d{4})\s*$/.exec(text || "")
    if (!(text || "").trim()) return { value: "" }
    if (!m) return { error: "Ghi ngày theo dạng ngày/tháng/năm, ví dụ 13/02/2026." }
    var d = +m[1], mo = +m[2], y = +m[3]
    if (mo < 1 || mo > 12) return { error: "Tháng phải từ 1 đến 12." }
    var days = new Date(Date.UTC(y, mo, 0)).getUTCDate()
    if (d < 1 || d > days) return { error: "Tháng " + mo + " năm " + y + " chỉ có " + days + " ngày: ngày " + d + " không có." }
    return { value: y + "-" + pad(mo) + "-" + pad(d) }
  }

  function storage() { try { return window.localStorage } catch (e) { return null } }
  function read(key) { var s = storage(); try { return s ? s.getItem(key) : null } catch (e) { return null } }
  function write(key, value) { var s = storage(); try { if (s) s.setItem(key, value) } catch (e) { /* private mode */ } }
  function remove(key) { var s = storage(); try { if (s) s.removeItem(key) } catch (e) { /* private mode */ } }

  // The case: the dossier items that apply (hidden ones do not), as ticked;
  // the received time and the due date as guide.js computed them.
  function snapshot() {
    var c = window.sotayCase(), items = []
    document.querySelectorAll(".sotay-dossier input[data-tick]").forEach(function (tick) {
      if (tick.closest("[hidden]")) return
      items.push({ text: clean(tick.closest("label").textContent), ticked: tick.checked })
    })
    return { received: c.received || "", due: c.due || null, deadline: c.deadline || null, items: items }
  }

  /* ---- what the officer types ------------------------------------------- */

  var PEOPLE = [["name", "Họ và tên công dân", "text", "name"], ["address", "Địa chỉ", "text", "street-address"],
    ["phone", "Số điện thoại", "tel", "tel"]]
  var person = { name: "", address: "", phone: "" }
  var keep = false
  var kept = null
  try { kept = JSON.parse(read(PEOPLE_KEY) || "null") } catch (e) { kept = null }
  if (kept && typeof kept === "object") {
    keep = true
    PEOPLE.forEach(function (f) { if (typeof kept[f[0]] === "string") person[f[0]] = kept[f[0]].slice(0, 200) })
  }
  var unit = (read(UNIT_KEY) || "").slice(0, 200)
  var extra = { sets: "1", reason02: "", reason03: "", reason04: "", oldDue: "", days: "" }
  var chosen = "01"

  function savePerson() {
    if (keep) write(PEOPLE_KEY, JSON.stringify(person))
    else remove(PEOPLE_KEY)
  }

  /* ---- the sheets --------------------------------------------------------- */

  function line(label, value, cls) {
    return el("p", { "class": "sotay-form-line" + (cls ? " " + cls : "") }, [label ? el("span", { text: label + " " }) : null, value])
  }

  function sheetHead(form) {
    var head = el("div", { "class": "sotay-form-head" }, [
      el("div", { "class": "sotay-form-unit" }, [el("p", { text: or(unit).toUpperCase() }), el("p", { "class": "sotay-form-rule", text: "" })]),
      el("div", { "class": "sotay-form-nation" }, [
        el("p", { "class": "sotay-form-strong", text: "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" }),
        el("p", { "class": "sotay-form-strong", text: "Độc lập - Tự do - Hạnh phúc" }),
        el("p", { "class": "sotay-form-rule", text: "" }),
        el("p", { "class": "sotay-form-place", text: SHORT + ", ngày " + SHORT + " tháng " + SHORT + " năm " + SHORT }),
      ]),
    ])
    return [head, line("Mã hồ sơ:", DOTS, "sotay-form-code"),
      el("p", { "class": "sotay-form-title", text: form.name.toUpperCase() })]
  }

  function citizenLines(label) {
    return [line(label, or(person.name)), line("Địa chỉ:", or(person.address)),
      line("Số điện thoại:", or(person.phone, SHORT + SHORT) + "    Email: " + SHORT + SHORT)]
  }

  function itemList(items, empty) {
    if (!items.length) return el("p", { "class": "sotay-form-line", text: empty })
    var list = el("ol", { "class": "sotay-form-items" })
    items.forEach(function (text, i) { list.appendChild(el("li", { text: (i + 1) + ". " + text })) })
    return list
  }

  function signatures(blocks) {
    return el("div", { "class": "sotay-form-signs" }, blocks.map(function (b) {
      return el("div", {}, [el("p", { "class": "sotay-form-strong", text: b[0] }), el("p", { "class": "sotay-form-note", text: "(Ký và ghi rõ họ tên)" }),
        el("p", { "class": "sotay-form-signed", text: b[1] || "" })])
    }))
  }

  function flagLine(form) {
    return el("p", { "class": "sotay-form-flag", text: "Theo Mẫu số " + form.no + " " + CIRCULAR + ". " + UNVERIFIED +
      " In từ Sổ tay nghiệp vụ số." })
  }

  function once(list) {
    var seen = Object.create(null)
    return list.filter(function (t) { var k = t.toLowerCase(); if (seen[k]) return false; seen[k] = true; return true })
  }

  // Mẫu 04: the new date is the old due date plus the extra working days,
  // counted by duedate.js exactly as the case's due date is.
  function proposed() {
    var start = parseDay(extra.oldDue), days = Number(extra.days)
    if (start.error) return { error: start.error }
    if (!start.value || extra.days === "") return {}
    if (!/^\d+$/.test(String(extra.days).trim()) || days < 1 || days > 365) return { error: "Số ngày làm việc gia hạn là số nguyên từ 1 đến 365." }
    var r = window.sotayDueDate.due({ kind: "ngay-lam-viec", amount: days, cutoff: null,
      text: days + " ngày làm việc", basis: "gia hạn tính thêm từ ngày hẹn cũ, không tính ngày hẹn cũ" },
      start.value + "T00:00", data.due ? data.due.calendar : null)
    if (r.missingYear) return { error: "Chưa có lịch nghỉ năm " + r.missingYear + " trong sổ tay nên chưa tính được ngày hẹn mới." }
    return { value: r.result, steps: r.steps, warnings: r.warnings }
  }

  function sheet(snap) {
    var form = FORMS.filter(function (f) { return f.no === chosen })[0]
    var parts = sheetHead(form)
    if (chosen === "01") {
      var got = once(snap.items.filter(function (i) { return i.ticked }).map(function (i) { return i.text }))
      parts = parts.concat(citizenLines("Tiếp nhận hồ sơ của:"), [
        line("Nội dung yêu cầu giải quyết:", TITLE),
        line("Thành phần hồ sơ đã nhận:", ""),
        itemList(got, "(Chưa đánh dấu giấy tờ nào đã nhận.)"),
        line("Số lượng hồ sơ:", pad(Math.max(1, Math.min(99, parseInt(extra.sets, 10) || 1))) + " (bộ)"),
        line("Thời gian giải quyết hồ sơ theo quy định:", snap.deadline ? snap.deadline.text : DOTS),
        line("Thời gian nhận hồ sơ:", inWords(snap.received, true)),
        line("Thời gian trả kết quả giải quyết hồ sơ:", inWords(snap.due, true)),
        line("Nhận kết quả tại:", DOTS),
        signatures([["NGƯỜI NỘP HỒ SƠ", clean(person.name)], ["NGƯỜI TIẾP NHẬN HỒ SƠ"]]),
      ])
    } else if (chosen === "02") {
      var missing = once(snap.items.filter(function (i) { return !i.ticked }).map(function (i) { return i.text }))
      parts = parts.concat(citizenLines("Hồ sơ của:"), [
        line("Nội dung yêu cầu giải quyết:", TITLE),
        line("Thời gian nhận hồ sơ:", inWords(snap.received, true)),
        line("Yêu cầu bổ sung, hoàn thiện hồ sơ gồm những nội dung sau:", ""),
        itemList(missing, "(Mọi giấy tờ của hồ sơ này đã được đánh dấu là đã nhận.)"),
        line("Lý do:", or(extra.reason02)),
        signatures([["NGƯỜI NỘP HỒ SƠ", clean(person.name)], ["NGƯỜI TIẾP NHẬN HỒ SƠ"]]),
      ])
    } else if (chosen === "03") {
      parts = parts.concat(citizenLines("Hồ sơ của:"), [
        line("Nội dung yêu cầu giải quyết:", TITLE),
        line("Thời gian nhận hồ sơ:", inWords(snap.received, true)),
        line("Lý do từ chối tiếp nhận giải quyết hồ sơ:", or(extra.reason03)),
        signatures([["NGƯỜI NỘP HỒ SƠ", clean(person.name)], ["NGƯỜI TIẾP NHẬN HỒ SƠ"]]),
      ])
    } else {
      var p = proposed()
      parts = parts.concat([line("Kính gửi:", or(person.name)), line("Địa chỉ:", or(person.address)),
        line("Nội dung yêu cầu giải quyết:", TITLE),
        line("Thời gian nhận hồ sơ:", inWords(snap.received, true)),
        line("Thời gian hẹn trả kết quả giải quyết hồ sơ:", inWords(parseDay(extra.oldDue).value || "", false)),
        line("Lý do chậm trả kết quả:", or(extra.reason04)),
        line("Xin lỗi ông/bà vì sự chậm trễ này và đề nghị gia hạn thời gian giải quyết đến:", inWords(p.value || "", false)),
        signatures([["NGƯỜI ĐẠI DIỆN CƠ QUAN, ĐƠN VỊ"]]),
      ])
    }
    parts.push(flagLine(form))
    return el("div", { "class": "sotay-form-sheet", role: "document", "aria-label": "Xem trước Mẫu số " + form.no + ": " + form.name }, parts)
  }

  /* ---- the panel ---------------------------------------------------------- */

  var preview = el("div", { "class": "sotay-form-preview" })
  var specific = el("div", { "class": "sotay-form-fields" })
  var status = el("p", { "class": "sotay-form-status", "aria-live": "polite" })

  function field(id, label, value, onInput, attrs) {
    attrs = attrs || {}
    var input = el(attrs.rows ? "textarea" : "input", attrs)
    input.id = id
    if (!attrs.rows && !attrs.type) input.type = "text"
    input.value = value
    input.addEventListener("input", function () { onInput(input.value); refresh() })
    return el("p", { "class": "sotay-form-field" }, [el("label", { "for": id, text: label }), input])
  }

  function renderSpecific() {
    specific.textContent = ""
    var snap = snapshot()
    if (chosen === "01") {
      specific.appendChild(el("p", { text: "Giấy tờ đã nhận là các giấy tờ đã đánh dấu trong “Thành phần hồ sơ”; thời gian nhận và ngày hẹn trả lấy từ ô “Tiếp nhận ngày” và cách tính ngày hẹn ở trên. Chỗ để trống in thành dòng chấm để viết tay." }))
      specific.appendChild(field("sotay-form-sets", "Số bộ hồ sơ", extra.sets, function (v) { extra.sets = v }, { type: "number", min: "1", max: "99", inputmode: "numeric" }))
    } else if (chosen === "02") {
      specific.appendChild(el("p", { text: "Phiếu liệt kê một lần, đủ, mọi giấy tờ của hồ sơ này chưa đánh dấu là đã nhận, để công dân chỉ phải bổ sung một lần." }))
      specific.appendChild(field("sotay-form-reason02", "Lý do yêu cầu bổ sung, hoàn thiện (không bắt buộc)", extra.reason02, function (v) { extra.reason02 = v }, { rows: "2", maxlength: "600" }))
    } else if (chosen === "03") {
      specific.appendChild(field("sotay-form-reason03", "Lý do từ chối tiếp nhận giải quyết hồ sơ", extra.reason03, function (v) { extra.reason03 = v }, { rows: "3", maxlength: "600" }))
    } else {
      if (!extra.oldDue && snap.due) extra.oldDue = showDay(snap.due.slice(0, 10))
      specific.appendChild(el("p", { text: "Ngày hẹn mới = ngày hẹn cũ cộng thêm số ngày làm việc gia hạn (không tính ngày hẹn cũ, thứ Bảy, Chủ nhật, ngày nghỉ lễ, Tết theo lịch nghỉ của sổ tay), tính như ngày hẹn ở trên và như lệnh sotay due. Ngày hẹn cũ điền sẵn từ ngày hẹn của hồ sơ này; sửa nếu khác." }))
      specific.appendChild(field("sotay-form-old", "Ngày hẹn cũ (ngày/tháng/năm)", extra.oldDue, function (v) { extra.oldDue = v }, { inputmode: "numeric", autocomplete: "off", placeholder: "ngày/tháng/năm" }))
      specific.appendChild(field("sotay-form-days", "Số ngày làm việc gia hạn", extra.days, function (v) { extra.days = v }, { type: "number", min: "1", max: "365", inputmode: "numeric" }))
      specific.appendChild(field("sotay-form-reason04", "Lý do chậm trả kết quả", extra.reason04, function (v) { extra.reason04 = v }, { rows: "2", maxlength: "600" }))
      specific.appendChild(el("div", { "class": "sotay-form-proposed", "aria-live": "polite" }))
    }
  }

  function renderProposed() {
    var slot = specific.querySelector(".sotay-form-proposed")
    if (!slot) return
    slot.textContent = ""
    var p = proposed()
    if (p.error) { slot.appendChild(el("p", { "class": "sotay-due-error", text: p.error })); return }
    if (!p.value) { slot.appendChild(el("p", { text: "Nhập ngày hẹn cũ và số ngày làm việc gia hạn để tính ngày hẹn mới." })); return }
    slot.appendChild(el("p", {}, [el("strong", { text: "Ngày hẹn mới đề nghị: " + window.sotayDueDate.spokenDay(p.value.slice(0, 10)) })]))
    p.warnings.forEach(function (w) { slot.appendChild(el("p", { "class": "sotay-due-warning", text: "⚠ " + w })) })
    var steps = el("ol")
    p.steps.forEach(function (t) { steps.appendChild(el("li", { text: t })) })
    slot.appendChild(el("details", { "class": "sotay-due-steps" }, [el("summary", { text: "Cách tính từng ngày" }), steps]))
  }

  function refresh() {
    renderProposed()
    preview.textContent = ""
    preview.appendChild(sheet(snapshot()))
  }

  function build() {
    panel.textContent = ""
    panel.appendChild(el("div", { "class": "admonition warning sotay-forms-flag", role: "note" }, [
      el("p", { text: "Các mẫu theo " + CIRCULAR + " (Mẫu 01–04). " + UNVERIFIED }) ]))

    var choice = el("fieldset", { "class": "sotay-form-choice" }, [el("legend", { text: "Chọn mẫu cần in" })])
    FORMS.forEach(function (f) {
      var input = el("input", { type: "radio", name: "sotay-form", value: f.no })
      input.checked = f.no === chosen
      input.addEventListener("change", function () { chosen = f.no; renderSpecific(); refresh() })
      choice.appendChild(el("label", { "class": "sotay-choice" }, [input, " Mẫu số " + f.no + ": " + f.name]))
    })
    panel.appendChild(choice)

    var people = el("fieldset", { "class": "sotay-form-people" }, [el("legend", { text: "Thông tin công dân (không bắt buộc)" }),
      el("p", { "class": "sotay-form-privacy", id: "sotay-form-privacy",
        text: "Họ tên, địa chỉ, số điện thoại chỉ dùng để in và không được lưu: tải lại hay đóng trang là mất. " +
          "Chỉ khi chọn “Lưu trên máy này”, chúng được lưu trong trình duyệt của máy này cho đến khi bấm “Xóa”. " +
          "Để trống thì mẫu in dòng chấm để viết tay." })])
    var inputs = {}
    PEOPLE.forEach(function (f) {
      var input = el("input", { id: "sotay-form-" + f[0], type: f[2], autocomplete: "off", maxlength: "200",
        "aria-describedby": "sotay-form-privacy" })
      input.value = person[f[0]]
      input.addEventListener("input", function () { person[f[0]] = input.value; savePerson(); refresh() })
      inputs[f[0]] = input
      people.appendChild(el("p", { "class": "sotay-form-field" }, [el("label", { "for": input.id, text: f[1] }), input]))
    })
    var keepBox = el("input", { type: "checkbox", id: "sotay-form-keep" })
    keepBox.checked = keep
    keepBox.addEventListener("change", function () {
      keep = keepBox.checked
      savePerson()
      status.textContent = keep ? "Thông tin công dân được lưu trên máy này." : "Thông tin công dân không còn lưu trên máy này."
    })
    var wipe = el("button", { type: "button", "class": "md-button", text: "Xóa" })
    wipe.addEventListener("click", function () {
      PEOPLE.forEach(function (f) { person[f[0]] = ""; inputs[f[0]].value = "" })
      keep = false
      keepBox.checked = false
      remove(PEOPLE_KEY)
      status.textContent = "Đã xóa thông tin công dân khỏi biểu mẫu và khỏi máy này."
      refresh()
    })
    people.appendChild(el("p", { "class": "sotay-form-keep" }, [
      el("label", { "class": "sotay-choice" }, [keepBox, " Lưu trên máy này"]), wipe]))
    people.appendChild(status)
    panel.appendChild(people)

    panel.appendChild(field("sotay-form-unit", "Tên cơ quan, đơn vị tiếp nhận (dòng trên bên trái; được nhớ trên máy này)", unit,
      function (v) { unit = v.slice(0, 200); if (clean(unit)) write(UNIT_KEY, unit); else remove(UNIT_KEY) }, { maxlength: "200" }))
    panel.appendChild(specific)

    var print = el("button", { type: "button", "class": "md-button md-button--primary sotay-form-print-button", text: "In mẫu này" })
    print.addEventListener("click", printSheet)
    panel.appendChild(el("p", {}, [print]))
    panel.appendChild(el("p", { "class": "sotay-form-preview-title", text: "Xem trước:" }))
    panel.appendChild(preview)
    renderSpecific()
    refresh()
  }

  // Only the chosen form prints: a copy of the sheet goes to the end of the
  // page, and the print styles show nothing else while the class is on.
  function printSheet() {
    var old = document.querySelector(".sotay-form-print")
    if (old) old.parentNode.removeChild(old)
    var copy = el("div", { "class": "sotay-form-print" }, [sheet(snapshot())])
    document.body.appendChild(copy)
    document.documentElement.classList.add("sotay-printing-form")
    window.print()
  }

  window.addEventListener("afterprint", function () {
    document.documentElement.classList.remove("sotay-printing-form")
    var copy = document.querySelector(".sotay-form-print")
    if (copy) copy.parentNode.removeChild(copy)
  })

  var pending = false
  document.addEventListener("sotay:case", function () {
    if (pending) return
    pending = true
    setTimeout(function () {
      pending = false
      var due = snapshot().due
      if (chosen === "04" && !extra.oldDue && due) renderSpecific() // the old due date, now known, filled in
      refresh()
    }, 0)
  })

  build()
})()
