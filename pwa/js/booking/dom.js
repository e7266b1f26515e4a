/**
 * Building elements for the booking pages without innerHTML: text always goes in as text,
 * so nothing the API returns can become markup.
 *
 *   h("p", { class: "kern-body", id: "note" }, "Some text", h("strong", {}, "more"))
 */

export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === false || value === null || value === undefined) continue;
    if (name === "class") element.className = value;
    else if (name.startsWith("on") && typeof value === "function") {
      element.addEventListener(name.slice(2), value);
    } else element.setAttribute(name, value === true ? "" : String(value));
  }
  element.append(...children.flat().filter((child) => child !== null && child !== undefined));
  return element;
}

/** A KERN button; `kind` is primary, secondary or tertiary. */
export function button(label, { kind = "primary", ...attributes } = {}) {
  return h(
    "button",
    { type: "button", class: `kern-btn kern-btn--${kind}`, ...attributes },
    h("span", { class: "kern-label" }, label),
  );
}

/** Text only screen readers read, e.g. the full date beside a short visible one. */
export function hidden(text) {
  return h("span", { class: "kern-sr-only" }, text);
}

/** A KERN description list from [term, value] pairs; values may be nodes. */
export function descriptionList(rows, attributes = {}) {
  return h(
    "dl",
    { class: "kern-description-list", ...attributes },
    rows
      .filter(([, value]) => value !== null && value !== undefined && value !== "")
      .map(([term, value, className]) =>
        h(
          "div",
          { class: `kern-description-list-item${className ? ` ${className}` : ""}` },
          h("dt", { class: "kern-description-list-item__key" }, term),
          h("dd", { class: "kern-description-list-item__value" }, value),
        ),
      ),
  );
}

/** A KERN alert; `kind` is info, success, warning or danger. */
export function alert(kind, title, ...body) {
  return h(
    "div",
    { class: `kern-alert kern-alert--${kind}` },
    h(
      "div",
      { class: "kern-alert__header" },
      h("span", { class: `kern-icon kern-icon--${kind === "danger" ? "danger" : kind}`, "aria-hidden": "true" }),
      h("p", { class: "kern-title" }, title),
    ),
    body.length ? h("div", { class: "kern-alert__body" }, ...body) : null,
  );
}
