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

// Outlook's Markdown for this dialog is a small subset: bold/italic, lists, https links and
// new lines. Microsoft's documentation ("Handle OnMessageSend and OnAppointmentSend events in
// your Outlook add-in with Smart Alerts", section "Limitations to formatting the dialog
// message using Markdown", learn.microsoft.com/office/dev/add-ins/outlook/
// onmessagesend-onappointmentsend-events, from OfficeDev/office-js-docs-pr PR #4417):
//   - "New lines. Use `\n\n` to create a new line."
//   - bulleted list items "begin with a dash (`-`) or asterisk (`*`), add the content, then
//     append `\r` to signify item completion"
//   - "To escape characters in your message, such as an asterisk, add a backslash".
// So: paragraphs joined by "\n\n", each bullet "- text\r", no single "\n" anywhere.
const MARKDOWN_SPECIAL = /[\\`*_{}\[\]()#|<>~]/g;
const BULLET = "• ";

function escapeMarkdown(text) {
  return text.replace(MARKDOWN_SPECIAL, (c) => "\\" + c);
}

/**
 * `text` in at most `max` characters, cut after a whole word (never inside one) with "…".
 * A single word longer than `max` is the only case cut inside a word.
 */
export function clipWords(text, max) {
  if (text.length <= max) return text;
  const room = Math.max(1, max - 1);
  const cut = text.slice(0, room + 1);
  const space = cut.search(/\s\S*$/);
  const head = (space > 0 ? text.slice(0, space) : text.slice(0, room)).replace(/[\s,;:.–-]+$/, "");
  return head + "…";
}

function stopping(report) {
  return (report.findings || []).filter((f) => f.severity === "warn" || f.severity === "block");
}

/** The fixes a finding offers that work on this item (a meeting has no Bcc). */
function usableFixes(finding, appointment) {
  return (finding.fixes || []).filter((fix) => !(appointment && fix.action && fix.action.kind === "move-to-bcc"));
}

/**
 * What the user should do, in one sentence, from the most pressing finding: block before
 * warn, then in report order. Categories, not rules, so a new rule gets a sensible default.
 */
function actionKey(findings, appointment) {
  const ordered = findings.filter((f) => f.severity === "block").concat(findings.filter((f) => f.severity !== "block"));
  const first = ordered[0];
  if (!first) return "outlook.alert.action.default";
  const rule = first.rule;
  // Sensitive data without protection: applying the label (where the policy names one
  // and Outlook can) is the one action that keeps the mail as it is.
  const unprotected = findings.filter((f) => f.rule === "unprotected-sensitive-data")[0];
  if (unprotected && (rule === "unprotected-sensitive-data" || rule.indexOf("personal-data-") === 0)) {
    const label = (unprotected.fixes || []).some((fix) => fix.action && fix.action.kind === "apply-label");
    return label ? "outlook.alert.action.apply-label" : "outlook.alert.action.protect";
  }
  if (rule === "visible-recipients") return appointment ? "outlook.alert.action.meeting-visible" : "outlook.alert.action.bcc";
  if (rule === "attachment-too-large") return "outlook.alert.action.large-file";
  if (first.attachment) return "outlook.alert.action.remove-files";
  if (rule === "blocked-recipient" || rule === "disposable-recipient") return "outlook.alert.action.remove-recipients";
  if (rule === "invalid-recipient") return "outlook.alert.action.correct-recipients";
  if (rule === "content-not-inspected" || rule === "list-not-expanded") return "outlook.alert.action.check-yourself";
  if ((first.recipients || []).length > 0) return "outlook.alert.action.check-recipients";
  return "outlook.alert.action.default";
}

/**
 * One line per problem: all findings about one file make one line ("invoice.pdf.exe:
 * Program attached; Disguised file name"), every other finding its title and what it
 * concerns in plain words ("Recipients can see each other: 41 external addresses").
 */
function problemLines(findings, lang, appointment) {
  const lines = [];
  const byFile = new Map();
  for (const finding of findings) {
    const title = pick(finding.title, lang) || finding.rule;
    if (finding.attachment) {
      if (!byFile.has(finding.attachment)) {
        const entry = { file: finding.attachment, titles: [] };
        byFile.set(finding.attachment, entry);
        lines.push(entry);
      }
      const entry = byFile.get(finding.attachment);
      if (entry.titles.indexOf(title) < 0) entry.titles.push(title);
      continue;
    }
    const count = (finding.recipients || []).length;
    let detail = "";
    if (finding.rule === "visible-recipients") {
      detail = t(lang, appointment ? "outlook.alert.line.attendees" : "outlook.alert.line.visible", { count });
    } else if (count > 0) {
      detail = t(lang, count === 1 ? "outlook.alert.line.recipients.one" : "outlook.alert.line.recipients.other", { count });
    }
    lines.push({ text: detail ? title + ": " + detail : title });
  }
  return lines.map((line) => (line.file !== undefined ? { file: line.file, text: line.titles.join("; ") } : line));
}

/**
 * The message: `lead` (the action and how to get there) as its own paragraph, then one
 * bullet per problem, as many as fit in `max` characters, the rest counted in a last
 * bullet. `format` writes one bullet; `join` puts lead and bullets together. Lines are cut
 * only after whole words.
 */
function fit(lead, lines, max, more, format, join) {
  const kept = [];
  for (let i = 0; i < lines.length; i += 1) {
    const rest = lines.length - i - 1;
    const tail = rest > 0 ? [format({ text: more(rest) })] : [];
    const candidate = kept.concat(format(lines[i]), tail);
    if (join(lead, candidate).length <= max) {
      kept.push(format(lines[i]));
      continue;
    }
    // Too long: this line shortened at a word boundary, if something of it fits.
    const used = join(lead, kept.concat("", tail)).length;
    const room = max - used;
    const line = lines[i];
    const prefix = line.file !== undefined ? line.file + ": " : "";
    if (room - prefix.length > 24) {
      const shortened = { file: line.file, text: clipWords(line.text, room - prefix.length - 8) };
      const tried = kept.concat(format(shortened), tail);
      if (join(lead, tried).length <= max) {
        kept.push(format(shortened));
        continue;
      }
    }
    kept.push(format({ text: more(lines.length - i) }));
    break;
  }
  const text = join(lead, kept);
  return text.length <= max ? text : clipWords(text, max);
}

/**
 * The Smart Alerts answer for `report`.
 * `caps`: `{ mailbox114, mailbox115 }`; `lang`: "en" or "de";
 * `warnedBefore`: this very draft was stopped with a warn before (the user sends it again);
 * `contextData`: a string handed to the task pane when it opens from the dialog;
 * `appointment`: the item is a meeting (no Bcc; its task pane button has its own id);
 * `delayed`: the policy holds this mail after Send (`report.delay`). A warning then asks for
 * Send again instead of Send Anyway, so the handler runs at the real moment of sending and
 * the hold counts from there, not from when the dialog opened.
 *
 * The text leads with what to do ("Put the recipients in Bcc before sending."), says how
 * (the "Fix it" button, only where the pane has a fix for it; Send Anyway for a warning),
 * then lists one line per problem.
 */
export function completionFor(report, { lang, caps, warnedBefore, contextData, appointment, delayed }) {
  const verdict = report.verdict;
  if (verdict === "pass") return { allowEvent: true };
  if (verdict === "warn" && warnedBefore) return { allowEvent: true };

  // "Send Anyway" in Outlook's dialog cannot ask for a reason: only where none is needed.
  const allowed = sendAnywayOf(report);
  const promptUser = allowed.sendAnyway && !allowed.reasonRequired && !(delayed && verdict === "warn");
  const findings = stopping(report);
  const hasFix = findings.some((f) => usableFixes(f, appointment).length > 0);
  const more = (count) => t(lang, "outlook.alert.more", { count });
  const sentences = [t(lang, actionKey(findings, appointment))];
  if (caps.mailbox114) sentences.push(t(lang, hasFix ? "outlook.alert.fix-hint" : "outlook.alert.details-hint"));
  else sentences.push(t(lang, hasFix ? "outlook.alert.fix-hint.ribbon" : "outlook.alert.details-hint.ribbon"));
  if (verdict === "warn") {
    sentences.push(t(lang, caps.mailbox114 && promptUser ? "outlook.alert.warn.anyway" : "outlook.alert.warn.again"));
  }
  const lines = problemLines(findings, lang, appointment);

  const plainLine = (line) => BULLET + (line.file !== undefined ? line.file + ": " : "") + line.text;
  const options = {
    allowEvent: false,
    errorMessage: fit(sentences.join(" "), lines, MAX_MESSAGE, more, plainLine, (lead, kept) => [lead].concat(kept).join("\n")),
  };
  if (caps.mailbox114) {
    options.cancelLabel = clipWords(t(lang, hasFix ? "outlook.alert.fix-label" : "outlook.alert.details-label"), MAX_CANCEL_LABEL);
    options.commandId = appointment ? MEETING_TASKPANE_COMMAND_ID : TASKPANE_COMMAND_ID;
    if (contextData) options.contextData = contextData;
    if (promptUser) options.sendModeOverride = "promptUser";
  }
  if (caps.mailbox115) {
    const lead = "**" + escapeMarkdown(sentences[0]) + "** " + sentences.slice(1).map(escapeMarkdown).join(" ");
    const markdownLine = (line) =>
      "- " + (line.file !== undefined ? "**" + escapeMarkdown(line.file) + "**: " : "") + escapeMarkdown(line.text) + "\r";
    options.errorMessageMarkdown = fit(lead.trim(), lines, MAX_MESSAGE, more, markdownLine, (head, kept) =>
      kept.length ? head + "\n\n" + kept.join("") : head,
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
    errorMessage: clipWords(t(lang, "outlook.alert.checker-failed.closed", { error: describeError(error) }), MAX_MESSAGE),
  };
}
