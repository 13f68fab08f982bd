/*
 * Trainee pages: the self-check quiz. The page's HTML has no answers; after
 * the trainee submits, the key (dap-an.js beside the page, a script so it
 * also loads from file://) is added, each question is marked right or not,
 * the right choices and the explanation with its legal basis are shown, and
 * the score is announced. "Làm lại" clears everything for another try.
 */
(function () {
  "use strict"

  var form = document.querySelector("form[data-sotay-quiz]")
  if (!form) return
  document.documentElement.classList.add("sotay-js")
  var session = form.getAttribute("data-sotay-quiz")
  var result = form.querySelector(".sotay-quiz-result")

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

  form.addEventListener("submit", function (event) {
    event.preventDefault()
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
  })
})()
