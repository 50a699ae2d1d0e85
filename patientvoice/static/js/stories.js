// Share a story without third-party widgets: copy its link, or open the phone's own
// share sheet. Both buttons stay hidden where the browser cannot do it; the e-mail
// link and the link field work without JavaScript.
document.addEventListener("DOMContentLoaded", () => {
  const status = document.querySelector(".story-share .share-status");
  const copy = document.querySelector("[data-share-copy]");
  if (copy && navigator.clipboard && window.isSecureContext) {
    copy.hidden = false;
    copy.addEventListener("click", () => {
      navigator.clipboard.writeText(copy.dataset.shareCopy).then(() => {
        if (status) status.textContent = status.dataset.copied;
      });
    });
  }
  const share = document.querySelector("[data-share-native]");
  if (share && typeof navigator.share === "function") {
    share.hidden = false;
    share.addEventListener("click", () => {
      navigator
        .share({ title: share.dataset.shareTitle, url: share.dataset.shareNative })
        .catch(() => {});
    });
  }
});
