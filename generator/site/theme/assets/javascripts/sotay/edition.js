/*
 * Every page: the site describes the rules in force on one day (the build's
 * --ngay, or the day it was built). The #sotay-edition JSON block (written by
 * theme/main.html) holds that day and the later days on which a procedure's
 * new version starts. A copy opened on or after one of those days (an offline
 * zip kept on a USB stick, a site nobody rebuilt) says so at the top of the
 * page: its pages still show the old rules.
 */
(function () {
  "use strict"

  var block = document.getElementById("sotay-edition")
  if (!block) return
  var edition
  try { edition = JSON.parse(block.textContent) } catch (e) { return }
  if (!edition || !edition.changes || !edition.changes.length) return

  function pad(n) { return (n < 10 ? "0" : "") + n }
  var now = new Date()
  var today = now.getFullYear() + "-" + pad(now.getMonth() + 1) + "-" + pad(now.getDate())

  // "2027-03-01" → "01/03/2027", as the handbook writes dates (wording.date_vi).
  function vi(iso) {
    var p = iso.split("-")
    return p[2] + "/" + p[1] + "/" + p[0]
  }

  var passed = edition.changes.filter(function (d) { return d <= today })
  if (!passed.length) return
  var note = document.createElement("div")
  note.className = "admonition warning sotay-edition-stale"
  note.setAttribute("role", "note")
  var title = document.createElement("p")
  title.className = "admonition-title"
  title.textContent = "Bản sổ tay này đã cũ"
  var text = document.createElement("p")
  text.textContent = "Nội dung trong bản này là quy định áp dụng ngày " + vi(edition.day) +
    ". Từ " + passed.map(vi).join(", ") + " đã có quy định mới mà bản này chưa áp dụng. " +
    "Hãy lấy bản sổ tay mới; hồ sơ nhận trước ngày đó vẫn theo quy định cũ."
  note.appendChild(title)
  note.appendChild(text)
  var content = document.querySelector(".md-content__inner") || document.body
  content.insertBefore(note, content.firstChild)
})()
