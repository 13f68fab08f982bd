/*
 * Procedure pages of a procedure with dated versions: which version a dossier
 * follows, by the day it was received (content/versions.py: period_on and
 * used_for, which `sotay guide` and `sotay due` apply).
 *
 * Loaded by site.js when the page's data block is marked (no other page pays
 * for it). guide.js asks window.sotayVersions(day, channel) when it computes
 * the due date: the answer is a node that names the version, and that
 * version's deadline. When it is not the version the page shows, the node
 * says so and links to that version's page, carrying the case over (answers,
 * received time, way of submitting, label; the ticks stay, the items differ).
 */
(function () {
  "use strict"

  var block = document.getElementById("sotay-data")
  if (!block || !window.sotayCase) return
  var data = JSON.parse(block.textContent)
  var versions = data.versions
  if (!versions || !versions.list || !versions.list.length) return

  function showDay(iso) { var p = iso.split("-"); return p[2] + "/" + p[1] + "/" + p[0] }

  function el(tag, attrs, children) {
    var node = document.createElement(tag)
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") node.textContent = attrs[k]
      else node.setAttribute(k, attrs[k])
    })
    ;(children || []).forEach(function (c) { node.appendChild(typeof c === "string" ? document.createTextNode(c) : c) })
    return node
  }

  // period_on: the last version started on or before the day; before every
  // start, the first (ISO dates compare as text).
  function inForce(day) {
    var found = 0
    versions.list.forEach(function (v, i) { if (v.start === null || v.start <= day) found = i })
    return found
  }

  // The case, as a query the other version's page reads (guide.js).
  function query() {
    var c = window.sotayCase(), q = new URLSearchParams()
    q.set("tra-loi", JSON.stringify(c.answers || {}))
    if (c.received) q.set("nhan", c.received)
    if (c.channel) q.set("kenh", c.channel)
    if (c.label) q.set("ho-so", c.label)
    return "?" + q.toString()
  }

  function follow() {
    document.querySelectorAll("a[data-sotay-version]").forEach(function (a) {
      a.href = a.getAttribute("data-sotay-version") + query()
    })
  }
  document.addEventListener("sotay:case", follow) // answers given after the link was made

  window.sotayVersions = function (day, channel) {
    var v = versions.list[inForce(day)]
    var own = v === versions.list[versions.own]
    var ch = (v.channels || []).filter(function (x) { return x.kind === channel })[0]
    var deadline = ch ? ch.deadline : v.deadline
    var general = channel && !ch && v.deadline
      ? " Bản đó không có thời hạn riêng cho cách nộp này: tính theo thời hạn chung." : ""
    if (own) {
      var text = "Theo " + v.label + " (hồ sơ nhận ngày " + showDay(day) + ")" +
        (v.start && day < v.start ? "; chưa áp dụng trước " + showDay(v.start) : "") + "."
      return { deadline: deadline, node: el("p", { "class": "sotay-due-version", text: text }) }
    }
    var link = el("a", { "data-sotay-version": v.url, href: v.url + query(), text: "Mở " + v.label + " với hồ sơ này" })
    var box = el("div", { "class": "admonition warning sotay-due-version sotay-due-version-other" }, [
      el("p", { text: "Hồ sơ nhận ngày " + showDay(day) + ": theo " + v.label + ", không phải bản trang này đang hiển thị" +
        " — thời hạn, hồ sơ và phí theo bản đó." + (deadline
          ? " Ngày hẹn dưới đây tính theo thời hạn của bản đó: " + deadline.text + "." + general
          : " Thời hạn của bản đó chưa xác minh nên chưa tính được ngày hẹn.") }),
      el("p", {}, [link, " (mang theo câu trả lời và giờ tiếp nhận; đánh dấu hồ sơ làm lại theo bản đó)"]),
    ])
    return { deadline: deadline, node: box }
  }

  document.dispatchEvent(new CustomEvent("sotay:versions"))
})()
