/*
 * Every page: "Góp ý về trang này" (theme/partials/sotay-feedback.html).
 * Composes the message from the page's title and address, the content
 * version (a procedure page's own, from its #sotay-data block; the build's
 * edition on every page) and the officer's note; fills the e-mail link
 * (mailto:, to the configured address) and copies the message for a chat
 * app. Nothing is sent from here: the officer sends the e-mail or pastes.
 */
(function () {
  "use strict"

  var box = document.querySelector("[data-sotay-feedback]")
  if (!box) return
  var note = box.querySelector("#sotay-feedback-note")
  var message = box.querySelector("#sotay-feedback-message")
  var mail = box.querySelector("[data-sotay-feedback-mail]")
  var copy = box.querySelector("[data-sotay-feedback-copy]")
  var status = box.querySelector(".sotay-feedback-status")

  function pageTitle() {
    var h1 = document.querySelector(".md-content h1")
    return (h1 ? h1.textContent : document.title).replace(/\s+/g, " ").replace(/¶$/, "").trim()
  }

  // The page's address without its query (answers, search words) or anchor.
  function pageAddress() { return location.href.split(/[?#]/)[0] }

  function contentVersion() {
    var lines = []
    var data = document.getElementById("sotay-data")
    if (data) {
      try {
        var version = JSON.parse(data.textContent).version
        if (typeof version === "string" && /^[0-9a-f]{6,64}$/.test(version)) lines.push("Phiên bản nội dung trang: " + version)
      } catch (e) { /* not a procedure page's data */ }
    }
    var edition = box.getAttribute("data-edition")
    if (edition) lines.push("Ấn bản sổ tay: dựng ngày " + edition)
    return lines
  }

  function compose() {
    return ["Góp ý về trang: " + pageTitle(), "Địa chỉ trang: " + pageAddress()]
      .concat(contentVersion())
      .concat(["", "Góp ý:", note.value.trim() || "(chưa ghi)"]).join("\n")
  }

  function update() {
    var text = compose()
    message.value = text
    if (mail) {
      mail.href = "mailto:" + mail.getAttribute("data-email") +
        "?subject=" + encodeURIComponent("Góp ý sổ tay: " + pageTitle()) +
        "&body=" + encodeURIComponent(text)
    }
  }

  function copied(ok) {
    status.textContent = ok
      ? "Đã sao chép nội dung góp ý. Dán vào ứng dụng nhắn tin (Zalo…) để gửi."
      : "Không sao chép tự động được: nội dung đã được chọn sẵn ở ô dưới, bấm Ctrl+C để sao chép."
  }

  // Older intranet pages over plain http have no navigator.clipboard: select the text.
  function copyBySelection() {
    message.focus()
    message.select()
    var ok = false
    try { ok = document.execCommand("copy") } catch (e) { ok = false }
    copied(ok)
  }

  note.addEventListener("input", function () { status.textContent = ""; update() })
  box.addEventListener("toggle", update)
  if (mail) {
    mail.addEventListener("click", function () {
      update()
      status.textContent = "Đã mở thư trong chương trình thư của máy; kiểm tra rồi bấm Gửi ở đó."
    })
  }
  copy.hidden = false
  copy.addEventListener("click", function () {
    update()
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(message.value).then(function () { copied(true) }, copyBySelection)
    } else {
      copyBySelection()
    }
  })
  update()
})()
