// Shared by the Chromium tests: axe-core over a page (0 violations, light and dark) and
// screenshots compared with reviewed images checked in under tests/screenshots/.
//
// A screenshot is compared pixel by pixel in a blank Chromium page (canvas, no extra npm
// package): a pixel differs when a channel differs by more than 24 of 255; the images
// match when they have the same size and at most 0.5 % of the pixels differ (antialiasing
// and font hinting move a few). A missing or different image fails the test and leaves the
// new one as tests/artifacts/screenshots/<name>.png beside a diff mask; after looking at
// it, `UPDATE_SCREENSHOTS=1` writes it over the reviewed one.

import assert from "node:assert/strict";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
export const REVIEWED = join(ROOT, "tests", "screenshots");
const FRESH = join(ROOT, "tests", "artifacts", "screenshots");
const AXE_SOURCE = readFileSync(join(ROOT, "node_modules", "axe-core", "axe.min.js"), "utf8");
const CHANNEL_TOLERANCE = 24;
const PIXEL_SHARE = 0.005;

/**
 * Runs axe-core (WCAG 2.0/2.1 A and AA rules and axe's best practices) in `page` and
 * returns its violations as short strings ("color-contrast: .sg-badge (2.1:1)").
 * The script is evaluated through the DevTools protocol, so the page's CSP stays as served.
 */
export async function axeViolations(page, { skip = [] } = {}) {
  await page.evaluate(AXE_SOURCE);
  const result = await page.evaluate(async (skipped) => {
    const outcome = await window.axe.run(document, {
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"] },
      rules: Object.fromEntries(skipped.map((id) => [id, { enabled: false }])),
      resultTypes: ["violations"],
    });
    return outcome.violations.map((violation) => ({
      id: violation.id,
      nodes: violation.nodes.map((node) => node.target.join(" ") + (node.any[0]?.message ? ` (${node.any[0].message})` : "")),
    }));
  }, skip);
  return result.map((violation) => `${violation.id}: ${violation.nodes.slice(0, 3).join("; ")}`);
}

/**
 * Asserts 0 axe violations, naming where (`label`) and what. `options.skip`: rule ids not
 * to run (only for a test's own bare harness page, never for a product page).
 */
export async function assertAccessible(page, label, options) {
  const violations = await axeViolations(page, options);
  assert.deepEqual(violations, [], `${label}: axe-core violations`);
}

/**
 * Takes a screenshot (`options` as for Playwright's `screenshot`, or `locator`) and compares
 * it with tests/screenshots/<name>.png. `browser` opens the blank page for the comparison.
 */
export async function assertScreenshot(browser, page, name, options = {}) {
  const { locator, ...shotOptions } = options;
  const png = locator ? await locator.screenshot({ animations: "disabled", ...shotOptions })
    : await page.screenshot({ animations: "disabled", ...shotOptions });
  const reviewedPath = join(REVIEWED, `${name}.png`);
  mkdirSync(FRESH, { recursive: true });
  writeFileSync(join(FRESH, `${name}.png`), png);
  if (process.env.UPDATE_SCREENSHOTS === "1") {
    mkdirSync(REVIEWED, { recursive: true });
    writeFileSync(reviewedPath, png);
    return;
  }
  assert.ok(existsSync(reviewedPath), `${name}: no reviewed screenshot; look at ${join(FRESH, name + ".png")} and run with UPDATE_SCREENSHOTS=1`);
  const comparison = await compare(browser, readFileSync(reviewedPath), png);
  if (comparison.mask) writeFileSync(join(FRESH, `${name}.diff.png`), Buffer.from(comparison.mask, "base64"));
  assert.ok(
    comparison.sameSize && comparison.share <= PIXEL_SHARE,
    `${name}: differs from the reviewed screenshot (${comparison.detail}); see tests/artifacts/screenshots/`,
  );
}

async function compare(browser, expectedPng, actualPng) {
  const page = await browser.newPage();
  try {
    return await page.evaluate(
      async ({ expected, actual, tolerance }) => {
        const load = (base64) =>
          new Promise((done, fail) => {
            const image = new Image();
            image.onload = () => done(image);
            image.onerror = () => fail(new Error("not a PNG"));
            image.src = "data:image/png;base64," + base64;
          });
        const [a, b] = await Promise.all([load(expected), load(actual)]);
        if (a.width !== b.width || a.height !== b.height) {
          return { sameSize: false, share: 1, detail: `size ${a.width}×${a.height} → ${b.width}×${b.height}` };
        }
        const pixels = (image) => {
          const canvas = document.createElement("canvas");
          canvas.width = image.width;
          canvas.height = image.height;
          const context = canvas.getContext("2d");
          context.drawImage(image, 0, 0);
          return context.getImageData(0, 0, image.width, image.height);
        };
        const pa = pixels(a);
        const pb = pixels(b);
        const mask = document.createElement("canvas");
        mask.width = a.width;
        mask.height = a.height;
        const maskContext = mask.getContext("2d");
        const out = maskContext.createImageData(a.width, a.height);
        let differing = 0;
        for (let i = 0; i < pa.data.length; i += 4) {
          let off = false;
          for (let c = 0; c < 4; c += 1) if (Math.abs(pa.data[i + c] - pb.data[i + c]) > tolerance) off = true;
          if (off) differing += 1;
          out.data[i] = off ? 255 : 0;
          out.data[i + 3] = 255;
        }
        maskContext.putImageData(out, 0, 0);
        const share = differing / (a.width * a.height);
        return {
          sameSize: true,
          share,
          detail: `${differing} of ${a.width * a.height} pixels (${(share * 100).toFixed(2)} %)`,
          mask: differing ? mask.toDataURL("image/png").split(",")[1] : null,
        };
      },
      { expected: expectedPng.toString("base64"), actual: actualPng.toString("base64"), tolerance: CHANNEL_TOLERANCE },
    );
  } finally {
    await page.close();
  }
}
