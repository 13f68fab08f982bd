/*
 * The search results' notes, loaded by site.js when the officer starts to
 * search (it keeps first visits small): registry-only entries of the
 * commune-level catalogue (their location is a line of the coverage page,
 * "#dm-…") are marked "Chưa có hướng dẫn chi tiết"; when a query finds
 * nothing (no result with a score above zero), a paragraph above the
 * results says so and points to the national portal (the search area's
 * data-sotay-portal, from partials/search.html).
 */
(function () {
  "use strict"

  var MARK = "Chưa có hướng dẫn chi tiết"

  function update(result) {
    var list = result.querySelector(".md-search-result__list")
    var portal = result.querySelector(".sotay-search-portal")
    if (!portal && list) {
      // Not after the list: the theme writes its results into the last child.
      portal = document.createElement("p")
      portal.className = "sotay-search-portal"
      portal.hidden = true
      portal.appendChild(document.createTextNode("Không có thủ tục nào trong sổ tay hay danh mục thủ tục cấp xã " +
        "khớp với từ đã gõ. Thử từ khác, hoặc tìm trên "))
      var link = document.createElement("a")
      link.href = result.getAttribute("data-sotay-portal") || "https://dichvucong.gov.vn"
      link.rel = "noopener"
      link.textContent = "Cổng Dịch vụ công quốc gia"
      portal.appendChild(link)
      portal.appendChild(document.createTextNode("."))
      result.insertBefore(portal, list)
    }
    var query = document.querySelector("[data-md-component=search-query]")
    if (!list) return
    Array.prototype.forEach.call(list.querySelectorAll("a.md-search-result__link"), function (link) {
      if (!/#dm-/.test(link.getAttribute("href") || "") || link.querySelector(".sotay-not-written")) return
      var badge = document.createElement("strong")
      badge.className = "sotay-not-written"
      badge.textContent = MARK
      var title = link.querySelector("h1, h2") || link
      title.appendChild(document.createTextNode(" "))
      title.appendChild(badge)
    })
    // Nothing matched well: no result, or only the theme's zero-score results
    // (every page, listed when no term of the query is in the index).
    var good = Array.prototype.some.call(list.querySelectorAll("[data-md-score]"), function (article) {
      return parseFloat(article.getAttribute("data-md-score")) > 0
    })
    if (portal) portal.hidden = !(query && query.value.trim() && !good)
  }

  function watch() {
    var result = document.querySelector("[data-md-component=search-result]")
    if (!result || !window.MutationObserver) return
    var busy = false
    new MutationObserver(function () {
      if (busy) return
      busy = true
      try { update(result) } finally { busy = false }
    }).observe(result, { childList: true, subtree: true })
    update(result)
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", watch)
  else watch()
})()
