// The site-only module (sendguard-checker-site.mjs): `.eml` parsing for the playground.
// It must read every corpus file exactly as the CLI's core does, and stay out of the
// add-ins' modules.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { DIST, corpusCases, emlToDraft } from "./support.mjs";

const { parseEml, assessIncident } = await import(`${DIST}/sendguard-checker-site.mjs`);
const { createChecker } = await import(`${DIST}/sendguard-checker.mjs`);

test("parseEml reads every corpus .eml as the core does (drafts and errors)", async () => {
  const cases = corpusCases();
  const expected = emlToDraft(cases.map((c) => c.eml));
  assert.equal(expected.length, cases.length);
  let drafts = 0;
  for (const [i, c] of cases.entries()) {
    const want = JSON.parse(expected[i]);
    const bytes = readFileSync(c.eml);
    if ("error" in want) {
      await assert.rejects(parseEml(bytes), (error) => {
        assert.equal(error.kind, "draft", `${c.name}: ${error.message}`);
        assert.equal(error.message, want.error, c.name);
        return true;
      });
      continue;
    }
    assert.deepEqual(await parseEml(bytes), want, c.name);
    drafts += 1;
  }
  assert.ok(drafts >= 20, `only ${drafts} corpus drafts`);
});

test("assessIncident gives the reviewed register entry of every corpus .eml (default policy)", async () => {
  let compared = 0;
  for (const c of corpusCases()) {
    if (c.policy) continue; // the page runs under the default policy
    const golden = JSON.parse(readFileSync(c.eml.replace(/([^/]+)\.eml$/, "incident/$1.json"), "utf8"));
    const bytes = readFileSync(c.eml);
    if ("error" in golden) {
      await assert.rejects(assessIncident(bytes, { noticed: "2026-12-01T09:00Z" }), (error) => error.message === golden.error);
      continue;
    }
    const { register, papers } = await assessIncident(bytes, { noticed: "2026-12-01T09:00Z", lang: "de" });
    assert.deepEqual({ ...register, checker_version: "(any)" }, golden, c.name);
    assert.match(papers.register_markdown, /Art\. 33 Abs\. 5 DSGVO/, c.name);
    compared += 1;
  }
  assert.ok(compared >= 25, `only ${compared} corpus cases compared`);
  await assert.rejects(assessIncident("To: a@b.example\r\n\r\nx", { noticed: "tomorrow" }), /noticed/);
});

test("parseEml takes bytes, buffers and text; its draft goes straight into check", async () => {
  const eml =
    "From: Anna <anna@corp.example>\r\nCc: \"Doe, Jane\" <jane@gmail.com>, b@web.de\r\n" +
    "Subject: Grüße\r\n\r\nHallo\r\n";
  const bytes = new TextEncoder().encode(eml);
  const draft = await parseEml(bytes);
  assert.deepEqual(draft.cc, [{ name: "Doe, Jane", address: "jane@gmail.com" }, { address: "b@web.de" }]);
  assert.equal(draft.subject, "Grüße");
  assert.deepEqual(await parseEml(bytes.buffer), draft);
  assert.deepEqual(await parseEml(eml), draft);
  assert.deepEqual(await parseEml(new DataView(bytes.buffer)), draft);
  const checker = await createChecker({});
  assert.equal(checker.check(draft).verdict, "warn");
  await assert.rejects(parseEml(42), { kind: "draft" });
  await assert.rejects(parseEml(""), (error) => error.kind === "draft" && /empty/.test(error.message));
  // Still works after rejected input.
  assert.equal((await parseEml(bytes)).from.address, "anna@corp.example");
});

test("the add-ins' modules leave .eml parsing out", () => {
  for (const file of ["sendguard-checker.mjs", "sendguard-checker.cjs", "sendguard-checker.iife.js"]) {
    const code = readFileSync(`${DIST}/${file}`, "utf8");
    assert.doesNotMatch(code, /parseEml|checkEml|sg_check_eml/, file);
  }
  const site = readFileSync(`${DIST}/sendguard-checker-site.mjs`, "utf8");
  assert.match(site, /parseEml/);
  assert.doesNotMatch(site, /sg_check|parseAddresses/, "the site module is the .eml parser only");
});
