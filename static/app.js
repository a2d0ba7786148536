// Tandem's small amount of JavaScript. Every page works without it: it makes live updates
// polite (never overwrite a paragraph someone is typing in) and announces presence.
(function () {
  "use strict";

  const PRESENCE_HEARTBEAT_MS = 20000;
  const PRESENCE_EXPIRY_MS = 45000;
  const presence = new Map(); // paragraph id -> Map(username -> {name, lang, expires})
  let hadConnectionError = false;

  function csrfToken() {
    try {
      return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRF-Token"] || "";
    } catch (error) {
      return "";
    }
  }

  function isBeingEdited(article) {
    return Array.from(article.querySelectorAll("details.editor[open] textarea, .conflict textarea")).some(
      (area) => area === document.activeElement || area.value !== area.defaultValue
    );
  }

  function announce(article, lang, state, useBeacon) {
    const url = article.dataset.presenceUrl;
    if (!url) return;
    const form = new FormData();
    form.append("csrf_token", csrfToken());
    form.append("lang", lang);
    form.append("state", state);
    if (useBeacon && navigator.sendBeacon) {
      navigator.sendBeacon(url, form);
    } else {
      fetch(url, { method: "POST", body: form, credentials: "same-origin" }).catch(() => {});
    }
  }

  function openEditors() {
    return Array.from(document.querySelectorAll("article.paragraph details.editor[open]"));
  }

  // Presence: say when an editor opens or closes, and keep saying it while it is open.
  document.addEventListener("toggle", (event) => {
    const details = event.target;
    if (!(details instanceof HTMLDetailsElement) || !details.classList.contains("editor")) return;
    const article = details.closest("article.paragraph");
    if (article) announce(article, details.dataset.lang, details.open ? "editing" : "stopped");
  }, true);
  window.setInterval(() => {
    for (const details of openEditors()) {
      announce(details.closest("article.paragraph"), details.dataset.lang, "editing");
    }
  }, PRESENCE_HEARTBEAT_MS);
  window.addEventListener("pagehide", () => {
    for (const details of openEditors()) {
      announce(details.closest("article.paragraph"), details.dataset.lang, "stopped", true);
    }
  });

  function renderPresence(paragraphId) {
    const slot = document.querySelector(`[data-presence-for="${paragraphId}"]`);
    if (!slot) return;
    const now = Date.now();
    const editors = Array.from((presence.get(paragraphId) || new Map()).values()).filter((e) => e.expires > now);
    slot.textContent = editors.map((e) => `✎ ${e.name} (${e.lang.toUpperCase()})`).join(", ");
    slot.title = slot.textContent;
  }

  function onPresence(message) {
    const data = JSON.parse(message.data);
    const paragraphId = String(data.paragraph_id);
    const editors = presence.get(paragraphId) || new Map();
    if (data.data.state === "editing") {
      editors.set(data.actor, { name: data.data.display_name, lang: data.data.lang, expires: Date.now() + PRESENCE_EXPIRY_MS });
    } else {
      editors.delete(data.actor);
    }
    presence.set(paragraphId, editors);
    renderPresence(paragraphId);
  }
  window.setInterval(() => presence.forEach((_, id) => renderPresence(id)), 5000);

  document.addEventListener("htmx:sseOpen", (event) => {
    const source = event.detail.source;
    if (!source || source.tandemListening) return;
    source.tandemListening = true;
    source.addEventListener("presence", onPresence);
    source.addEventListener("structure", () => {
      const banner = document.getElementById("structure-changed");
      if (banner) banner.hidden = false;
    });
    if (hadConnectionError) {
      // The stream was re-created without Last-Event-ID: fetch every paragraph again.
      hadConnectionError = false;
      document.querySelectorAll("article.paragraph").forEach((article) => {
        if (!isBeingEdited(article)) htmx.trigger(article, "sse:p" + article.dataset.paragraphId);
      });
    }
  });
  document.addEventListener("htmx:sseError", () => { hadConnectionError = true; });

  // A live update never replaces a paragraph someone is typing in; its editor is told.
  document.addEventListener("htmx:confirm", (event) => {
    const trigger = event.detail.triggeringEvent;
    const article = event.detail.elt;
    if (!trigger || !String(trigger.type).startsWith("sse:") || !article.matches("article.paragraph")) return;
    if (!isBeingEdited(article)) return;
    event.preventDefault();
    let data = {};
    try { data = JSON.parse(trigger.detail ? trigger.detail.data : trigger.data || "{}"); } catch (error) { data = {}; }
    let note = article.querySelector(".changed-under-you");
    if (!note) {
      note = document.createElement("p");
      note.className = "notice changed-under-you";
      note.setAttribute("role", "status");
      article.append(note);
    }
    note.textContent = article.closest("[data-changed-message]")?.dataset.changedMessage || "Changed by someone else while you edit: your save will be merged with it.";
    if (data.actor) note.textContent += ` (${data.actor})`;
  });

  document.addEventListener("htmx:afterSwap", (event) => {
    const target = event.detail.target;
    if (target && target.id === "flash") target.focus?.();
  });
})();
