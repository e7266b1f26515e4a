/** The citizen app's pages: remember the language choice, work offline, offer updates. */

import { rememberLanguageChoice } from "./language-switch.js";
import { keepOffline } from "./offline.js";

rememberLanguageChoice();
await keepOffline("/sw.js", "/");
