/*
 * Ngày hẹn trả kết quả in the browser: a port of the date arithmetic of
 * generator/duedate.py (the result only; the CLI `sotay due` explains each
 * step). tests/test_duedate_js.py runs both on the same generated cases.
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

  function parseDay(s) { var p = s.split("-"); return Date.UTC(+p[0], +p[1] - 1, +p[2]) }
  function pad(n) { return (n < 10 ? "0" : "") + n }
  function fmtDay(t) { var d = new Date(t); return d.getUTCFullYear() + "-" + pad(d.getUTCMonth() + 1) + "-" + pad(d.getUTCDate()) }
  var DAY = 86400000

  function MissingYear(year) { this.year = year }

  function Calendar(data) {
    this.off = data.off || {}
    this.makeUp = data.make_up || {}
    this.years = {}
    this.hours = data.hours && data.hours.length ? data.hours : OFFICE_HOURS
    var self = this
    ;(data.years || []).forEach(function (y) { self.years[y] = true })
  }
  Calendar.prototype.isWorking = function (t) {
    var year = new Date(t).getUTCFullYear()
    if (!this.years[year]) throw new MissingYear(year)
    var key = fmtDay(t)
    if (this.makeUp[key]) return true
    var weekday = new Date(t).getUTCDay()
    return !this.off[key] && weekday !== 0 && weekday !== 6
  }
  Calendar.prototype.nextWorking = function (t) {
    t += DAY
    while (!this.isWorking(t)) t += DAY
    return t
  }

  /* deadline: {kind, amount, cutoff}; received: "YYYY-MM-DDTHH:MM".
   * Returns {result: "YYYY-MM-DD" | "YYYY-MM-DDTHH:MM" | null, missingYear, offDay}. */
  function due(deadline, received, calendarData) {
    var cal = new Calendar(calendarData)
    var day = parseDay(received.slice(0, 10))
    var minutes = +received.slice(11, 13) * 60 + +received.slice(14, 16)
    try {
      switch (deadline.kind) {
        case "chua-xac-minh":
          return { result: null }
        case "ngay-lam-viec":
          var d = cal.isWorking(day) ? day : cal.nextWorking(day)
          for (var n = 0; n < (deadline.amount || 0); n++) d = cal.nextWorking(d)
          return { result: fmtDay(d) }
        case "trong-ngay":
          if (!cal.isWorking(day)) return { result: fmtDay(cal.nextWorking(day)) }
          if (!deadline.cutoff) return { result: fmtDay(day) }
          var cut = +deadline.cutoff.slice(0, 2) * 60 + +deadline.cutoff.slice(3, 5)
          return { result: fmtDay(minutes <= cut ? day : cal.nextWorking(day)) }
        case "ngay":
          var end = day + (deadline.amount || 0) * DAY
          return { result: fmtDay(end), offDay: !cal.isWorking(end) }
        case "gio-lam-viec":
          var remaining = (deadline.amount || 0) * 60
          var now = minutes
          if (!cal.isWorking(day)) { day = cal.nextWorking(day); now = 0 }
          for (;;) {
            for (var w = 0; w < cal.hours.length; w++) {
              var start = cal.hours[w][0], stop = cal.hours[w][1]
              if (now >= stop) continue
              var begin = Math.max(now, start)
              var take = Math.min(remaining, stop - begin)
              remaining -= take
              if (remaining === 0) {
                var at = begin + take
                return { result: fmtDay(day) + "T" + pad(Math.floor(at / 60)) + ":" + pad(at % 60) }
              }
              now = begin + take
            }
            day = cal.nextWorking(day)
            now = 0
          }
      }
      throw new Error("unknown deadline kind " + deadline.kind)
    } catch (e) {
      if (e instanceof MissingYear) return { result: null, missingYear: e.year }
      throw e
    }
  }

  return { due: due }
})
