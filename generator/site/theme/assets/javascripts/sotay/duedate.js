/*
 * Ngày hẹn trả kết quả in the browser: a port of generator/guided/duedate.py,
 * the date and the day-by-day explanation `sotay due` prints, word for word
 * (tests/test_duedate_js.py runs both on the same generated cases). The words
 * that open the explanation (the deadline in words, the basis of counting)
 * come from Python in the page's data, so they are never restated here.
 * Dates are "YYYY-MM-DD" strings handled as UTC days, so the machine's time
 * zone never shifts a day.
 */
(function (root, factory) {
  if (typeof module === "object" && module.exports) module.exports = factory()
  else root.sotayDueDate = factory()
})(this, function () {
  "use strict"

  // Assumed office hours (duedate.py's OFFICE_HOURS), when the calendar data
  // does not carry the edition's own (calendar_data's "hours", in minutes).
  var OFFICE_HOURS = [[7 * 60 + 30, 11 * 60 + 30], [13 * 60 + 30, 17 * 60]]
  // getUTCDay(): 0 is Sunday.
  var WEEKDAYS = ["Chủ nhật", "thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy"]

  function parseDay(s) { var p = s.split("-"); return Date.UTC(+p[0], +p[1] - 1, +p[2]) }
  function pad(n) { return (n < 10 ? "0" : "") + n }
  function fmtDay(t) { var d = new Date(t); return d.getUTCFullYear() + "-" + pad(d.getUTCMonth() + 1) + "-" + pad(d.getUTCDate()) }
  var DAY = 86400000

  /* ---- the words of duedate.py ------------------------------------------ */

  function dateVi(t) { var d = new Date(t); return pad(d.getUTCDate()) + "/" + pad(d.getUTCMonth() + 1) + "/" + d.getUTCFullYear() }
  function weekday(t) { return WEEKDAYS[new Date(t).getUTCDay()] }
  function hhmm(minutes) { return pad(Math.floor(minutes / 60)) + ":" + pad(minutes % 60) }
  // fmt_day: "thứ Sáu, 31/01/2025"; describe_day: "31/01/2025 (thứ Sáu)"
  function spokenDay(t) { return weekday(t) + ", " + dateVi(t) }
  function describeDay(t) { return dateVi(t) + " (" + weekday(t) + ")" }
  function fmtMinutes(m) {
    var hours = Math.floor(m / 60), rest = m % 60, parts = []
    if (hours) parts.push(hours + " giờ")
    if (rest) parts.push(rest + " phút")
    return parts.join(" ") || "0 giờ"
  }

  function MissingYear(year) { this.year = year }

  function Calendar(data) {
    this.off = data.off || {}
    this.makeUp = data.make_up || {}
    this.unverified = data.unverified || {}
    this.registry = data.registry || ""
    this.years = {}
    this.hours = data.hours && data.hours.length ? data.hours : OFFICE_HOURS
    this.hoursText = data.hours_text || ""
    this.hoursAssumed = !data.hours || !data.hours.length || !!data.hours_assumed
    var self = this
    ;(data.years || []).forEach(function (y) { self.years[y] = true })
  }
  Calendar.prototype.isWorking = function (t) {
    var year = new Date(t).getUTCFullYear()
    if (!this.years[year]) throw new MissingYear(year)
    var key = fmtDay(t)
    if (this.makeUp[key]) return true
    var day = new Date(t).getUTCDay()
    return !this.off[key] && day !== 0 && day !== 6
  }
  Calendar.prototype.whyOff = function (t) { return this.off[fmtDay(t)] || "nghỉ hằng tuần" }

  // _Counter: walks the calendar, writing each step of the explanation.
  function Counter(cal) { this.cal = cal; this.steps = []; this.warnings = [] }
  Counter.prototype.step = function (text) { this.steps.push(text) }
  Counter.prototype.nextWorking = function (t) {
    t += DAY
    while (!this.cal.isWorking(t)) {
      this.step("bỏ qua " + describeDay(t) + ": " + this.cal.whyOff(t))
      t += DAY
    }
    return t
  }
  Counter.prototype.workingLabel = function (t) {
    var label = describeDay(t), name = this.cal.makeUp[fmtDay(t)]
    return name ? label + " – ngày làm bù: " + name : label
  }
  Counter.prototype.offNote = function (t) { return spokenDay(t) + " – ngày nghỉ: " + this.cal.whyOff(t) }

  function workingDays(c, day, amount) {
    var start = day
    if (c.cal.isWorking(day)) c.step("Nhận hồ sơ " + spokenDay(day) + ": ngày này không tính.")
    else {
      c.step("Nhận hồ sơ " + c.offNote(day) + ". Coi như nhận vào ngày làm việc tiếp theo.")
      start = c.nextWorking(day)
      c.step("Coi như nhận hồ sơ " + spokenDay(start) + ": ngày này không tính.")
    }
    var d = start
    for (var n = 1; n <= amount; n++) {
      d = c.nextWorking(d)
      c.step("ngày làm việc thứ " + n + ": " + c.workingLabel(d))
    }
    return fmtDay(d)
  }

  function workingHours(c, day, minutes, amount) {
    var windows = c.cal.hours
    var total = windows.reduce(function (s, w) { return s + w[1] - w[0] }, 0)
    // The words of sotay due (duedate.py's hours_text): the edition's hours, or the assumed ones.
    var text = c.cal.hoursText || "giờ làm việc giả định: " +
      windows.map(function (w) { return hhmm(w[0]) + "–" + hhmm(w[1]) }).join(" và ")
    c.step(text.charAt(0).toUpperCase() + text.slice(1) + " (" + fmtMinutes(total) + " mỗi ngày làm việc)" +
      (c.cal.hoursAssumed ? "; giờ làm việc thật do địa phương công bố, nếu khác thì tính lại." : "."))
    var remaining = amount * 60, received = day, now = minutes
    if (c.cal.isWorking(day)) c.step("Nhận hồ sơ " + spokenDay(day) + " lúc " + hhmm(minutes) + ".")
    else {
      c.step("Nhận hồ sơ " + spokenDay(day) + " lúc " + hhmm(minutes) + " – ngày nghỉ: " + c.cal.whyOff(day) + ".")
      day = c.nextWorking(day); now = 0
    }
    var first = true
    for (;;) {
      for (var w = 0; w < windows.length; w++) {
        var start = windows[w][0], stop = windows[w][1]
        if (now >= stop) continue
        var begin = Math.max(now, start)
        if (first && (day !== received || begin !== minutes)) {
          c.step("Nhận ngoài giờ làm việc: bắt đầu tính từ " + spokenDay(day) + " lúc " + hhmm(begin) + ".")
        }
        first = false
        var take = Math.min(remaining, stop - begin)
        remaining -= take
        var tail = remaining === 0 ? "đủ " + fmtMinutes(amount * 60) : "còn " + fmtMinutes(remaining)
        c.step(c.workingLabel(day) + " " + hhmm(begin) + "–" + hhmm(begin + take) + ": tính " + fmtMinutes(take) + ", " + tail)
        if (remaining === 0) return { day: day, at: begin + take }
        now = begin + take
      }
      day = c.nextWorking(day)
      now = 0
    }
  }

  function sameDay(c, day, minutes, cutoff) {
    if (!c.cal.isWorking(day)) {
      c.step("Nhận hồ sơ " + c.offNote(day) + ". Trả vào ngày làm việc tiếp theo.")
      return c.nextWorking(day)
    }
    if (!cutoff) { c.step("Nhận hồ sơ " + spokenDay(day) + ": trả trong ngày."); return day }
    var at = hhmm(minutes)
    // "nhận hồ sơ sau 15 giờ": exactly at the cut-off is still the same day.
    if (minutes <= +cutoff.slice(0, 2) * 60 + +cutoff.slice(3, 5)) {
      c.step("Nhận hồ sơ " + spokenDay(day) + " lúc " + at + ", không muộn hơn giờ cắt " + cutoff + ": trả trong ngày.")
      return day
    }
    c.step("Nhận hồ sơ " + spokenDay(day) + " lúc " + at + ", sau giờ cắt " + cutoff + ": trả vào ngày làm việc tiếp theo.")
    return c.nextWorking(day)
  }

  function calendarDays(c, day, amount) {
    var end = day + amount * DAY
    c.step("Nhận hồ sơ " + spokenDay(day) + "; cộng " + amount + " ngày (kể cả thứ Bảy, Chủ nhật, ngày nghỉ lễ, Tết).")
    if (!c.cal.isWorking(end)) {
      var after = ""
      try { after = " Ngày làm việc tiếp theo là " + spokenDay(new Counter(c.cal).nextWorking(end)) + "." } catch (e) {
        if (!(e instanceof MissingYear)) throw e
      }
      c.warnings.push("Ngày hẹn " + spokenDay(end) + " rơi vào ngày nghỉ: " + c.cal.whyOff(end) +
        ". Thời hạn tính theo ngày (kể cả ngày nghỉ) nên không tự dời; " +
        "nếu áp dụng khoản 5 Điều 148 Bộ luật Dân sự 2015 (ngày cuối cùng của thời hạn là ngày nghỉ thì thời hạn " +
        "kết thúc vào cuối ngày làm việc tiếp theo), hãy hẹn vào ngày làm việc tiếp theo." + after)
    }
    return end
  }

  /* deadline: {kind, amount, cutoff, text, basis}; received: "YYYY-MM-DDTHH:MM".
   * Returns {result: "YYYY-MM-DD" | "YYYY-MM-DDTHH:MM" | null, missingYear,
   * offDay, steps: [...], warnings: [...]} — steps and warnings as duedate.py words them. */
  function due(deadline, received, calendarData) {
    var cal = new Calendar(calendarData)
    var c = new Counter(cal)
    var day = parseDay(received.slice(0, 10))
    var minutes = +received.slice(11, 13) * 60 + +received.slice(14, 16)
    if (deadline.kind === "chua-xac-minh") {
      c.step("Thời hạn giải quyết của thủ tục này chưa xác minh được nên không tính ngày hẹn; " +
        "đối chiếu văn bản quy định thủ tục hoặc quy trình nội bộ của địa phương trước khi hẹn.")
      return { result: null, steps: c.steps, warnings: c.warnings }
    }
    try {
      c.step("Thời hạn: " + deadline.text + ". Căn cứ cách tính: " + deadline.basis + ".")
      var result, spoken, last, offDay = false
      switch (deadline.kind) {
        case "ngay-lam-viec":
          last = parseDay(workingDays(c, day, deadline.amount || 0)); result = fmtDay(last); spoken = spokenDay(last)
          break
        case "gio-lam-viec":
          var m = workingHours(c, day, minutes, deadline.amount || 0)
          last = m.day; result = fmtDay(m.day) + "T" + hhmm(m.at); spoken = spokenDay(m.day) + " lúc " + hhmm(m.at)
          break
        case "trong-ngay":
          last = sameDay(c, day, minutes, deadline.cutoff); result = fmtDay(last); spoken = spokenDay(last)
          break
        case "ngay":
          last = calendarDays(c, day, deadline.amount || 0); result = fmtDay(last); spoken = spokenDay(last)
          offDay = !cal.isWorking(last)
          break
        default:
          throw new Error("unknown deadline kind " + deadline.kind)
      }
      c.step("→ Hẹn trả kết quả: " + spoken + ".")
      for (var y = new Date(day).getUTCFullYear(); y <= new Date(last).getUTCFullYear(); y++) {
        if (cal.unverified[y]) {
          c.warnings.push("Lịch nghỉ năm " + y + " còn ngày chưa xác minh nên ngày hẹn có thể phải tính lại " +
            "(can_xac_minh trong " + cal.registry + "): " + cal.unverified[y])
        }
      }
      return { result: result, offDay: offDay, steps: c.steps, warnings: c.warnings }
    } catch (e) {
      if (e instanceof MissingYear) return { result: null, missingYear: e.year, steps: [], warnings: [] }
      throw e
    }
  }

  return { due: due, spokenDay: function (iso) { return spokenDay(parseDay(iso)) } }
})
