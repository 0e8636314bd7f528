// Drives the govkg explorer in headless Chromium (Debian's /usr/bin/chromium) with
// playwright-core. Usage: node explorer.mjs BASE_URL OUT_DIR
// Prints one "ok: ..." line per check and exits non-zero on the first failure.
import { chromium } from "playwright-core";
import { mkdirSync } from "node:fs";
import { join } from "node:path";

const [base, outDir] = process.argv.slice(2);
if (!base || !outDir) {
  console.error("usage: node explorer.mjs BASE_URL OUT_DIR");
  process.exit(2);
}
mkdirSync(outDir, { recursive: true });

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
  ],
});
const failures = [];
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  const external = [];
  page.on("request", (r) => {
    const url = r.url();
    if (!url.startsWith(base) && !url.startsWith("blob:") && !url.startsWith("data:")) external.push(url);
  });
  page.on("pageerror", (e) => failures.push(`page error: ${e.message}`));
  page.on("console", (m) => { if (m.type() === "error") console.log(`console error: ${m.text()}`); });

  await page.goto(base + "/", { waitUntil: "networkidle" });
  const names = await page.$$eval("[data-query]", (as) => as.map((a) => a.dataset.query));
  if (!names.length) throw new Error("no stored queries listed");
  console.log(`ok: ${names.length} stored queries listed`);
  const chosen = names.includes("near-central-axis") ? "near-central-axis" : "entities-of-type";
  await page.click(`[data-query="${chosen}"]`);
  await page.waitForSelector("#query-form");
  if (chosen === "near-central-axis") await page.fill("#param-max_distance", "3000");
  await page.click("#query-form button[type=submit]");
  await page.waitForSelector("#results table.results tbody tr", { timeout: 20000 });
  const rows = await page.$$eval("#results table.results tbody tr", (trs) => trs.length);
  if (rows < 1) throw new Error("results table has no rows");
  console.log(`ok: ${chosen} gave ${rows} rows`);
  await page.screenshot({ path: join(outDir, "results.png"), fullPage: true });

  // An entity page from the first result.
  const first = await page.$("#results table.results a.entity");
  if (!first) throw new Error("no entity link in the results");
  await first.click();
  await page.waitForSelector("h2.entity-title", { timeout: 20000 });
  await page.waitForSelector("section.evidence", { timeout: 20000 });
  const title = (await page.textContent("h2.entity-title")).trim();
  const evidence = await page.$$eval("ul.evidence li", (lis) => lis.length);
  if (!/[\u4e00-\u9fff]/.test(title)) throw new Error(`entity title has no Chinese: ${title}`);
  if (evidence < 1) throw new Error("entity page shows no evidence sentences");
  console.log(`ok: entity page ${title} with ${evidence} evidence sentences`);
  await page.waitForSelector("section.graph img.graph-svg", { timeout: 20000 });
  await page.waitForFunction(() => {
    const img = document.querySelector("section.graph img.graph-svg");
    return img && img.complete && img.naturalWidth > 0;
  }, null, { timeout: 20000 });
  console.log("ok: neighbourhood graph drawn");
  const font = await page.evaluate(() => getComputedStyle(document.body).fontFamily);
  if (!font.includes("Noto Sans CJK SC")) throw new Error(`unexpected font stack ${font}`);
  await page.screenshot({ path: join(outDir, "entity.png"), fullPage: true });
  console.log(`ok: screenshot ${join(outDir, "entity.png")}`);

  // The map: Central Axis drawn, near-axis projects highlighted (when the query exists).
  await page.goto(base + "/#/map?max_distance=3000", { waitUntil: "networkidle" });
  await page.waitForSelector("svg.map path.axis", { timeout: 20000 });
  const near = await page.$$eval("svg.map rect.project.near", (r) => r.length);
  const projects = await page.$$eval("svg.map rect.project", (r) => r.length);
  if (names.includes("near-central-axis") && near < 1) throw new Error("no near-axis project highlighted");
  const mapText = await page.textContent("body");
  if (mapText.includes("NaN")) throw new Error("map lists a distance that is not a number");
  console.log(`ok: map with axis, ${projects} projects, ${near} near the axis`);
  await page.screenshot({ path: join(outDir, "map.png"), fullPage: true });

  // An error names the parameter.
  await page.goto(base + "/#/queries/entities-of-type?type=Planet&run=1", { waitUntil: "networkidle" });
  await page.waitForSelector("#results .error");
  const error = await page.textContent("#results .error");
  if (!error.includes("type")) throw new Error(`error does not name the parameter: ${error}`);
  console.log("ok: bad parameter reported");

  if (external.length) throw new Error(`requests left the server: ${external.join(", ")}`);
  console.log("ok: no external requests");
} catch (e) {
  failures.push(e.message);
} finally {
  await browser.close();
}
if (failures.length) {
  for (const f of failures) console.log(`FAIL: ${f}`);
  process.exit(1);
}
console.log("browser: all checks passed");
