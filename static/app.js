// The SEND Inspection Archive: progressive enhancement only.
//
// Every page works without this file. With it:
// - "Copy link" buttons appear and copy the permalink (absolute) to the clipboard,
//   announcing "Copied" in a live region;
// - the search filters start collapsed on narrow screens.
// Each feature looks for its elements first and does nothing when they are absent.
(function () {
  "use strict";

  document.documentElement.classList.add("js");

  function absolute(path) {
    try {
      return new URL(path, window.location.href).href;
    } catch (error) {
      return path;
    }
  }

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    // Fallback for plain-http pages: select the text and use the legacy command.
    return new Promise(function (resolve, reject) {
      var area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.className = "visually-hidden";
      document.body.appendChild(area);
      area.select();
      var ok = false;
      try {
        ok = document.execCommand("copy");
      } catch (error) {
        ok = false;
      }
      document.body.removeChild(area);
      if (ok) {
        resolve();
      } else {
        reject(new Error("copy failed"));
      }
    });
  }

  function setUpCopyButtons() {
    var buttons = document.querySelectorAll("[data-copy]");
    Array.prototype.forEach.call(buttons, function (button) {
      var input = document.getElementById(button.getAttribute("data-copy"));
      if (!input) {
        return;
      }
      var container = button.closest(".cite__row") || document;
      var status = container.querySelector("[data-copy-status]");
      // Show the full address, so what is seen is what is copied.
      if (input.hasAttribute("data-permalink")) {
        input.value = absolute(input.value);
      }
      input.addEventListener("focus", function () {
        input.select();
      });
      var timer = null;
      button.addEventListener("click", function () {
        copyText(input.value).then(
          function () {
            if (status) {
              status.textContent = "Copied: " + input.value;
            }
          },
          function () {
            input.focus();
            input.select();
            if (status) {
              status.textContent = "Could not copy automatically. The link is selected: press Ctrl+C (or ⌘+C) to copy it.";
            }
          }
        );
        if (timer) {
          window.clearTimeout(timer);
        }
        timer = window.setTimeout(function () {
          if (status) {
            status.textContent = "";
          }
        }, 8000);
      });
    });
  }

  function collapseFacetsOnNarrowScreens() {
    if (!window.matchMedia) {
      return;
    }
    var narrow = window.matchMedia("(max-width: 51.99em)");
    var panels = document.querySelectorAll("details[data-collapse-narrow]");
    Array.prototype.forEach.call(panels, function (panel) {
      // Keep it open when the visitor has just chosen a filter, so they see it.
      if (narrow.matches && !document.querySelector(".active-filters")) {
        panel.open = false;
      }
      // On wide screens the panel is a sidebar and always open.
      var keepOpen = function () {
        if (!narrow.matches) {
          panel.open = true;
        }
      };
      if (narrow.addEventListener) {
        narrow.addEventListener("change", keepOpen);
      }
      panel.addEventListener("toggle", keepOpen);
    });
  }

  function start() {
    setUpCopyButtons();
    collapseFacetsOnNarrowScreens();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
