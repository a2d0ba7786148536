// Tandem's small amount of JavaScript. Every page works without it; this only makes
// HTMX swaps keep the keyboard focus somewhere sensible.
document.addEventListener("htmx:afterSwap", (event) => {
  const target = event.detail.target;
  if (target && target.id === "flash") {
    target.focus?.();
  }
});
