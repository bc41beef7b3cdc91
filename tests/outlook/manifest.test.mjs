// The Outlook manifests as `sendguard manifest` (the same code as the server's
// /manifest.xml and /manifest.json) renders them from
// addin-outlook/manifest.template.{xml,json}, for both SendModes IT can choose:
// - XML (the validator behind `office-addin-manifest validate` is a web service, so we check
//   it here): well-formed, the elements Smart Alerts needs, every resid defined and used, ids
//   consistent with the handler bundle, every URL on the add-in's host and naming a file the
//   build produced, texts equal to the catalogue's;
// - JSON: `office-addin-manifest validate` with the network cut off (it checks against the
//   schema shipped in the npm package), and the same consistency checks.

import { test, before } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT, BUNDLE } from "./scenarios.mjs";

const BASE = "https://sendguard.corp.example/tools/sendguard";
const DIST = join(ROOT, "dist", "addin-outlook");
const catalogue = JSON.parse(readFileSync(join(ROOT, "addin-outlook/messages.json"), "utf8"));
const rendered = {};

function render(mode) {
  const out = mkdtempSync(join(tmpdir(), "sendguard-manifest-"));
  const cargo = process.env.CARGO || "cargo";
  const result = spawnSync(cargo, ["run", "-q", "--locked", "-p", "sendguard", "--", "manifest", "--url", BASE + "/", "--send-mode", mode, "--out", out, "--root", ROOT], {
    cwd: ROOT,
    encoding: "utf8",
  });
  assert.equal(result.status, 0, result.stderr);
  return { dir: out, xml: readFileSync(join(out, "manifest.xml"), "utf8"), json: readFileSync(join(out, "manifest.json"), "utf8") };
}

before(() => {
  rendered.block = render("block");
  rendered.soft = render("soft-block");
});

// ---- a small, strict XML reader: enough to prove well-formedness and walk the tree ----

const NAME = /^[A-Za-z_][\w.:-]*$/;

function decode(text, where) {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);|&/gi, (match, entity) => {
    if (!entity) throw new Error("bare & in " + where);
    const named = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };
    if (entity[0] === "#") return String.fromCodePoint(entity[1] === "x" ? parseInt(entity.slice(2), 16) : Number(entity.slice(1)));
    if (!(entity in named)) throw new Error("unknown entity &" + entity + "; in " + where);
    return named[entity];
  });
}

function parseXml(text) {
  let i = 0;
  const root = { name: "#document", attrs: {}, children: [] };
  const stack = [root];
  if (text.startsWith("<?xml")) i = text.indexOf("?>") + 2;
  while (i < text.length) {
    if (text.startsWith("<!--", i)) {
      const end = text.indexOf("-->", i + 4);
      if (end < 0) throw new Error("unclosed comment");
      if (text.slice(i + 4, end).includes("--")) throw new Error("-- inside a comment");
      i = end + 3;
    } else if (text.startsWith("</", i)) {
      const end = text.indexOf(">", i);
      const name = text.slice(i + 2, end).trim();
      const open = stack.pop();
      if (!open || open.name !== name) throw new Error("</" + name + "> closes <" + (open && open.name) + ">");
      i = end + 1;
    } else if (text[i] === "<") {
      const match = /^<([^\s/>]+)((?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>/.exec(text.slice(i));
      if (!match) throw new Error("bad tag at " + text.slice(i, i + 60));
      const [whole, name, attrText, selfClosing] = match;
      if (!NAME.test(name)) throw new Error("bad element name " + name);
      const attrs = {};
      for (const attr of attrText.matchAll(/([^\s=]+)\s*=\s*("([^"]*)"|'([^']*)')/g)) {
        if (attr[1] in attrs) throw new Error("duplicate attribute " + attr[1] + " on " + name);
        const raw = attr[3] ?? attr[4];
        if (raw.includes("<")) throw new Error("< in attribute " + attr[1]);
        attrs[attr[1]] = decode(raw, name + "@" + attr[1]);
      }
      const node = { name, attrs, children: [], text: "" };
      stack[stack.length - 1].children.push(node);
      if (!selfClosing) stack.push(node);
      i += whole.length;
    } else {
      const end = text.indexOf("<", i);
      const chunk = text.slice(i, end < 0 ? text.length : end);
      const parent = stack[stack.length - 1];
      if (parent === root && chunk.trim()) throw new Error("text outside the root element");
      parent.text = (parent.text || "") + decode(chunk, parent.name);
      i = end < 0 ? text.length : end;
    }
  }
  if (stack.length !== 1) throw new Error("unclosed <" + stack[stack.length - 1].name + ">");
  if (root.children.length !== 1) throw new Error("not exactly one root element");
  return root.children[0];
}

function all(node, name, out = []) {
  for (const child of node.children) {
    if (child.name === name) out.push(child);
    all(child, name, out);
  }
  return out;
}

function one(node, name) {
  const found = all(node, name);
  assert.equal(found.length, 1, "exactly one <" + name + ">");
  return found[0];
}

/** A URL of the add-in: on BASE, under /outlook/, naming a file the build produced. */
function assertAddinFile(url, what) {
  assert.ok(url.startsWith(BASE + "/outlook/"), what + ": " + url + " is not under " + BASE + "/outlook/");
  const file = join(DIST, url.slice((BASE + "/outlook/").length));
  assert.ok(existsSync(file), what + ": " + url + " names no file in dist/addin-outlook (" + file + ")");
}

// ---- XML ----

test("the XML manifest is well-formed, with the elements Smart Alerts needs, in both SendModes", () => {
  for (const [mode, expected] of [["block", "Block"], ["soft", "SoftBlock"]]) {
    const { xml } = rendered[mode];
    assert.doesNotMatch(xml, /\{\{/, "a placeholder was left");
    const app = parseXml(xml);
    assert.equal(app.name, "OfficeApp");
    assert.equal(app.attrs["xsi:type"], "MailApp");
    assert.match(one(app, "Id").text.trim(), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(one(app, "Permissions").text.trim(), "ReadWriteItem");
    const overrides = all(app, "VersionOverrides");
    assert.deepEqual(overrides.map((o) => o.attrs["xsi:type"]), ["VersionOverridesV1_0", "VersionOverridesV1_1"]);
    assert.equal(overrides[1].attrs.xmlns, "http://schemas.microsoft.com/office/mailappversionoverrides/1.1");
    const sets = all(overrides[1], "bt:Sets")[0];
    assert.equal(sets.attrs.DefaultMinVersion, "1.12", "Smart Alerts needs Mailbox 1.12");
    const runtime = one(app, "Runtime");
    assert.equal(runtime.attrs.resid, "WebViewRuntime.Url");
    const override = one(runtime, "Override");
    assert.deepEqual(override.attrs, { type: "javascript", resid: "JSRuntime.Url" });
    const events = all(app, "LaunchEvent");
    assert.deepEqual(
      events.map((e) => [e.attrs.Type, e.attrs.FunctionName, e.attrs.SendMode]),
      [
        ["OnMessageSend", "onMessageSendHandler", expected],
        ["OnAppointmentSend", "onAppointmentSendHandler", expected],
      ],
    );
    const launchPoint = all(app, "ExtensionPoint").find((p) => p.attrs["xsi:type"] === "LaunchEvent");
    assert.equal(one(launchPoint, "SourceLocation").attrs.resid, "WebViewRuntime.Url");
  }
});

test("XML: every resid is defined once and every resource used; URLs name built files", () => {
  const app = parseXml(rendered.block.xml);
  const resources = one(app, "Resources");
  const defined = new Map();
  for (const kind of ["bt:Image", "bt:Url", "bt:String"]) {
    for (const node of all(resources, kind)) {
      assert.ok(!defined.has(node.attrs.id), "resource " + node.attrs.id + " defined twice");
      defined.set(node.attrs.id, node);
    }
  }
  const used = new Set();
  const walk = (node) => {
    if (node.attrs.resid && node !== resources) used.add(node.attrs.resid);
    node.children.forEach(walk);
  };
  walk(app);
  for (const resid of used) assert.ok(defined.has(resid), "resid " + resid + " is not defined");
  for (const id of defined.keys()) assert.ok(used.has(id), "resource " + id + " is never used");
  for (const node of [...all(resources, "bt:Image"), ...all(resources, "bt:Url")]) assertAddinFile(node.attrs.DefaultValue, node.attrs.id);
  for (const name of ["IconUrl", "HighResolutionIconUrl"]) assertAddinFile(one(app, name).attrs.DefaultValue, name);
  const formLocation = one(one(app, "FormSettings"), "SourceLocation").attrs.DefaultValue;
  assertAddinFile(formLocation, "FormSettings");
  assert.equal(defined.get("JSRuntime.Url").attrs.DefaultValue, BASE + "/outlook/launchevent.js");
  assert.equal(defined.get("Taskpane.Url").attrs.DefaultValue, BASE + "/outlook/taskpane.html");
});

test("XML: task pane controls are the commandIds the handler uses; texts come from the catalogue", () => {
  const app = parseXml(rendered.block.xml);
  const controls = all(app, "Control").map((c) => c.attrs.id);
  assert.deepEqual(controls, ["sendguardOpenPane", "sendguardOpenPaneMeeting"]);
  const bundle = readFileSync(BUNDLE, "utf8");
  for (const id of controls) assert.ok(bundle.includes('"' + id + '"'), "handler bundle names " + id);
  for (const name of ["onMessageSendHandler", "onAppointmentSendHandler"]) assert.ok(bundle.includes('"' + name + '"'));
  const strings = new Map(all(one(app, "Resources"), "bt:String").map((s) => [s.attrs.id, s]));
  const german = (node) => node.children.find((c) => c.name === "bt:Override" && c.attrs.Locale === "de-DE").attrs.Value;
  for (const [id, key] of [["Group.Label", "outlook.manifest.group"], ["Button.Label", "outlook.manifest.button"], ["Button.Tooltip", "outlook.manifest.button.tooltip"]]) {
    assert.equal(strings.get(id).attrs.DefaultValue, catalogue.en[key], id);
    assert.equal(german(strings.get(id)), catalogue.de[key], id + " (de)");
  }
  const description = app.children.find((c) => c.name === "Description");
  assert.equal(description.attrs.DefaultValue, catalogue.en["outlook.manifest.description"]);
  assert.equal(description.children.find((c) => c.name === "Override").attrs.Value, catalogue.de["outlook.manifest.description"]);
});

// ---- JSON ----

function validate(dir, file) {
  const validator = join(ROOT, "node_modules", ".bin", "office-addin-manifest");
  assert.ok(existsSync(validator), "office-addin-manifest is not installed (npm ci)");
  return spawnSync(process.execPath, ["--require", join(ROOT, "tests/outlook/no-network.cjs"), validator, "validate", file], {
    cwd: dir,
    encoding: "utf8",
    timeout: 120_000,
  });
}

test("the unified manifest passes office-addin-manifest validate offline, and a broken one does not", () => {
  for (const mode of ["block", "soft"]) {
    const { dir, json } = rendered[mode];
    assert.doesNotMatch(json, /\{\{/);
    mkdirSync(join(dir, "assets"), { recursive: true });
    for (const icon of ["color.png", "outline.png"]) copyFileSync(join(DIST, "assets", icon), join(dir, "assets", icon));
    const result = validate(dir, "manifest.json");
    assert.equal(result.status, 0, mode + ": " + result.stdout + result.stderr);
    assert.doesNotMatch(result.stdout + result.stderr, /network access attempted/);
  }
  const broken = JSON.parse(rendered.block.json);
  broken.extensions[0].autoRunEvents[0].events[0].options.sendMode = "Block"; // XML spelling: wrong here
  writeFileSync(join(rendered.block.dir, "broken.json"), JSON.stringify(broken));
  const refused = validate(rendered.block.dir, "broken.json");
  assert.notEqual(refused.status, 0, "the validator accepted a wrong sendMode");
});

test("JSON: same add-in id, handlers, controls and built files as the XML manifest", () => {
  const manifest = JSON.parse(rendered.block.json);
  const xmlId = one(parseXml(rendered.block.xml), "Id").text.trim();
  assert.equal(manifest.id, xmlId, "one add-in GUID in both manifests");
  const extension = manifest.extensions[0];
  const events = extension.autoRunEvents[0].events;
  assert.deepEqual(events.map((e) => [e.type, e.actionId, e.options.sendMode]), [
    ["messageSending", "onMessageSendHandler", "block"],
    ["appointmentSending", "onAppointmentSendHandler", "block"],
  ]);
  assert.deepEqual(JSON.parse(rendered.soft.json).extensions[0].autoRunEvents[0].events.map((e) => e.options.sendMode), ["softBlock", "softBlock"]);
  const actions = new Map(extension.runtimes.flatMap((r) => r.actions.map((a) => [a.id, r])));
  for (const event of events) assert.ok(actions.has(event.actionId), event.actionId + " is an action");
  const sendRuntime = actions.get("onMessageSendHandler");
  assert.equal(sendRuntime.code.script, BASE + "/outlook/launchevent.js");
  assertAddinFile(sendRuntime.code.script, "runtime script");
  assertAddinFile(sendRuntime.code.page, "runtime page");
  const controls = extension.ribbons.flatMap((r) => r.tabs.flatMap((t) => t.groups.flatMap((g) => g.controls)));
  assert.deepEqual(controls.map((c) => c.id), ["sendguardOpenPane", "sendguardOpenPaneMeeting"]);
  for (const control of controls) {
    assert.ok(actions.has(control.actionId), control.actionId + " is an action");
    for (const icon of control.icons) assertAddinFile(icon.url, control.id + " icon");
    assert.equal(control.label, catalogue.en["outlook.manifest.button"]);
  }
  assertAddinFile(actions.get("openTaskpane").code.page, "task pane");
  assert.equal(manifest.description.full, catalogue.en["outlook.manifest.description"]);
  assert.equal(manifest.description.short, catalogue.en["outlook.manifest.short-description"]);
});
