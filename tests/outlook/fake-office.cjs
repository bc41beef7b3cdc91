// A stand-in for Office.js in Outlook compose mode, strict where Microsoft documents a limit,
// so the tests fail where real Outlook would refuse or ignore something:
//
// - recipients: setAsync/addAsync take at most 100 per call (else NumberOfRecipientsExceeded);
//   a field holds at most 500 in classic Outlook on Windows (platform "PC");
// - APIs exist only from their Mailbox requirement set (from 1.7, attachments 1.8,
//   sessionData 1.11, urls.javascriptRuntimeUrl 1.14, getInitializationContextAsync 1.14);
// - event.completed: called once; options by requirement set (1.12 allowEvent, errorMessage;
//   1.14 cancelLabel, commandId, contextData, sendModeOverride; 1.15 errorMessageMarkdown);
//   errorMessage and errorMessageMarkdown ≤ 500 characters, cancelLabel ≤ 20, commandId one
//   of the manifest's controls, sendModeOverride only "promptUser";
// - notification messages ≤ 150 characters;
// - sensitivity labels (Mailbox 1.13): `item.sensitivityLabel.getAsync` gives the applied
//   label's GUID ("" for none), `setAsync` takes a GUID or a SensitivityLabelDetails object
//   of the catalogue (anything else fails); `Office.context.sensitivityLabelsCatalog`
//   answers `getIsEnabledAsync` and, only when enabled, `getAsync` with the labels
//   (`{id, name, tooltip, color, children}`).
// - item.delayDeliveryTime (messages only, Mailbox 1.13): setAsync takes a Date in the future;
//   every call is recorded in `state.deliveryTimes` ({ at, setAt } in ms since the epoch).
// Faults a real client shows now and then can be injected per call (`faults`, by call name:
// "to.getAsync", "body.getAsync", "getAttachmentsAsync", "getAttachmentContentAsync", …):
// "fail" (a failed AsyncResult), "hang" (the callback never comes) or a number (answer
// after that many ms). Attachments may be inline, attached items (format "eml") or cloud
// files (format "url"); recipients may be contact groups ("distributionList") without an
// address.
// Anything refused is recorded in `violations` (a test asserts it is empty) and, for calls
// Outlook fails, answered with a failed AsyncResult like Outlook's.
//
// Loaded by Node tests (require) and, in the browser test, in place of Office.js from the CDN.

(function (root) {
  "use strict";

  const PER_CALL = 100;
  const CLASSIC_FIELD_LIMIT = 500;
  const MAX_MESSAGE = 500;
  const MAX_CANCEL_LABEL = 20;
  const MAX_NOTIFICATION = 150;
  const COMPLETED_OPTIONS = [
    ["allowEvent", "1.12"],
    ["errorMessage", "1.12"],
    ["cancelLabel", "1.14"],
    ["commandId", "1.14"],
    ["contextData", "1.14"],
    ["sendModeOverride", "1.14"],
    ["errorMessageMarkdown", "1.15"],
  ];

  function versionAtLeast(have, want) {
    const a = String(have).split(".").map(Number);
    const b = String(want).split(".").map(Number);
    for (let i = 0; i < Math.max(a.length, b.length); i += 1) {
      const x = a[i] || 0;
      const y = b[i] || 0;
      if (x !== y) return x > y;
    }
    return true;
  }

  function details(entry) {
    if (typeof entry === "string") return { displayName: entry, emailAddress: entry, recipientType: "externalUser" };
    const out = {
      displayName: entry.displayName || entry.name || entry.emailAddress || entry.address,
      recipientType: entry.recipientType || "externalUser",
    };
    // A contact group or an unresolved entry may come without an address.
    const address = entry.emailAddress || entry.address;
    if (address) out.emailAddress = address;
    return out;
  }

  /**
   * What Outlook's Smart Alerts Markdown does not take (Microsoft's "Limitations to
   * formatting the dialog message using Markdown"): a new line is "\n\n" (a single "\n"
   * is not one), a list item starts with "- " or "* " and ends with "\r", "\r" ends list
   * items only, links are [text](https://…) (no <…> form), and nothing else (no headings,
   * no code, no tables).
   */
  function markdownProblems(text) {
    const problems = [];
    if (/(^|[^\n])\n([^\n]|$)/.test(text)) problems.push("has a single \\n (Outlook wants \\n\\n between lines)");
    if (/\n\n\n/.test(text)) problems.push("has an empty paragraph (\\n\\n\\n)");
    for (const paragraph of text.split("\n\n")) {
      if (/^[-*] /.test(paragraph)) {
        if (!paragraph.endsWith("\r")) problems.push("list does not end its last item with \\r: " + JSON.stringify(paragraph.slice(-40)));
        for (const item of paragraph.split("\r").slice(0, -1)) {
          if (!/^[-*] \S/.test(item)) problems.push("list item without its dash: " + JSON.stringify(item.slice(0, 40)));
        }
        if (paragraph.split("\r").slice(-1)[0] !== "") problems.push("text after the last list item's \\r");
      } else if (paragraph.includes("\r")) {
        problems.push("\\r outside a list: " + JSON.stringify(paragraph.slice(0, 40)));
      }
      if (/^#{1,6} /m.test(paragraph)) problems.push("heading (not supported)");
      if (/(^|[^\\])`/.test(paragraph)) problems.push("code span (not supported)");
    }
    if (/(^|[^\\])<https?:/.test(text)) problems.push("angle-bracket link (not supported)");
    for (const match of text.matchAll(/(^|[^\\])\]\(([^)]*)\)/g)) {
      if (!/^https:\/\//.test(match[2])) problems.push("link that is not https: " + match[2]);
    }
    return problems;
  }

  function create(options) {
    const o = Object.assign(
      {
        mailbox: "1.15",
        platform: "OfficeOnline",
        hostName: "OutlookWebApp",
        displayLanguage: "en-US",
        itemType: "message",
        from: { displayName: "Anna Admin", emailAddress: "anna.admin@example.com" },
        to: [],
        cc: [],
        bcc: [],
        subject: "",
        body: "",
        attachments: [],
        javascriptRuntimeUrl: null,
        roaming: {},
        officeRuntimeStorage: true,
        storage: {},
        controlIds: ["sendguardOpenPane", "sendguardOpenPaneMeeting"],
        asyncDelayMs: 0,
        faults: {},
        labels: null,
        labelsEnabled: true,
        label: "",
      },
      options || {},
    );
    const supports = (version) => versionAtLeast(o.mailbox, version);
    const fieldLimit = o.platform === "PC" ? CLASSIC_FIELD_LIMIT : Infinity;
    const log = [];
    const violations = [];
    const handlers = {};
    const state = {
      to: o.to.map(details),
      cc: o.cc.map(details),
      bcc: o.bcc.map(details),
      subject: o.subject,
      sessionData: {},
      notifications: {},
      deliveryTimes: [],
      roaming: Object.assign({}, o.roaming),
      storage: Object.assign({}, o.storage),
      completions: [],
      label: o.label,
    };
    const appointment = o.itemType === "appointment";

    function split(args) {
      let opts = {};
      let callback = null;
      for (const arg of args) {
        if (typeof arg === "function") callback = arg;
        else if (arg && typeof arg === "object") opts = arg;
      }
      return { opts, callback };
    }

    const ok = (value) => ({ status: "succeeded", value });
    const failed = (name, message, code) => ({ status: "failed", value: undefined, error: { name, message, code } });

    function answer(callback, opts, result, call) {
      result.asyncContext = opts.asyncContext;
      const fault = call ? o.faults[call] : undefined;
      if (fault === "hang") {
        log.push({ call: call + " (hangs)" });
        return;
      }
      if (fault === "fail") result = failed("GenericResponseError", call + " failed (injected)", 9020);
      const delay = typeof fault === "number" ? fault : o.asyncDelayMs;
      setTimeout(() => {
        if (callback) callback(result);
      }, delay);
    }

    function recipients(field) {
      function checkedList(list, method) {
        if (!Array.isArray(list)) {
          violations.push(field + "." + method + ": recipients must be an array");
          return null;
        }
        for (const entry of list) {
          const address = typeof entry === "string" ? entry : entry && (entry.emailAddress || entry.address);
          if (!address || !String(address).includes("@")) {
            violations.push(field + "." + method + ": not an address: " + JSON.stringify(entry));
            return null;
          }
        }
        return list.map(details);
      }
      return {
        getAsync(...args) {
          const { opts, callback } = split(args);
          log.push({ call: field + ".getAsync" });
          answer(callback, opts, ok(state[field].map((r) => Object.assign({}, r))), field + ".getAsync");
        },
        setAsync(list, ...args) {
          const { opts, callback } = split(args);
          log.push({ call: field + ".setAsync", count: Array.isArray(list) ? list.length : -1 });
          const entries = checkedList(list, "setAsync");
          if (!entries) return answer(callback, opts, failed("InvalidFormatError", "bad recipients", 9000));
          if (entries.length > PER_CALL) {
            violations.push(field + ".setAsync with " + entries.length + " recipients (at most " + PER_CALL + ")");
            return answer(callback, opts, failed("NumberOfRecipientsExceeded", "The number of recipients exceeded 100 entries.", 9041));
          }
          if (entries.length > fieldLimit) {
            return answer(callback, opts, failed("NumberOfRecipientsExceeded", "Too many recipients in this field.", 9041));
          }
          state[field] = entries;
          answer(callback, opts, ok(undefined));
        },
        addAsync(list, ...args) {
          const { opts, callback } = split(args);
          log.push({ call: field + ".addAsync", count: Array.isArray(list) ? list.length : -1 });
          const entries = checkedList(list, "addAsync");
          if (!entries) return answer(callback, opts, failed("InvalidFormatError", "bad recipients", 9000));
          if (entries.length > PER_CALL) {
            violations.push(field + ".addAsync with " + entries.length + " recipients (at most " + PER_CALL + ")");
            return answer(callback, opts, failed("NumberOfRecipientsExceeded", "The number of recipients exceeded 100 entries.", 9041));
          }
          if (state[field].length + entries.length > fieldLimit) {
            violations.push(field + " would hold " + (state[field].length + entries.length) + " recipients (classic Outlook: at most " + fieldLimit + ")");
            return answer(callback, opts, failed("NumberOfRecipientsExceeded", "Too many recipients in this field.", 9041));
          }
          state[field] = state[field].concat(entries);
          answer(callback, opts, ok(undefined));
        },
      };
    }

    function getter(name, value) {
      return {
        getAsync(...args) {
          const { opts, callback } = split(args);
          log.push({ call: name + ".getAsync" });
          answer(callback, opts, ok(typeof value === "function" ? value() : value));
        },
      };
    }

    const item = {
      itemType: appointment ? "appointment" : "message",
      subject: {
        getAsync(...args) {
          const { opts, callback } = split(args);
          answer(callback, opts, ok(state.subject), "subject.getAsync");
        },
        setAsync(text, ...args) {
          const { opts, callback } = split(args);
          state.subject = text;
          answer(callback, opts, ok(undefined));
        },
      },
      body: {
        getAsync(coercionType, ...args) {
          const { opts, callback } = split(args);
          if (coercionType !== "text" && coercionType !== "html") violations.push("body.getAsync: bad coercion type " + coercionType);
          answer(callback, opts, ok(o.body), "body.getAsync");
        },
      },
      notificationMessages: {
        replaceAsync(key, message, ...args) {
          const { opts, callback } = split(args);
          log.push({ call: "notificationMessages.replaceAsync", key, message });
          if (!message || typeof message.message !== "string" || message.message.length > MAX_NOTIFICATION) {
            violations.push("notification message longer than " + MAX_NOTIFICATION + " characters");
            return answer(callback, opts, failed("DataExceedsMaximumSize", "too long", 9000));
          }
          if (message.type === "informationalMessage" && (!message.icon || typeof message.persistent !== "boolean")) {
            violations.push("informational notification without icon and persistent");
          }
          state.notifications[key] = message;
          answer(callback, opts, ok(undefined));
        },
      },
    };
    if (appointment) {
      item.requiredAttendees = recipients("to");
      item.optionalAttendees = recipients("cc");
      item.organizer = getter("organizer", o.from);
    } else {
      item.to = recipients("to");
      item.cc = recipients("cc");
      item.bcc = recipients("bcc");
      if (supports("1.7")) item.from = getter("from", o.from);
      if (supports("1.13")) {
        item.delayDeliveryTime = {
          getAsync(...args) {
            const { opts, callback } = split(args);
            const last = state.deliveryTimes[state.deliveryTimes.length - 1];
            answer(callback, opts, ok(last ? new Date(last.at) : 0), "delayDeliveryTime.getAsync");
          },
          setAsync(datetime, ...args) {
            const { opts, callback } = split(args);
            const setAt = Date.now();
            log.push({ call: "delayDeliveryTime.setAsync" });
            // A Date from another realm (the handler's VM context) is still a Date.
            if (Object.prototype.toString.call(datetime) !== "[object Date]" || Number.isNaN(datetime.getTime())) {
              violations.push("delayDeliveryTime.setAsync: not a Date: " + String(datetime));
              return answer(callback, opts, failed("InvalidFormatError", "not a date", 9000));
            }
            if (datetime.getTime() <= setAt) violations.push("delayDeliveryTime.setAsync: a time in the past");
            // An injected failure or hang: Outlook did not take the time.
            const fault = o.faults["delayDeliveryTime.setAsync"];
            if (fault !== "fail" && fault !== "hang") state.deliveryTimes.push({ at: datetime.getTime(), setAt });
            answer(callback, opts, ok(undefined), "delayDeliveryTime.setAsync");
          },
        };
      }
    }
    if (supports("1.8")) {
      item.getAttachmentsAsync = function (...args) {
        const { opts, callback } = split(args);
        log.push({ call: "getAttachmentsAsync" });
        answer(
          callback,
          opts,
          ok(
            o.attachments.map((a, index) => ({
              id: "att" + index,
              name: a.name,
              contentType: a.contentType || "application/octet-stream",
              size: a.size != null ? a.size : Math.floor(((a.contentBase64 || "").length * 3) / 4),
              attachmentType: a.attachmentType || "file",
              isInline: Boolean(a.isInline),
            })),
          ),
          "getAttachmentsAsync",
        );
      };
      item.getAttachmentContentAsync = function (id, ...args) {
        const { opts, callback } = split(args);
        log.push({ call: "getAttachmentContentAsync", id });
        const a = o.attachments[Number(String(id).slice(3))];
        if (!a) return answer(callback, opts, failed("InvalidAttachmentId", "no such attachment", 9000));
        const kind = a.attachmentType || "file";
        const content =
          kind === "item"
            ? { format: "eml", content: "Subject: attached\r\n\r\nhello" }
            : kind === "cloud"
              ? { format: "url", content: "https://files.example/share/1" }
              : { format: "base64", content: a.contentBase64 || "" };
        answer(callback, opts, ok(content), "getAttachmentContentAsync");
      };
    }
    if (supports("1.11")) {
      item.sessionData = {
        getAsync(name, ...args) {
          const { opts, callback } = split(args);
          if (Object.prototype.hasOwnProperty.call(state.sessionData, name)) answer(callback, opts, ok(state.sessionData[name]));
          else answer(callback, opts, failed("ItemNotFound", "not set", 9000));
        },
        setAsync(name, value, ...args) {
          const { opts, callback } = split(args);
          if (typeof value !== "string") violations.push("sessionData values are strings");
          state.sessionData[name] = String(value);
          answer(callback, opts, ok(undefined));
        },
        removeAsync(name, ...args) {
          const { opts, callback } = split(args);
          delete state.sessionData[name];
          answer(callback, opts, ok(undefined));
        },
      };
    }
    if (supports("1.14")) {
      item.getInitializationContextAsync = function (...args) {
        const { opts, callback } = split(args);
        answer(callback, opts, ok(state.initializationContext || null));
      };
    }

    const catalogLabels = [];
    (function collect(list) {
      for (const label of list || []) {
        catalogLabels.push(label);
        collect(label.children);
      }
    })(o.labels);
    const labelsOn = () => Array.isArray(o.labels) && o.labelsEnabled;
    if (supports("1.13")) {
      item.sensitivityLabel = {
        getAsync(...args) {
          const { opts, callback } = split(args);
          log.push({ call: "sensitivityLabel.getAsync" });
          answer(callback, opts, ok(state.label), "sensitivityLabel.getAsync");
        },
        setAsync(label, ...args) {
          const { opts, callback } = split(args);
          log.push({ call: "sensitivityLabel.setAsync", label });
          const id = typeof label === "string" ? label : label && typeof label === "object" ? label.id : undefined;
          if (typeof id !== "string") {
            violations.push("sensitivityLabel.setAsync: needs a GUID or a SensitivityLabelDetails object");
            return answer(callback, opts, failed("InvalidFormatError", "bad label", 9000));
          }
          if (!labelsOn() || !catalogLabels.some((entry) => entry.id === id)) {
            return answer(callback, opts, failed("InvalidSensitivityLabel", "the label is not in the catalogue", 9000), "sensitivityLabel.setAsync");
          }
          state.label = id;
          answer(callback, opts, ok(undefined), "sensitivityLabel.setAsync");
        },
      };
    }

    const roamingSettings = {
      get: (name) => state.roaming[name],
      set: (name, value) => {
        state.roaming[name] = value;
      },
      remove: (name) => {
        delete state.roaming[name];
      },
      saveAsync(...args) {
        const { opts, callback } = split(args);
        const size = JSON.stringify(state.roaming).length;
        if (size > 32 * 1024) {
          violations.push("roaming settings over 32 KB");
          return answer(callback, opts, failed("SettingsSizeExceeded", "too large", 9000));
        }
        answer(callback, opts, ok(undefined));
      },
    };

    const context = {
      displayLanguage: o.displayLanguage,
      diagnostics: { platform: o.platform, hostName: "Outlook", version: "16.0.0.0" },
      requirements: {
        isSetSupported: (name, version) => String(name).toLowerCase() === "mailbox" && versionAtLeast(o.mailbox, version || "1.1"),
      },
      mailbox: {
        item,
        diagnostics: { hostName: o.hostName, hostVersion: "16.0.0.0" },
        userProfile: { emailAddress: o.from.emailAddress, displayName: o.from.displayName },
      },
      roamingSettings,
    };
    if (supports("1.13")) {
      context.sensitivityLabelsCatalog = {
        getIsEnabledAsync(...args) {
          const { opts, callback } = split(args);
          log.push({ call: "sensitivityLabelsCatalog.getIsEnabledAsync" });
          answer(callback, opts, ok(labelsOn()), "sensitivityLabelsCatalog.getIsEnabledAsync");
        },
        getAsync(...args) {
          const { opts, callback } = split(args);
          log.push({ call: "sensitivityLabelsCatalog.getAsync" });
          if (!labelsOn()) return answer(callback, opts, failed("GenericResponseError", "the label catalogue is not enabled", 9000));
          answer(callback, opts, ok(JSON.parse(JSON.stringify(o.labels))), "sensitivityLabelsCatalog.getAsync");
        },
      };
    }
    if (supports("1.14") && o.javascriptRuntimeUrl) context.urls = { javascriptRuntimeUrl: o.javascriptRuntimeUrl };
    // Office.context.officeTheme, as Outlook's light ("Colorful"/"White") and dark themes give it.
    if (o.officeTheme === "dark") {
      context.officeTheme = { bodyBackgroundColor: "#262626", bodyForegroundColor: "#ffffff", controlBackgroundColor: "#333333", controlForegroundColor: "#ffffff" };
    } else if (o.officeTheme === "light") {
      context.officeTheme = { bodyBackgroundColor: "#ffffff", bodyForegroundColor: "#262626", controlBackgroundColor: "#ffffff", controlForegroundColor: "#262626" };
    }

    const Office = {
      context,
      AsyncResultStatus: { Succeeded: "succeeded", Failed: "failed" },
      CoercionType: { Text: "text", Html: "html" },
      MailboxEnums: {
        ItemType: { Message: "message", Appointment: "appointment" },
        ItemNotificationMessageType: {
          InformationalMessage: "informationalMessage",
          ErrorMessage: "errorMessage",
          ProgressIndicator: "progressIndicator",
        },
        SendModeOverride: { PromptUser: "promptUser" },
      },
      actions: {
        associate(name, handler) {
          if (typeof handler !== "function") violations.push("Office.actions.associate(" + name + ") without a function");
          handlers[name] = handler;
        },
      },
      onReady(callback) {
        const info = { host: "Outlook", platform: o.platform };
        return new Promise((resolve) => {
          setTimeout(() => {
            if (callback) callback(info);
            resolve(info);
          }, 0);
        });
      },
    };

    const OfficeRuntime = o.officeRuntimeStorage
      ? {
          storage: {
            getItem: (key) => Promise.resolve(Object.prototype.hasOwnProperty.call(state.storage, key) ? state.storage[key] : null),
            setItem: (key, value) => {
              if (typeof value !== "string") violations.push("OfficeRuntime.storage values are strings");
              state.storage[key] = value;
              return Promise.resolve();
            },
            removeItem: (key) => {
              delete state.storage[key];
              return Promise.resolve();
            },
          },
        }
      : undefined;

    function checkCompleted(options) {
      const problems = [];
      if (!options || typeof options !== "object") return ["event.completed without options"];
      for (const key of Object.keys(options)) {
        const known = COMPLETED_OPTIONS.find((entry) => entry[0] === key);
        if (!known) problems.push("event.completed: unknown option " + key);
        else if (!supports(known[1])) problems.push("event.completed: " + key + " needs Mailbox " + known[1] + " (client has " + o.mailbox + ")");
      }
      if (typeof options.allowEvent !== "boolean") problems.push("event.completed: allowEvent must be a boolean");
      for (const key of ["errorMessage", "errorMessageMarkdown"]) {
        if (options[key] !== undefined && (typeof options[key] !== "string" || options[key].length > MAX_MESSAGE)) {
          problems.push("event.completed: " + key + " longer than " + MAX_MESSAGE + " characters (" + String(options[key]).length + ")");
        }
      }
      if (typeof options.errorMessageMarkdown === "string") {
        for (const problem of markdownProblems(options.errorMessageMarkdown)) problems.push("event.completed: errorMessageMarkdown " + problem);
      }
      for (const key of ["errorMessage", "errorMessageMarkdown"]) {
        if (typeof options[key] === "string" && /\S…\S/.test(options[key])) problems.push("event.completed: " + key + " cut inside a word");
      }
      if (options.cancelLabel !== undefined && String(options.cancelLabel).length > MAX_CANCEL_LABEL) {
        problems.push("event.completed: cancelLabel longer than " + MAX_CANCEL_LABEL);
      }
      if (options.commandId !== undefined && !o.controlIds.includes(options.commandId)) {
        problems.push("event.completed: commandId " + options.commandId + " is not a control in the manifest");
      }
      if (options.contextData !== undefined && options.commandId === undefined) {
        problems.push("event.completed: contextData without commandId is ignored");
      }
      if (options.sendModeOverride !== undefined && options.sendModeOverride !== "promptUser") {
        problems.push("event.completed: sendModeOverride can only be promptUser");
      }
      if (options.allowEvent === true) {
        for (const key of Object.keys(options)) {
          if (key !== "allowEvent") problems.push("event.completed: " + key + " has no effect with allowEvent true");
        }
      }
      return problems;
    }

    /** Clicks Send: runs the handler the manifest names; resolves when it completes. */
    function send(timeoutMs) {
      const name = appointment ? "onAppointmentSendHandler" : "onMessageSendHandler";
      const handler = handlers[name];
      if (!handler) return Promise.reject(new Error("no handler associated for " + name));
      const started = Date.now();
      return new Promise((resolve, reject) => {
        let done = false;
        const timer = setTimeout(() => {
          if (!done) reject(new Error(name + " did not call event.completed within " + (timeoutMs || 10000) + " ms"));
        }, timeoutMs || 10000);
        const event = {
          type: appointment ? "appointmentSend" : "messageSend",
          completed(options) {
            if (done) {
              violations.push("event.completed called more than once");
              return;
            }
            done = true;
            clearTimeout(timer);
            violations.push(...checkCompleted(options));
            const record = { options, ms: Date.now() - started };
            state.completions.push(record);
            resolve(record);
          },
        };
        try {
          handler(event);
        } catch (error) {
          violations.push("handler threw: " + error.message);
        }
      });
    }

    return { Office, OfficeRuntime, state, log, violations, handlers, send, options: o };
  }

  const api = { create, versionAtLeast, markdownProblems, PER_CALL, CLASSIC_FIELD_LIMIT };
  if (typeof module !== "undefined" && module.exports) module.exports = api;
  else root.SendguardFakeOffice = api;
})(typeof globalThis !== "undefined" ? globalThis : this);
