/**
 * The language switcher's links lead to the same page in another language; following one
 * also remembers the choice in the `lang` cookie, which `/` reads on the next visit.
 */

const ONE_YEAR = 60 * 60 * 24 * 365;

export function rememberLanguageChoice(root = document) {
  for (const link of root.querySelectorAll("a[data-lang]")) {
    link.addEventListener("click", () => {
      document.cookie = `lang=${link.dataset.lang}; Path=/; Max-Age=${ONE_YEAR}; SameSite=Lax`;
    });
  }
}
