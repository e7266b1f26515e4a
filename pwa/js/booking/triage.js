/**
 * Triage before booking: at most two yes/no questions, then where the citizen goes — an
 * online service elsewhere (a link out), a video consultation, or a visit in person with
 * the reason. Each answer is a button; the next question or the outcome takes the focus.
 */

import { _ } from "../../i18n.js";
import { api } from "./api.js";
import { button, h } from "./dom.js";

export class Triage {
  /** `onChannel(channel, control)` continues the booking on "in_person" or "video". */
  constructor(container, { onChannel }) {
    this.container = container;
    this.onChannel = onChannel;
    this.data = null;
  }

  async load(slug) {
    this.data = await api(`/api/services/${encodeURIComponent(slug)}/triage`);
    this.restart({ focus: false });
  }

  restart({ focus = true } = {}) {
    const { first_question: first, outcome } = this.data;
    if (first) this.ask(first, { focus });
    else if (outcome) this.conclude(outcome, { focus });
    else this.container.replaceChildren(h("p", { class: "kern-body empty-state" }, _("This service cannot be booked at the moment.")));
  }

  question(id) {
    return this.data.questions.find((question) => question.id === id);
  }

  outcome(kind) {
    return this.data.outcomes.find((outcome) => outcome.kind === kind);
  }

  answer(choice) {
    if (choice.next) this.ask(choice.next);
    else if (choice.outcome) this.conclude(choice.outcome);
  }

  ask(id, { focus = true } = {}) {
    const question = this.question(id);
    const titleId = `question-${id}`;
    const helpId = `question-${id}-help`;
    const heading = h("h2", { class: "kern-heading-medium", id: titleId, tabindex: "-1" }, question.text);
    this.container.replaceChildren(
      h(
        "div",
        {
          class: "triage-question",
          role: "group",
          "aria-labelledby": titleId,
          "aria-describedby": question.help ? helpId : null,
          "data-question": id,
        },
        heading,
        question.help ? h("p", { class: "kern-hint", id: helpId }, question.help) : null,
        h(
          "div",
          { class: "booking-actions triage-question__answers" },
          question.answers.map((choice) =>
            button(choice.label, {
              kind: "secondary",
              "data-answer": choice.value,
              onclick: () => this.answer(choice),
            }),
          ),
        ),
      ),
    );
    if (focus) heading.focus();
  }

  conclude(kind, { focus = true } = {}) {
    const outcome = this.outcome(kind);
    const heading = h("h2", { class: "kern-heading-medium", id: "triage-outcome-title", tabindex: "-1" }, outcome.title);
    const actions = [];
    if (outcome.kind === "online") {
      actions.push(
        h(
          "a",
          { class: "kern-link triage-outcome__link", href: outcome.url, rel: "noopener noreferrer", "data-outcome-link": "" },
          h("span", { class: "kern-icon kern-icon--open-in-new", "aria-hidden": "true" }),
          _("Go to the online service (another website)"),
        ),
      );
      const instead = this.question("eid")?.answers.find((choice) => choice.value === "no");
      if (instead) {
        actions.push(
          button(_("Book an appointment here instead"), { kind: "tertiary", onclick: () => this.answer(instead) }),
        );
      }
    } else {
      const proceed = button(_("Continue"), { kind: "primary", "data-continue": "" });
      proceed.addEventListener("click", () => this.onChannel(outcome.channel, proceed));
      actions.push(proceed);
    }
    if (this.data.first_question) {
      actions.push(button(_("Answer the questions again"), { kind: "tertiary", onclick: () => this.restart() }));
    }
    this.container.replaceChildren(
      h(
        "section",
        { class: "triage-outcome", "aria-labelledby": "triage-outcome-title", "data-outcome": outcome.kind },
        heading,
        h("p", { class: "kern-body" }, outcome.text),
        h("div", { class: "booking-actions" }, actions),
      ),
    );
    if (focus) heading.focus();
  }
}
