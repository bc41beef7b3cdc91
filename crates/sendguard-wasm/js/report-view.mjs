// The one report view: the Outlook task pane, the Thunderbird dialog and the web
// playground all render a checker report with it, so a finding reads the same
// everywhere. Plain DOM, no framework; strings from the checker package's catalogue
// (`view.*` keys of messages.json beside this file, embedded at build time); keyboard accessible:
// real buttons, the headline takes focus, the verdict is announced (aria-live).

import catalogue from "./messages.json";
import { pick, translator } from "./host.mjs";

const LANGS = ["en", "de"];
const DEFAULT_COLLAPSE_AFTER = 5;
let nextId = 0;

/** Thousands separators without Intl (1,234 / 1.234). */
function formatCount(count, lang) {
  const digits = String(count);
  const separator = lang === "de" ? "." : ",";
  let out = "";
  for (let i = 0; i < digits.length; i++) {
    if (i > 0 && (digits.length - i) % 3 === 0) out += separator;
    out += digits[i];
  }
  return out;
}

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** A fix button's words: what it changes, and "and send" only where it sends. */
function fixLabel(fix, say, lang, settings) {
  const action = fix.action || {};
  let outcome;
  try {
    outcome = typeof settings.outcomeOf === "function" ? settings.outcomeOf(action) : undefined;
  } catch {
    outcome = undefined;
  }
  if (!outcome || outcome.kind === "export-recipients") return pick(fix.label, lang);
  const sends = settings.sendsOnPass === true && outcome.verdict === "pass";
  if (action.kind === "move-to-bcc" && outcome.moved_to_bcc > 0) {
    const count = outcome.moved_to_bcc;
    const key = "view.fix.move-to-bcc." + (sends ? "send." : "") + (count === 1 ? "one" : "other");
    return say(key, { count: formatCount(count, lang) });
  }
  if (action.kind === "remove-recipient" && outcome.removed && outcome.removed.length > 0) {
    const removed = outcome.removed;
    const key = "view.fix.remove." + (removed.length === 1 ? "single" : "other") + (sends ? ".send" : "");
    return say(key, { address: removed[0], count: formatCount(removed.length, lang) });
  }
  return pick(fix.label, lang);
}

/**
 * What a fix did, in one sentence for the host's status line: "41 recipients moved to
 * Bcc, you were added to To." `outcome` is host.mjs `fixOutcome`'s answer.
 *
 * @param {object} outcome
 * @param {"en"|"de"} [lang]
 * @returns {string}
 */
export function describeOutcome(outcome, lang) {
  const language = LANGS.indexOf(lang) >= 0 ? lang : "en";
  const say = translator(catalogue, language);
  if (!outcome) return "";
  const parts = [];
  if (outcome.moved_to_bcc > 0) {
    const count = outcome.moved_to_bcc;
    parts.push(say("view.outcome.moved." + (count === 1 ? "one" : "other"), { count: formatCount(count, language) }));
  }
  const removed = outcome.removed || [];
  if (removed.length === 1) parts.push(say("view.outcome.removed.one", { address: removed[0] }));
  else if (removed.length > 1) parts.push(say("view.outcome.removed.other", { count: formatCount(removed.length, language) }));
  if (outcome.sender_added) parts.push(say("view.outcome.sender-added"));
  const others = (outcome.added_to || []).length - (outcome.sender_added ? 1 : 0);
  if (others > 0) parts.push(say("view.outcome.added", { count: formatCount(others, language) }));
  if (parts.length === 0) return "";
  const sentence = parts.join(", ");
  return sentence.charAt(0).toUpperCase() + sentence.slice(1) + ".";
}

/**
 * Renders `report` into `container` (its previous content is replaced).
 *
 * @param {HTMLElement} container
 * @param {object} report a checker report (see sendguard-checker.d.ts)
 * @param {object} [options]
 * @param {"en"|"de"} [options.lang] the language (default "en")
 * @param {(action: object, context: {finding: object, fix: object}) => (void|Promise<void>)} [options.onFix]
 *   called with a fix's `action` when the user picks it; while a returned promise is
 *   pending, the buttons are disabled
 * @param {{label: string|{en: string, de: string}, onSelect: () => (void|Promise<void>), primary?: boolean, id?: string}[]} [options.actions]
 *   the host's own buttons below the findings ("Send anyway", "Back to the mail"); `id`
 *   becomes the button's `data-action`
 * @param {number} [options.collapseAfter] recipients shown before "Show all" (default 5)
 * @param {boolean} [options.autofocus] focus the headline after rendering (default true)
 * @param {1|2} [options.headingLevel] the headline's level (default 2; 1 where the view is
 *   the page's main content, as in the Thunderbird dialog)
 * @param {(action: object) => (object|undefined)} [options.outcomeOf] what a fix would do
 *   (host.mjs `fixOutcome`); with it a fix button names what it changes ("Move 41
 *   recipients to Bcc", "Remove a@b.example")
 * @param {boolean} [options.sendsOnPass] the host sends the mail right after a fix that
 *   leaves nothing to check (Thunderbird): such a button ends in "and send"
 * @returns {{update(report: object): void, destroy(): void, focus(): void}}
 */
export function renderReport(container, report, options) {
  const settings = options || {};
  const lang = LANGS.indexOf(settings.lang) >= 0 ? settings.lang : "en";
  const collapseAfter = settings.collapseAfter > 0 ? settings.collapseAfter : DEFAULT_COLLAPSE_AFTER;
  const say = translator(catalogue, lang);

  const root = element("section", "sg-report");
  root.lang = lang;
  const live = element("div", "sg-verdict");
  live.setAttribute("role", "status");
  live.setAttribute("aria-live", "polite");
  live.setAttribute("aria-atomic", "true");
  // Headings in order: the headline, then each finding's title, then its recipient list.
  const level = settings.headingLevel === 1 ? 1 : 2;
  const headline = element("h" + level, "sg-headline");
  headline.tabIndex = -1;
  // No summary line of counts under the headline: the findings carry the counts that
  // matter (the external-recipients note, the visible-recipients block), and a report
  // says each thing once ("1 recipient, 0 of them external" helped nobody decide).
  live.append(headline);
  const body = element("div", "sg-body");
  root.append(live, body);
  container.replaceChildren(root);

  let busy = false;
  const buttons = () => Array.from(root.querySelectorAll("button.sg-fix, button.sg-action"));
  const setBusy = (value) => {
    busy = value;
    root.setAttribute("aria-busy", value ? "true" : "false");
    for (const button of buttons()) button.disabled = value;
  };
  const run = (button, callback) => {
    if (busy || typeof callback !== "function") return;
    const result = callback();
    if (!result || typeof result.then !== "function") return;
    const label = button.textContent;
    button.textContent = say("view.fix.busy");
    setBusy(true);
    const done = () => {
      button.textContent = label;
      setBusy(false);
      if (button.isConnected) button.focus();
    };
    result.then(done, done);
  };

  function renderRecipients(finding) {
    const recipients = finding.recipients || [];
    const box = element("div", "sg-recipients");
    const listId = "sg-recipients-" + nextId++;
    box.append(element("h" + (level + 2), "sg-label", say("view.recipients", { count: formatCount(recipients.length, lang) })));
    const list = element("ul", "sg-recipient-list");
    list.id = listId;
    const fill = (all) => {
      const shown = all ? recipients : recipients.slice(0, collapseAfter);
      list.replaceChildren(...shown.map((address) => element("li", null, address)));
    };
    fill(false);
    box.append(list);
    if (recipients.length > collapseAfter) {
      const toggle = element("button", "sg-toggle");
      toggle.type = "button";
      toggle.setAttribute("aria-controls", listId);
      let expanded = false;
      const label = () => {
        toggle.setAttribute("aria-expanded", String(expanded));
        toggle.textContent = expanded
          ? say("view.recipients.fewer")
          : say("view.recipients.more", { count: formatCount(recipients.length, lang) });
      };
      toggle.addEventListener("click", () => {
        expanded = !expanded;
        fill(expanded);
        label();
      });
      label();
      box.append(toggle);
    }
    return box;
  }

  function renderFinding(finding) {
    const item = element("li", "sg-finding sg-severity-" + finding.severity);
    item.dataset.rule = finding.rule;
    const title = element("h" + (level + 1), "sg-finding-title");
    title.append(
      element("span", "sg-badge", say("view.severity." + finding.severity)),
      " ",
      element("span", "sg-title-text", pick(finding.title, lang)),
    );
    item.append(title, element("p", "sg-message", pick(finding.message, lang)));
    if (finding.attachment) {
      item.append(element("p", "sg-attachment", say("view.attachment", { name: finding.attachment })));
    }
    if (finding.recipients && finding.recipients.length > 0) item.append(renderRecipients(finding));
    const why = element("p", "sg-why");
    why.append(element("strong", null, say("view.why") + ": "), pick(finding.why, lang));
    item.append(why);
    if (finding.fixes && finding.fixes.length > 0) {
      const group = element("div", "sg-fixes");
      group.setAttribute("role", "group");
      group.setAttribute("aria-label", say("view.fixes"));
      for (const fix of finding.fixes) {
        const button = element("button", "sg-fix", fixLabel(fix, say, lang, settings));
        button.type = "button";
        button.dataset.kind = fix.action && fix.action.kind;
        button.addEventListener("click", () =>
          run(button, settings.onFix && (() => settings.onFix(fix.action, { finding, fix }))),
        );
        group.append(button);
      }
      item.append(group);
    }
    return item;
  }

  function fill(current) {
    root.className = "sg-report sg-verdict-" + current.verdict;
    root.dataset.verdict = current.verdict;
    headline.textContent = pick(current.headline, lang);
    const findings = current.findings || [];
    const parts = [];
    if (findings.length === 0) {
      parts.push(element("p", "sg-empty", say("view.no-findings")));
    } else {
      const list = element("ul", "sg-findings");
      list.setAttribute("aria-label", say("view.findings"));
      list.append(...findings.map(renderFinding));
      parts.push(list);
    }
    const actions = settings.actions || [];
    if (actions.length > 0) {
      const bar = element("div", "sg-actions");
      for (const action of actions) {
        const button = element("button", "sg-action" + (action.primary ? " sg-primary" : ""), pick(action.label, lang));
        button.type = "button";
        if (action.id) button.dataset.action = action.id;
        button.addEventListener("click", () => run(button, action.onSelect));
        bar.append(button);
      }
      parts.push(bar);
    }
    body.replaceChildren(...parts);
    busy = false;
    root.setAttribute("aria-busy", "false");
  }

  fill(report);
  const focus = () => headline.focus();
  if (settings.autofocus !== false) focus();
  return {
    /** Shows a new report (after a fix): the verdict region announces the change. */
    update(next) {
      fill(next);
      if (settings.autofocus !== false) focus();
    },
    /** Removes the view from the container. */
    destroy() {
      root.remove();
    },
    /** Moves focus to the headline. */
    focus,
  };
}
