// How a report becomes the answer to Outlook's Send event (event.completed options), by
// what the client's Mailbox requirement set allows:
//   1.12  allowEvent, errorMessage (≤ 500 characters)
//   1.14  cancelLabel (≤ 20), commandId (opens the task pane), contextData, sendModeOverride
//   1.15  errorMessageMarkdown (≤ 500)
// Verdicts: pass sends. warn stops once: on 1.14+ the dialog offers "Send Anyway"
// (sendModeOverride promptUser); everywhere, sending the same draft again goes through.
// block stops until the draft changes (a block the policy lets users override without a
// reason gets "Send Anyway" too).

import { pick, t } from "./i18n.js";
import { describe, sendAnywayOf } from "../../crates/sendguard-wasm/js/host.mjs";

export const MAX_MESSAGE = 500;
export const MAX_CANCEL_LABEL = 20;
/** The task pane buttons' ids in both manifests (compose a mail, organize a meeting);
 *  commandId must name the one on the item's command surface. */
export const TASKPANE_COMMAND_ID = "sendguardOpenPane";
export const MEETING_TASKPANE_COMMAND_ID = "sendguardOpenPaneMeeting";

const MARKDOWN_SPECIAL = /[\\`*_{}\[\]()#+\-.!|>~<]/g;

function escapeMarkdown(text) {
  return text.replace(MARKDOWN_SPECIAL, (c) => "\\" + c);
}

function clip(text, max) {
  return text.length <= max ? text : text.slice(0, Math.max(0, max - 1)) + "…";
}

/**
 * Lines joined under `head` and above `tail`, as many as fit in `max` characters; the rest
 * counted in a "+N more" line. `format` turns one finding into one line.
 */
function fit(head, lines, tail, max, more) {
  const fixed = [head].concat(tail ? [tail] : []);
  const budget = max - fixed.join("\n").length;
  const kept = [];
  let used = 0;
  for (let i = 0; i < lines.length; i += 1) {
    const rest = lines.length - i - 1;
    const reserve = rest > 0 ? more(rest).length + 1 : 0;
    const line = clip(lines[i], Math.max(20, budget - used - reserve - 1));
    if (used + line.length + 1 + reserve > budget) {
      kept.push(more(lines.length - i));
      break;
    }
    kept.push(line);
    used += line.length + 1;
  }
  return clip([head].concat(kept, tail ? [tail] : []).join("\n"), max);
}

function stopping(report) {
  return (report.findings || []).filter((f) => f.severity === "warn" || f.severity === "block");
}

/**
 * The Smart Alerts answer for `report`.
 * `caps`: `{ mailbox114, mailbox115 }`; `lang`: "en" or "de";
 * `warnedBefore`: this very draft was stopped with a warn before (the user sends it again);
 * `contextData`: a string handed to the task pane when it opens from the dialog;
 * `appointment`: the item is a meeting (its task pane button has its own id).
 */
export function completionFor(report, { lang, caps, warnedBefore, contextData, appointment }) {
  const verdict = report.verdict;
  if (verdict === "pass") return { allowEvent: true };
  if (verdict === "warn" && warnedBefore) return { allowEvent: true };

  // "Send Anyway" in Outlook's dialog cannot ask for a reason: only where none is needed.
  const allowed = sendAnywayOf(report);
  const promptUser = allowed.sendAnyway && !allowed.reasonRequired;
  const findings = stopping(report);
  const more = (count) => t(lang, "outlook.alert.more", { count });
  const head = pick(report.headline, lang) || verdict;
  const hints = [];
  if (verdict === "warn") {
    hints.push(t(lang, caps.mailbox114 ? "outlook.alert.warn.anyway" : "outlook.alert.warn.again"));
  }
  hints.push(t(lang, caps.mailbox114 ? "outlook.alert.fix-hint" : "outlook.alert.fix-hint.ribbon"));
  const tail = hints.join(" ");

  const plain = findings.map((f) => "• " + pick(f.title, lang) + ": " + pick(f.message, lang));
  const options = {
    allowEvent: false,
    errorMessage: fit(head, plain, tail, MAX_MESSAGE, more),
  };
  if (caps.mailbox114) {
    options.cancelLabel = clip(t(lang, "outlook.alert.fix-label"), MAX_CANCEL_LABEL);
    options.commandId = appointment ? MEETING_TASKPANE_COMMAND_ID : TASKPANE_COMMAND_ID;
    if (contextData) options.contextData = contextData;
    if (promptUser) options.sendModeOverride = "promptUser";
  }
  if (caps.mailbox115) {
    const markdown = findings.map(
      (f) => "- **" + escapeMarkdown(pick(f.title, lang)) + "**: " + escapeMarkdown(pick(f.message, lang)),
    );
    options.errorMessageMarkdown = fit(
      "**" + escapeMarkdown(head) + "**",
      markdown,
      escapeMarkdown(tail),
      MAX_MESSAGE,
      (count) => escapeMarkdown(more(count)),
    );
  }
  return options;
}

/** One line of an error, short enough for the dialog. */
export function describeError(error) {
  return describe(error);
}

/**
 * The answer when the check itself failed (the checker threw, could not load, or took too
 * long): fail-open lets the mail go, fail-closed stops it with a clear message.
 */
export function completionForFailure(failMode, error, { lang }) {
  if (failMode !== "fail-closed") return { allowEvent: true };
  return {
    allowEvent: false,
    errorMessage: clip(t(lang, "outlook.alert.checker-failed.closed", { error: describeError(error) }), MAX_MESSAGE),
  };
}
