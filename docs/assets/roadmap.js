// Give each heading's permalink ("¶") a name that says where it goes, for screen readers
// and voice control; the symbol on its own reads as "pilcrow". Runs on every page view,
// including Material's instant navigation when it is turned on.
function labelPermalinks() {
  document.querySelectorAll(".md-typeset .headerlink").forEach((link) => {
    const heading = link.parentElement;
    if (!heading || link.hasAttribute("aria-label")) return;
    const text = Array.from(heading.childNodes)
      .filter((node) => node !== link)
      .map((node) => node.textContent)
      .join("")
      .trim();
    link.setAttribute("aria-label", `Link to this section: ${text}`);
  });
}
if (typeof document$ !== "undefined") {
  document$.subscribe(labelPermalinks);
} else {
  document.addEventListener("DOMContentLoaded", labelPermalinks);
}
