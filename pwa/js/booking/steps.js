/**
 * The steps of a flow on one page: each a `<section data-step>` with its own h1. One is
 * shown at a time; its heading takes the focus and names the document, and the progress
 * line says "Step 3 of 6". Back goes to the step before in the order of the steps.
 */

import { _ } from "../../i18n.js";
import { formatNumber } from "./format.js";

export class Steps {
  /** `names()` lists the counted steps in order, as they are known at the moment. */
  constructor(root, { names, progress, loading, skipOnBack = [] }) {
    this.sections = new Map([...root.querySelectorAll("[data-step]")].map((s) => [s.dataset.step, s]));
    this.names = names;
    this.progress = progress;
    this.loading = loading;
    this.skipOnBack = skipOnBack;
    this.current = null;
    this.siteName = document.title.split(" – ").slice(1).join(" – ");
    for (const control of root.querySelectorAll("[data-back]")) {
      control.addEventListener("click", () => this.back());
    }
  }

  section(name) {
    return this.sections.get(name);
  }

  /** Show step `name`; `focus` moves the reader to its heading (not on the first load). */
  show(name, { focus = true } = {}) {
    this.current = name;
    if (this.loading) this.loading.hidden = true;
    for (const [step, section] of this.sections) section.hidden = step !== name;
    const names = this.names();
    const index = names.indexOf(name);
    this.progress.textContent =
      index < 0 ? "" : _("Step {n} of {total}", { n: formatNumber(index + 1), total: formatNumber(names.length) });
    const heading = this.sections.get(name).querySelector("h1");
    document.title = `${heading.textContent} – ${this.siteName}`;
    if (focus) heading.focus();
  }

  back() {
    const names = this.names().filter((name) => !this.skipOnBack.includes(name) || name === this.current);
    const index = names.indexOf(this.current);
    if (index > 0) this.show(names[index - 1]);
  }
}
