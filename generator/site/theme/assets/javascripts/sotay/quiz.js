/*
 * Trainee pages: the self-check quiz. The page's HTML has no answers; after
 * the trainee submits, the key (dap-an.js beside the page, a script so it
 * also loads from file://) is added, each question is marked right or not,
 * the right choices and the explanation with its legal basis are shown, and
 * the score is announced. "Làm lại" clears everything for another try.
 *
 * "Nộp bài" with no answer at all asks for answers instead of revealing the
 * key; with some questions left, it names them and submits on a second press.
 * The answers (and whether the quiz was submitted) are kept in localStorage,
 * per session, so a reload loses nothing; what is read back is checked
 * against the page's questions and choices, and anything else is dropped.
 */
(function () {
  "use strict"

  var form = document.querySelector("form[data-sotay-quiz]")
  if (!form) return
  document.documentElement.classList.add("sotay-js")
  var session = form.getAttribute("data-sotay-quiz")
  var result = form.querySelector(".sotay-quiz-result")
  var STORE = "sotay-quiz:" + session
  var warned = false  // the officer was told which questions are left

  function withKey(done) {
    var keys = window.sotayQuizKeys || {}
    if (keys[session]) return done(keys[session])
    var script = document.createElement("script")
    script.src = form.getAttribute("data-key-src")
    script.onload = function () {
      var loaded = (window.sotayQuizKeys || {})[session]
      if (loaded) done(loaded)
      else result.textContent = "Không đọc được đáp án của buổi học này."
    }
    script.onerror = function () {
      result.textContent = "Không tải được tệp đáp án (" + script.src + "). Kiểm tra tệp dap-an.js nằm cùng thư mục với trang này."
    }
    document.head.appendChild(script)
  }

  function chosen(fieldset) {
    var picked = []
    var inputs = fieldset.querySelectorAll("input")
    for (var i = 0; i < inputs.length; i++) if (inputs[i].checked) picked.push(Number(inputs[i].value))
    return picked
  }

  function sameSet(a, b) {
    if (a.length !== b.length) return false
    for (var i = 0; i < a.length; i++) if (b.indexOf(a[i]) < 0) return false
    return true
  }

  function letters(numbers) {
    return numbers.map(function (n) { return "ABCDEFGHIJKLMNOPQRSTUVWXYZ".charAt(n - 1) }).join(", ")
  }

  function mark(key) {
    var questions = form.querySelectorAll("fieldset[data-question]")
    var right = 0
    var unanswered = 0
    for (var i = 0; i < questions.length; i++) {
      var fieldset = questions[i]
      var entry = key[fieldset.getAttribute("data-question")]
      if (!entry) continue
      var picked = chosen(fieldset)
      if (!picked.length) unanswered++
      var ok = sameSet(picked, entry.answers)
      if (ok) right++
      var labels = fieldset.querySelectorAll(".sotay-choice")
      for (var j = 0; j < labels.length; j++) {
        var input = labels[j].querySelector("input")
        var n = Number(input.value)
        labels[j].classList.toggle("sotay-right", entry.answers.indexOf(n) >= 0)
        labels[j].classList.toggle("sotay-wrong", input.checked && entry.answers.indexOf(n) < 0)
        input.disabled = true
      }
      var feedback = fieldset.querySelector(".sotay-quiz-feedback")
      feedback.textContent = ""
      var verdict = document.createElement("p")
      var strong = document.createElement("strong")
      strong.textContent = ok ? "Đúng." : (picked.length ? "Chưa đúng." : "Chưa trả lời.")
      verdict.appendChild(strong)
      verdict.appendChild(document.createTextNode(" Đáp án: " + letters(entry.answers) + "."))
      var why = document.createElement("p")
      why.textContent = entry.explanation + " Căn cứ: " + entry.basis + "."
      feedback.appendChild(verdict)
      feedback.appendChild(why)
      feedback.hidden = false
    }
    result.textContent = "Kết quả: đúng " + right + "/" + questions.length + " câu" +
      (unanswered ? " (" + unanswered + " câu chưa trả lời)" : "") + ". Xem giải thích dưới từng câu."
    form.querySelector("button[type=submit]").disabled = true
  }

  function questions() { return [].slice.call(form.querySelectorAll("fieldset[data-question]")) }

  // --- kept answers ---------------------------------------------------------
  function save(submitted) {
    var answers = {}
    questions().forEach(function (fieldset) {
      var picked = chosen(fieldset)
      if (picked.length) answers[fieldset.getAttribute("data-question")] = picked
    })
    try { localStorage.setItem(STORE, JSON.stringify({ answers: answers, submitted: !!submitted })) } catch (e) { /* storage off */ }
  }

  function forget() {
    try { localStorage.removeItem(STORE) } catch (e) { /* storage off */ }
  }

  // What was kept, checked against this page: known questions, choices that
  // exist, one choice for a single-answer question. Null if nothing usable.
  function load() {
    var raw
    try { raw = JSON.parse(localStorage.getItem(STORE) || "null") } catch (e) { raw = null }
    if (!raw || typeof raw !== "object" || !raw.answers || typeof raw.answers !== "object") return null
    var restored = 0
    questions().forEach(function (fieldset) {
      var picked = raw.answers[fieldset.getAttribute("data-question")]
      if (!Array.isArray(picked)) return
      var inputs = [].slice.call(fieldset.querySelectorAll("input"))
      var valid = picked.filter(function (n, i) {
        return typeof n === "number" && n % 1 === 0 && n >= 1 && n <= inputs.length && picked.indexOf(n) === i
      })
      if (!valid.length || (inputs[0].type === "radio" && valid.length > 1)) return
      valid.forEach(function (n) { inputs[n - 1].checked = true })
      restored++
    })
    return restored ? { submitted: raw.submitted === true } : null
  }

  form.addEventListener("change", function () {
    warned = false
    save(false)
  })

  form.addEventListener("submit", function (event) {
    event.preventDefault()
    var left = questions().filter(function (fieldset) { return !chosen(fieldset).length })
    if (left.length === questions().length) {
      result.textContent = "Chưa có câu nào được trả lời. Hãy chọn đáp án cho các câu hỏi rồi bấm “Nộp bài”."
      left[0].querySelector("input").focus()
      return
    }
    if (left.length && !warned) {
      warned = true
      result.textContent = "Còn " + left.length + " câu chưa trả lời (" + left.map(function (fieldset) {
        return fieldset.querySelector("legend").textContent.split(".")[0]
      }).join(", ") + "). Trả lời tiếp, hoặc bấm “Nộp bài” lần nữa để nộp luôn."
      left[0].querySelector("input").focus()
      return
    }
    save(true)
    withKey(mark)
  })

  form.addEventListener("reset", function () {
    var inputs = form.querySelectorAll("input")
    for (var i = 0; i < inputs.length; i++) inputs[i].disabled = false
    var labels = form.querySelectorAll(".sotay-choice")
    for (var j = 0; j < labels.length; j++) labels[j].classList.remove("sotay-right", "sotay-wrong")
    var feedback = form.querySelectorAll(".sotay-quiz-feedback")
    for (var k = 0; k < feedback.length; k++) { feedback[k].hidden = true; feedback[k].textContent = "" }
    result.textContent = ""
    form.querySelector("button[type=submit]").disabled = false
    warned = false
    forget()
  })

  var kept = load()
  if (kept && kept.submitted) withKey(mark)
  else if (kept) result.textContent = "Đã mở lại các câu trả lời lần trước trên máy này."
})()
