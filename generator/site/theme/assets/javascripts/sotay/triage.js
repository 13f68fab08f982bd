/*
 * "Công dân cần gì?": one question of each tree at a time, like the guide on
 * a procedure page. The page lists every question flat (templates/triage.html);
 * each option links to the next question's anchor or to the procedure with
 * every answer given on the way. Here only the question the officer is at
 * stays visible; the browser's Back button returns to the previous question.
 */
(function () {
  "use strict"

  document.documentElement.classList.add("sotay-js")
  var trees = [].slice.call(document.querySelectorAll("[data-triage]"))

  function stepsOf(tree) { return [].slice.call(tree.querySelectorAll("[data-triage-step]")) }

  // Show `step` in its tree and hide the tree's other questions.
  function show(step, focus) {
    var tree = step.closest("[data-triage]")
    stepsOf(tree).forEach(function (s) {
      if (s === step) s.removeAttribute("data-triage-inactive")
      else s.setAttribute("data-triage-inactive", "")
    })
    if (focus) {
      var heading = step.querySelector(".sotay-triage-question")
      heading.focus({ preventScroll: true })
      step.scrollIntoView({ block: "nearest" })
    }
  }

  function stepFor(id) {
    var el = id && document.getElementById(id)
    return el && el.hasAttribute("data-triage-step") ? el : null
  }

  // The step named by the address (#…), or each tree's first question.
  function fromAddress(focus) {
    var target = stepFor(decodeURIComponent(location.hash.slice(1)))
    trees.forEach(function (tree) {
      if (target && tree.contains(target)) show(target, focus)
      else if (!tree.querySelector("[data-triage-step]:not([data-triage-inactive])") || !target) {
        show(stepsOf(tree)[0], false)
      }
    })
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("[data-triage-next]")
    if (!link) return
    var step = stepFor(link.getAttribute("data-triage-next"))
    if (!step) return
    event.preventDefault()
    history.pushState(null, "", "#" + step.id)
    show(step, true)
  })
  window.addEventListener("popstate", function () { fromAddress(true) })
  trees.forEach(function (tree) { stepsOf(tree).forEach(function (s, i) { if (i) s.setAttribute("data-triage-inactive", "") }) })
  fromAddress(false)
})()
