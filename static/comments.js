// Comments: small conveniences on top of plain forms, which work without this file.
// - "Use the selected text" fills a comment's quote field with the passage selected in
//   the text of the same paragraph and language (also on opening the form).
// - A live update does not replace a paragraph while someone is writing a comment in it.
(function () {
  "use strict";
  if (window.tandemComments) return;
  window.tandemComments = true;

  // The last non-empty selection inside a paragraph text, per side element.
  let lastSelection = null;

  function sideOf(node) {
    const element = node && (node.nodeType === Node.ELEMENT_NODE ? node : node.parentElement);
    return element ? element.closest(".paragraph__side") : null;
  }

  document.addEventListener("selectionchange", () => {
    const selection = document.getSelection();
    if (!selection || selection.isCollapsed || selection.rangeCount === 0) return;
    const range = selection.getRangeAt(0);
    const start = range.startContainer;
    const element = start.nodeType === Node.ELEMENT_NODE ? start : start.parentElement;
    if (!element || !element.closest(".paragraph__text")) return;
    const side = sideOf(start);
    if (!side || side !== sideOf(range.endContainer)) return;
    const text = selection.toString();
    if (text.trim()) lastSelection = { side: side, text: text };
  });

  function fill(form, overwrite) {
    const field = form.querySelector(".comment__quote-field");
    if (!field || !lastSelection || lastSelection.side !== sideOf(form)) return;
    if (field.value && !overwrite) return;
    field.value = lastSelection.text;
  }

  function reveal(root) {
    root.querySelectorAll(".comment__use-selection[hidden]").forEach((button) => {
      button.hidden = false;
    });
  }

  document.addEventListener("click", (event) => {
    const button = event.target instanceof Element ? event.target.closest(".comment__use-selection") : null;
    if (!button) return;
    event.preventDefault();
    fill(button.closest("form"), true);
  });

  document.addEventListener("toggle", (event) => {
    const details = event.target;
    if (!(details instanceof HTMLDetailsElement) || !details.classList.contains("comment-new") || !details.open) return;
    const form = details.querySelector("form");
    if (form) fill(form, false);
  }, true);

  function isWritingComment(article) {
    return Array.from(article.querySelectorAll(".comments textarea, .comments input.comment__quote-field")).some(
      (field) => field === document.activeElement || field.value !== field.defaultValue
    );
  }

  document.addEventListener("htmx:confirm", (event) => {
    const trigger = event.detail.triggeringEvent;
    const article = event.detail.elt;
    if (!trigger || !String(trigger.type).startsWith("sse:") || !(article instanceof Element)) return;
    if (article.matches("article.paragraph") && isWritingComment(article)) event.preventDefault();
  });

  document.addEventListener("htmx:afterSwap", () => reveal(document));
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", () => reveal(document));
  } else {
    reveal(document);
  }
})();
