// The SEND Inspection Archive in a real browser.
//
//   node tests/browser/run.mjs BASE_URL SCREENSHOT_DIR
//
// Drives Debian's headless Chromium (CHROMIUM_PATH, default /usr/bin/chromium) with
// playwright-core against a running `send-archive serve` at BASE_URL (a loopback address),
// and checks what people do with the site: the search, filter, article and permalink flows;
// keyboard-only use; accessibility with axe-core on every page type; phones at 360x740;
// dark mode contrast; no console errors, no request off the loopback host, and pages that
// work without JavaScript. Full-page screenshots of every page type (desktop and phone,
// light and dark) go to SCREENSHOT_DIR.
//
// Each check is a named step that prints PASS or FAIL with its reasons; the process exits
// non-zero when any failed. BROWSER_CHECKS=REGEX runs only the checks whose names match. `cargo test` runs this through tests/browser.rs, which starts
// the server and installs what is missing.

import { chromium } from "playwright-core";
import { createRequire } from "node:module";
import { readFileSync, mkdirSync } from "node:fs";
import path from "node:path";

const require = createRequire(import.meta.url);
const [BASE, SHOTS] = process.argv.slice(2);
if (!BASE || !SHOTS) {
  console.error("usage: node run.mjs BASE_URL SCREENSHOT_DIR");
  process.exit(2);
}
mkdirSync(SHOTS, { recursive: true });
const BASE_HOST = new URL(BASE).hostname;
const CHROMIUM = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
const TIMEOUT = 30_000;
const AXE_SOURCE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 360, height: 740 };

// ------------------------------------------------------------------ the browser

const browser = await chromium.launch({
  executablePath: CHROMIUM,
  // Playwright gives every launch a fresh, temporary --user-data-dir.
  args: [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
  ],
  timeout: 60_000,
});

// Every request any page makes, and every console error, across the whole run.
const offHost = [];
const consoleErrors = [];
// Responses the suite asks for on purpose with an error status (the 404 and a rejected
// search): Chromium logs "Failed to load resource" for those, which is not a fault.
const expectedErrorUrls = new Set();

/** A browser context with the loopback guard and the console listener on every page. */
async function newContext(options = {}) {
  const context = await browser.newContext({
    viewport: DESKTOP,
    ...options,
  });
  context.setDefaultTimeout(TIMEOUT);
  context.setDefaultNavigationTimeout(TIMEOUT);
  await context.route("**/*", (route) => {
    const url = new URL(route.request().url());
    if (url.hostname === BASE_HOST) {
      return route.continue();
    }
    offHost.push(`${route.request().url()} (from ${route.request().frame().url()})`);
    return route.abort("blockedbyclient");
  });
  context.on("page", (page) => watch(page));
  return context;
}

function watch(page) {
  page.on("console", (message) => {
    if (message.type() !== "error") {
      return;
    }
    const where = message.location().url || page.url();
    if (/Failed to load resource/.test(message.text()) && expectedErrorUrls.has(where)) {
      return;
    }
    consoleErrors.push(`${page.url()}: ${message.text()} (${where})`);
  });
  page.on("pageerror", (error) => consoleErrors.push(`${page.url()}: uncaught ${error.message}`));
}

/** Opens a page in `context` and goes to `url` (relative to BASE). */
async function open(context, url, { status = 200 } = {}) {
  const page = await context.newPage();
  const response = await page.goto(BASE + url, { waitUntil: "load" });
  expect(response, `no response for ${url}`);
  expect(response.status() === status, `${url} answered ${response.status()}, expected ${status}`);
  return page;
}

// ------------------------------------------------------------------ the checks

const results = [];
// BROWSER_CHECKS=REGEX runs only the checks whose names match (while working on one).
const ONLY = process.env.BROWSER_CHECKS ? new RegExp(process.env.BROWSER_CHECKS, "i") : null;

class CheckFailure extends Error {}

function expect(condition, message) {
  if (!condition) {
    throw new CheckFailure(message);
  }
}

/** Runs one named check; failures are collected, never thrown. */
async function check(name, body) {
  if (ONLY && !ONLY.test(name)) {
    return;
  }
  const started = Date.now();
  const notes = [];
  try {
    await body(notes);
    results.push({ name, ok: true });
    console.log(`PASS ${name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  } catch (error) {
    const message = error instanceof CheckFailure ? error.message : error.stack || String(error);
    results.push({ name, ok: false });
    console.log(`FAIL ${name}\n     ${message.replace(/\n/g, "\n     ")}`);
  }
  for (const note of notes) {
    console.log(`     ${note}`);
  }
}

/** Fails with every problem at once rather than the first. */
function expectNone(problems, what) {
  expect(problems.length === 0, `${what}:\n${problems.join("\n")}`);
}

// ------------------------------------------------------------------ the page types

async function getJson(url) {
  const response = await fetch(BASE + url, { headers: { Accept: "application/json" } });
  if (!response.ok) {
    throw new Error(`${url}: ${response.status}`);
  }
  return response.json();
}

// Find real slugs from the JSON API rather than hard-coding them.
const areasJson = await getJson("/api/areas");
const coveredAreas = flattenAreas(areasJson).filter((area) => area.articles > 0);
if (coveredAreas.length === 0) {
  throw new Error("the seed corpus has no area with articles");
}
const area = coveredAreas[0];
const searchJson = await getJson("/api/search?q=waiting+times");
const articleUrl = new URL(searchJson.results[0].url, BASE).pathname;
const themesJson = await getJson("/api/themes");
const theme = themesJson.themes.reduce((best, t) => (t.articles > best.articles ? t : best));
const themeUrl = new URL(theme.url, BASE).pathname;

function flattenAreas(json) {
  const out = [];
  const visit = (value) => {
    if (Array.isArray(value)) {
      value.forEach(visit);
    } else if (value && typeof value === "object") {
      if (typeof value.slug === "string" && typeof value.articles === "number" && value.url) {
        out.push(value);
      } else {
        Object.values(value).forEach(visit);
      }
    }
  };
  visit(json);
  return out;
}

const PAGE_TYPES = [
  { name: "home", url: "/" },
  { name: "search", url: "/search?q=waiting+times" },
  { name: "search-empty", url: "/search?q=zebracrossingxyz" },
  { name: "search-rejected", url: "/search?q=%22unclosed", status: 400 },
  { name: "help", url: "/search/help" },
  { name: "areas", url: "/areas" },
  { name: "area", url: new URL(area.url, BASE).pathname },
  { name: "article", url: articleUrl },
  { name: "themes", url: "/themes" },
  { name: "theme", url: themeUrl },
  { name: "quotes", url: "/quotes" },
  { name: "data", url: "/data" },
  { name: "404", url: "/no/such/page", status: 404 },
];
for (const type of PAGE_TYPES) {
  if (type.status && type.status !== 200) {
    expectedErrorUrls.add(new URL(type.url, BASE).href);
  }
}
console.log(`Server ${BASE}; area ${area.url}; article ${articleUrl}; theme ${themeUrl}`);

// ------------------------------------------------------------------ helpers run in the page

/** Every visible, focusable control in document order, described. */
function visibleControls() {
  const selector =
    "a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex]:not([tabindex='-1'])";
  return Array.from(document.querySelectorAll(selector))
    .filter((el) => {
      if (el.closest("[inert]") || el.disabled) return false;
      // A <summary> is a control only as the first summary of its <details>.
      if (el.tagName === "SUMMARY" && el.parentElement.tagName !== "DETAILS") return false;
      const box = el.getBoundingClientRect();
      return el.checkVisibility({ visibilityProperty: true }) && box.width > 0 && box.height > 0;
    })
    .map((el) => el);
}

// ------------------------------------------------------------------ flows

let filteredSearchUrl = null;
let filteredResultLinks = null;

await check("flow: search 'waiting times' from the home page, results highlighted", async () => {
  const context = await newContext();
  const page = await open(context, "/");
  await page.getByLabel("Search by area, topic or phrase").fill("waiting times");
  await Promise.all([page.waitForURL(/\/search\?q=waiting\+times/), page.keyboard.press("Enter")]);
  const results = page.locator("ol.results > li.result");
  await results.first().waitFor();
  expect((await results.count()) >= 1, "no results");
  const marks = page.locator(".result__snippet b");
  expect((await marks.count()) >= 1, "no highlighted words in the snippets");
  const words = (await marks.allTextContents()).map((t) => t.toLowerCase());
  expect(words.some((w) => /wait|time/.test(w)), `highlights are not the query words: ${words}`);
  // Highlighted visibly: a background of its own, unlike the sentence around it.
  const [markBg, textBg] = await marks.first().evaluate((el) => [
    getComputedStyle(el).backgroundColor,
    getComputedStyle(el.parentElement).backgroundColor,
  ]);
  expect(markBg !== textBg && markBg !== "rgba(0, 0, 0, 0)", `highlight not visible: ${markBg}`);
  await expectSummary(page, await results.count());
  await context.close();
});

/** The status line says how many results there are. */
async function expectSummary(page, shown) {
  const summary = await page.locator("#search-summary").textContent();
  const total = Number((summary.match(/\d+/) || [NaN])[0]);
  expect(total >= shown, `summary "${summary}" does not match ${shown} results shown`);
  return total;
}

await check("flow: narrow by outcome with a facet, then open an article", async () => {
  const context = await newContext();
  const page = await open(context, "/search?q=waiting+times");
  const before = await expectSummary(page, await page.locator("li.result").count());
  const facet = page.locator("nav.facet[aria-labelledby='facet-outcome'] a.facet__value").first();
  await facet.waitFor();
  const facetCount = Number(await facet.locator(".facet__count").evaluate((el) => el.textContent.replace(/\D/g, "")));
  const facetLabel = (await facet.locator(".facet__label").textContent()).trim();
  await Promise.all([page.waitForURL(/[?&]outcome=/), facet.click()]);
  const results = page.locator("ol.results > li.result");
  await results.first().waitFor();
  const after = await expectSummary(page, await results.count());
  expect(after === facetCount, `facet "${facetLabel}" promised ${facetCount}, the search found ${after}`);
  expect(after <= before, `filtering grew the results from ${before} to ${after}`);
  // Every result shown has that outcome.
  const badges = await results.locator(".badge").allTextContents();
  expect(
    badges.length === (await results.count()) && badges.every((b) => b.trim() === facetLabel),
    `results do not all show "${facetLabel}": ${badges}`,
  );
  const chip = page.locator(".active-filters a.chip");
  expect((await chip.count()) === 1, "the filter in use is not shown");
  filteredSearchUrl = page.url();
  filteredResultLinks = await results.locator(".result__title a").evaluateAll((as) => as.map((a) => a.href));
  // Open the first article.
  const first = results.first().locator(".result__title a");
  const title = (await first.textContent()).trim();
  await Promise.all([page.waitForURL(/\/articles\//), first.click()]);
  const h1 = (await page.locator("h1").textContent()).trim();
  expect(h1 === title, `opened "${h1}", expected "${title}"`);
  await context.close();
});

await check("flow: a pasted search URL gives the same results in a new page", async () => {
  expect(filteredSearchUrl, "no search URL from the facet flow");
  const context = await newContext();
  const page = await context.newPage();
  await page.goto(filteredSearchUrl);
  const links = await page.locator("ol.results .result__title a").evaluateAll((as) => as.map((a) => a.href));
  expect(
    JSON.stringify(links) === JSON.stringify(filteredResultLinks),
    `different results:\n${links.join("\n")}\nvs\n${filteredResultLinks.join("\n")}`,
  );
  const chips = await page.locator(".active-filters a.chip").count();
  expect(chips === 1, "the filter is not shown as in use");
  const query = await page.locator("input#q").inputValue();
  expect(query === "waiting times", `search box holds "${query}"`);
  await context.close();
});

/** Waits until the page has stopped scrolling (it may scroll smoothly), then says where
 *  the element is and whether it is marked as the target. "In view" means brought to the
 *  top of the viewport (below its scroll margin), or fully visible when the page cannot
 *  scroll that far. */
async function landedOn(page, id) {
  await page.waitForFunction(
    () => {
      const now = performance.now();
      if (window.__scroll === undefined || window.__scroll.y !== window.scrollY) {
        window.__scroll = { y: window.scrollY, since: now };
      }
      return now - window.__scroll.since > 400;
    },
    null,
    { timeout: TIMEOUT },
  );
  return page.evaluate((id) => {
    delete window.__scroll;
    const el = document.getElementById(id);
    const box = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    const atBottom = window.scrollY + window.innerHeight >= document.documentElement.scrollHeight - 1;
    return {
      inView: (box.top >= -1 && box.top <= window.innerHeight / 4) || (atBottom && box.top >= 0 && box.bottom <= window.innerHeight),
      top: Math.round(box.top),
      scrollY: Math.round(window.scrollY),
      isTarget: el.matches(":target"),
      look: `${style.backgroundColor} | ${style.outlineStyle} ${style.outlineWidth} ${style.outlineColor} | ${style.borderLeftColor}`,
    };
  }, id);
}

await check("flow: a quote permalink (#quote-N) is scrolled into view and visibly marked", async () => {
  const context = await newContext();
  const probe = await open(context, articleUrl);
  const ids = await probe.locator(".quote[id^='quote-']").evaluateAll((qs) => qs.map((q) => q.id));
  expect(ids.length >= 2, `the article has ${ids.length} quotes; need two to compare`);
  await probe.close();
  // The last quote: furthest down the page, so landing on it needs a scroll.
  const id = ids[ids.length - 1];
  const other = ids[0];
  const page = await context.newPage();
  await page.goto(`${BASE}${articleUrl}#${id}`);
  const target = await landedOn(page, id);
  const plain = await landedOn(page, other);
  expect(target.inView, `#${id} was not brought into view: ${JSON.stringify(target)}`);
  expect(target.scrollY > 0, "the page did not scroll to the quote");
  expect(target.isTarget, `#${id} is not :target`);
  expect(!plain.isTarget, `#${other} is :target too`);
  await page.screenshot({ path: path.join(SHOTS, "article-quote-target-desktop.png") });
  // Following "Link to this quote" for another quote moves the mark there.
  const link = page.locator(`#${other} a[href$='#${other}']`);
  await link.scrollIntoViewIfNeeded();
  await Promise.all([page.waitForURL(new RegExp(`#${other}$`)), link.click()]);
  const moved = await landedOn(page, other);
  const left = await landedOn(page, id);
  expect(moved.isTarget && moved.inView, `after following its link, #${other} is not the visible target: ${JSON.stringify(moved)}`);
  expect(!left.isTarget, `#${id} is still :target after the mark moved`);
  // Each quote looks different while it is the target: the mark is visible.
  expect(target.look !== left.look, `#${id} looks the same marked and unmarked: ${target.look}`);
  expect(moved.look !== plain.look, `#${other} looks the same marked and unmarked: ${moved.look}`);
  await context.close();
});

await check("flow: from the quotes page to a quote in its article, on a phone", async () => {
  const context = await newContext({ viewport: PHONE, isMobile: true, hasTouch: true });
  const page = await open(context, "/quotes");
  const link = page.locator(".quote a", { hasText: "Link to this quote" }).last();
  const href = await link.getAttribute("href");
  expect(/#quote-\d+$/.test(href), `the quote link is ${href}`);
  const id = href.split("#")[1];
  await link.scrollIntoViewIfNeeded();
  await Promise.all([page.waitForURL(/\/articles\/.*#quote-\d+$/), link.tap()]);
  const state = await landedOn(page, id);
  expect(state.isTarget && state.inView, `#${id} is not the visible target: ${JSON.stringify(state)}`);
  await page.screenshot({ path: path.join(SHOTS, "article-quote-target-phone.png") });
  await context.close();
});

await check("flow: /areas to an area page, its timeline to a source article", async () => {
  const context = await newContext();
  const page = await open(context, "/areas");
  const areaLink = page.locator(`.area-row a[href='${new URL(area.url, BASE).pathname}']`).first();
  await Promise.all([page.waitForURL(new RegExp(`/areas/${area.slug}$`)), areaLink.click()]);
  const h1 = (await page.locator("h1").textContent()).trim();
  expect(h1 === area.name, `area page heading "${h1}", expected "${area.name}"`);
  const timeline = page.locator("ol.timeline > li");
  expect((await timeline.count()) >= 1, "no inspections in the timeline");
  const source = timeline.first().locator(".sources a").first();
  const title = (await source.textContent()).trim();
  await Promise.all([page.waitForURL(/\/articles\//), source.click()]);
  const articleH1 = (await page.locator("h1").textContent()).trim();
  expect(articleH1 === title, `opened "${articleH1}", expected "${title}"`);
  await context.close();
});

await check("flow: the copy-permalink button copies the article's address", async () => {
  const context = await newContext({ permissions: ["clipboard-read", "clipboard-write"] });
  const page = await open(context, articleUrl);
  const button = page.getByRole("button", { name: "Copy link" });
  await button.waitFor({ state: "visible" });
  const value = await page.locator("#permalink").inputValue();
  expect(value.startsWith(BASE + "/articles/"), `the permalink shown is "${value}"`);
  await button.click();
  await page.locator("[data-copy-status]").filter({ hasText: "Copied" }).waitFor();
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(copied === value, `copied "${copied}", expected "${value}"`);
  await context.close();
});

await check("flow: a query the parser rejects shows the help text", async () => {
  const context = await newContext();
  for (const typed of ['"unclosed', "AND OR"]) {
    const page = await open(context, "/");
    await page.getByLabel("Search by area, topic or phrase").fill(typed);
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.url().includes("/search?")),
      page.keyboard.press("Enter"),
    ]);
    expectedErrorUrls.add(response.url());
    await page.waitForURL(/\/search\?/);
    expect(response.status() === 400, `${typed}: answered ${response.status()}`);
    await page.locator(".hint-box").waitFor();
    expect(await page.locator("table.syntax").isVisible(), `${typed}: no syntax table`);
    expect(await page.locator("main a[href='/search/help']").first().isVisible(), `${typed}: no link to the guide`);
    const shown = await page.locator(".rejected-query__text").textContent();
    expect(shown.includes(typed), `${typed}: shows "${shown}"`);
    const again = await page.locator("main input[name=q]").inputValue();
    expect(again === typed, `${typed}: the search box to try again holds "${again}"`);
    await page.close();
  }
  await context.close();
});

// ------------------------------------------------------------------ keyboard

/** Tabs through the page; returns the focus order and what each focus looked like. */
async function tabThrough(page) {
  // Number the controls in document order and note how each looks without focus.
  const controls = await page.evaluate(
    ({ visibleControlsSource }) => {
      const visibleControls = eval(`(${visibleControlsSource})`);
      const list = visibleControls();
      return list.map((el, i) => {
        el.dataset.kbd = String(i);
        const style = getComputedStyle(el);
        return {
          i,
          what: `${el.tagName.toLowerCase()} "${(el.textContent || el.getAttribute("aria-label") || el.name || "").trim().slice(0, 40)}"`,
          plain: [style.outlineStyle, style.outlineWidth, style.outlineColor, style.boxShadow, style.backgroundColor].join("|"),
        };
      });
    },
    { visibleControlsSource: visibleControls.toString() },
  );
  const order = [];
  const looks = [];
  for (let step = 0; step < controls.length + 10; step++) {
    await page.keyboard.press("Tab");
    // Focus scrolls the control into view (smoothly, where motion is allowed): wait for it.
    await page
      .waitForFunction(() => {
        const box = document.activeElement.getBoundingClientRect();
        const settled = window.__lastScrollY === window.scrollY;
        window.__lastScrollY = window.scrollY;
        return settled && box.bottom > 0 && box.top < window.innerHeight;
      }, null, { timeout: 5_000 })
      .catch(() => {});
    const now = await page.evaluate(() => {
      const el = document.activeElement;
      if (!el || el === document.body) return null;
      const style = getComputedStyle(el);
      const box = el.getBoundingClientRect();
      return {
        i: el.dataset.kbd === undefined ? -1 : Number(el.dataset.kbd),
        what: el.outerHTML.slice(0, 80),
        focusVisible: el.matches(":focus-visible"),
        look: [style.outlineStyle, style.outlineWidth, style.outlineColor, style.boxShadow, style.backgroundColor].join("|"),
        outline: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2 && !/rgba\(\d+, \d+, \d+, 0\)|transparent/.test(style.outlineColor),
        shadow: style.boxShadow !== "none",
        inView: box.bottom > 0 && box.top < window.innerHeight && box.right > 0 && box.left < window.innerWidth,
      };
    });
    if (now === null || (order.length > 0 && now.i === order[0])) {
      break; // back to the start (or out to the browser)
    }
    order.push(now.i);
    looks.push(now);
  }
  return { controls, order, looks };
}

const KEYBOARD_PAGES = PAGE_TYPES.filter((t) => ["home", "search", "area", "article", "quotes", "search-rejected", "404"].includes(t.name));

await check("keyboard: the first Tab reaches the skip link, which moves focus to the main content", async () => {
  const context = await newContext();
  for (const type of KEYBOARD_PAGES) {
    const page = await open(context, type.url, type);
    await page.keyboard.press("Tab");
    const first = await page.evaluate(() => {
      const el = document.activeElement;
      const box = el.getBoundingClientRect();
      return { cls: el.className, text: el.textContent.trim(), top: box.top, height: box.height };
    });
    expect(first.cls === "skip-link", `${type.name}: the first Tab reaches ${JSON.stringify(first)}`);
    expect(first.top >= 0 && first.height >= 24, `${type.name}: the focused skip link is not on screen: ${JSON.stringify(first)}`);
    await page.keyboard.press("Enter");
    await page.waitForFunction(() => document.activeElement && document.activeElement.id === "main");
    expect(page.url().endsWith("#main"), `${type.name}: the skip link went to ${page.url()}`);
    // The next Tab is inside the main content.
    await page.keyboard.press("Tab");
    const inMain = await page.evaluate(() => Boolean(document.activeElement.closest("main")));
    expect(inMain, `${type.name}: the Tab after the skip link is outside <main>`);
    await page.close();
  }
  await context.close();
});

await check("keyboard: every control is reachable with Tab, in document order, and focus is always visible", async (notes) => {
  const context = await newContext();
  const problems = [];
  for (const type of KEYBOARD_PAGES) {
    const page = await open(context, type.url, type);
    const { controls, order, looks } = await tabThrough(page);
    const reached = new Set(order);
    const missed = controls.filter((c) => !reached.has(c.i));
    if (missed.length) {
      problems.push(`${type.name}: not reachable by Tab: ${missed.map((c) => c.what).join(", ")}`);
    }
    const strays = looks.filter((l) => l.i === -1);
    if (strays.length) {
      problems.push(`${type.name}: Tab stops on things that are not visible controls: ${strays.map((l) => l.what).join(", ")}`);
    }
    const numbered = order.filter((i) => i >= 0);
    const sorted = [...numbered].sort((a, b) => a - b);
    if (JSON.stringify(numbered) !== JSON.stringify(sorted)) {
      problems.push(`${type.name}: Tab order differs from document order: ${numbered.join(",")}`);
    }
    for (const look of looks) {
      const plain = controls.find((c) => c.i === look.i);
      const changed = plain && plain.plain !== look.look;
      if (!look.focusVisible || !(look.outline || look.shadow) || !changed || !look.inView) {
        problems.push(`${type.name}: focus not visible on ${look.what} (${look.look}${look.inView ? "" : ", off screen"})`);
      }
    }
    notes.push(`${type.name}: ${order.length} Tab stops, ${controls.length} visible controls`);
    await page.close();
  }
  expectNone(problems, "keyboard problems");
  await context.close();
});

await check("keyboard: search, filter and open an article without a mouse", async () => {
  const context = await newContext();
  const page = await open(context, "/");
  await page.keyboard.press("Tab"); // skip link
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => document.activeElement.id === "main");
  await page.keyboard.press("Tab");
  const focused = await page.evaluate(() => document.activeElement.id);
  expect(focused === "q", `the first control in the home page's content is #${focused}, not the search box`);
  await page.keyboard.type("waiting times");
  await Promise.all([page.waitForURL(/\/search\?q=waiting\+times/), page.keyboard.press("Enter")]);
  // Tab to the first outcome facet and follow it with Enter.
  const facetHref = await page.locator("nav.facet[aria-labelledby='facet-outcome'] a.facet__value").first().getAttribute("href");
  for (let i = 0; i < 200; i++) {
    await page.keyboard.press("Tab");
    const href = await page.evaluate(() => document.activeElement.getAttribute("href"));
    if (href === facetHref) break;
  }
  await Promise.all([page.waitForURL(/outcome=/), page.keyboard.press("Enter")]);
  for (let i = 0; i < 200; i++) {
    await page.keyboard.press("Tab");
    const inResult = await page.evaluate(() => Boolean(document.activeElement.closest(".result__title")));
    if (inResult) break;
  }
  await Promise.all([page.waitForURL(/\/articles\//), page.keyboard.press("Enter")]);
  await context.close();
});

// ------------------------------------------------------------------ accessibility

/** Runs axe-core in the page; returns serious and critical violations, described. */
async function axeViolations(page) {
  // Evaluated through the DevTools protocol, which the page's CSP does not govern; the
  // CSP stays on, so a page that needed inline script or style would still show errors.
  await page.evaluate(AXE_SOURCE);
  const result = await page.evaluate(() =>
    window.axe.run(document, { resultTypes: ["violations"] }),
  );
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.help}\n  ${v.nodes.slice(0, 5).map((n) => `${n.target.join(" ")} — ${n.failureSummary.replace(/\n/g, " ")}`).join("\n  ")}`);
}

for (const scheme of ["light", "dark"]) {
  await check(`accessibility: axe-core finds no serious or critical violation on any page type (${scheme})`, async (notes) => {
    const context = await newContext({ colorScheme: scheme });
    const problems = [];
    for (const type of PAGE_TYPES) {
      const page = await open(context, type.url, type);
      for (const violation of await axeViolations(page)) {
        problems.push(`${type.name} ${type.url}: ${violation}`);
      }
      await page.close();
    }
    notes.push(`${PAGE_TYPES.length} page types: ${PAGE_TYPES.map((t) => t.name).join(", ")}`);
    expectNone(problems, "axe violations");
    await context.close();
  });
}

await check("accessibility: axe-core on a phone, with the search filters collapsed", async () => {
  const context = await newContext({ viewport: PHONE, isMobile: true, hasTouch: true });
  const problems = [];
  for (const type of PAGE_TYPES) {
    const page = await open(context, type.url, type);
    for (const violation of await axeViolations(page)) {
      problems.push(`${type.name}: ${violation}`);
    }
    await page.close();
  }
  expectNone(problems, "axe violations at 360x740");
  await context.close();
});

// ------------------------------------------------------------------ phones

/** Whether an undersized link is exempt as inline: it sits in running text of a sentence
 *  or paragraph (WCAG 2.5.8, "Inline"), i.e. its block holds other words beside it. */
function tapTargetProblems(minimum) {
  const blockOf = (el) => {
    let node = el.parentElement;
    while (node && getComputedStyle(node).display.startsWith("inline")) node = node.parentElement;
    return node;
  };
  const selector = "a[href], button, input:not([type=hidden]), select, textarea, summary";
  const problems = [];
  for (const el of document.querySelectorAll(selector)) {
    const box = el.getBoundingClientRect();
    if (!el.checkVisibility({ visibilityProperty: true }) || box.width === 0 || box.height === 0) continue;
    if (box.width >= minimum && box.height >= minimum) continue;
    const display = getComputedStyle(el).display;
    if (el.tagName === "A" && display === "inline") {
      const block = blockOf(el);
      const others = Array.from(block.querySelectorAll("a[href]")).reduce((text, a) => text.replace(a.textContent, ""), block.textContent);
      if ((others.match(/[A-Za-z]{2,}/g) || []).length >= 2) continue; // inline in running text
    }
    problems.push(`${el.tagName.toLowerCase()} "${(el.textContent || el.name || "").trim().slice(0, 40)}" is ${box.width.toFixed(0)}x${box.height.toFixed(0)} px (in ${el.parentElement.tagName.toLowerCase()}.${el.parentElement.className})`);
  }
  return problems;
}

await check("phones: at 360x740 no page scrolls sideways", async () => {
  const context = await newContext({ viewport: PHONE, isMobile: true, hasTouch: true });
  const problems = [];
  for (const type of PAGE_TYPES) {
    const page = await open(context, type.url, type);
    const size = await page.evaluate(() => {
      const wide = Array.from(document.querySelectorAll("body *"))
        .filter((el) => el.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5)
        .filter((el) => el.checkVisibility() && !el.closest(".visually-hidden"))
        .slice(0, 5)
        .map((el) => `${el.tagName.toLowerCase()}.${el.className} (right ${el.getBoundingClientRect().right.toFixed(0)})`);
      return { scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth, wide };
    });
    if (size.scrollWidth > PHONE.width || size.innerWidth !== PHONE.width) {
      problems.push(`${type.name}: ${size.scrollWidth} px wide in a ${size.innerWidth} px viewport; too wide: ${size.wide.join(", ")}`);
    }
    await page.close();
  }
  expectNone(problems, "pages wider than the phone");
  await context.close();
});

await check("phones: tap targets are at least 24x24 px (inline links in text exempt)", async () => {
  const context = await newContext({ viewport: PHONE, isMobile: true, hasTouch: true });
  const problems = [];
  for (const type of PAGE_TYPES) {
    const page = await open(context, type.url, type);
    for (const problem of await page.evaluate(tapTargetProblems, 24)) {
      problems.push(`${type.name}: ${problem}`);
    }
    await page.close();
  }
  expectNone(problems, `undersized tap targets (${problems.length})`);
  await context.close();
});

await check("phones: the search filters fold away and open with a tap", async () => {
  const context = await newContext({ viewport: PHONE, isMobile: true, hasTouch: true });
  const page = await open(context, "/search?q=waiting+times");
  const details = page.locator("details.facets");
  expect(!(await details.evaluate((d) => d.open)), "the filters start open on a phone");
  await page.locator("details.facets > summary").tap();
  await page.waitForFunction(() => document.querySelector("details.facets").open);
  const facet = page.locator("nav.facet a.facet__value").first();
  expect(await facet.isVisible(), "no filter visible after opening");
  await context.close();
});

// ------------------------------------------------------------------ dark mode

/** Contrast of text against its effective background, for the elements that carry text. */
function contrastProblems() {
  const parse = (color) => {
    const m = color.match(/rgba?\(([^)]+)\)/);
    if (!m) return null;
    const [r, g, b, a = 1] = m[1].split(/[ ,/]+/).filter(Boolean).map(Number);
    return { r, g, b, a };
  };
  const luminance = ({ r, g, b }) => {
    const lin = (c) => {
      c /= 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    };
    return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
  };
  const background = (el) => {
    for (let node = el; node; node = node.parentElement) {
      const bg = parse(getComputedStyle(node).backgroundColor);
      if (bg && bg.a > 0.5) return bg;
    }
    return parse(getComputedStyle(document.documentElement).backgroundColor) || { r: 255, g: 255, b: 255, a: 1 };
  };
  const problems = [];
  const seen = new Set();
  const elements = document.querySelectorAll("body, main p, main li, main a, main h1, main h2, main h3, main dt, main dd, main td, main th, main label, main summary, main blockquote, main figcaption, .site-header *, .site-nav a, .site-footer p, .site-footer a");
  let checked = 0;
  for (const el of elements) {
    if (!el.checkVisibility() || el.closest(".visually-hidden")) continue;
    const ownText = Array.from(el.childNodes).some((n) => n.nodeType === 3 && n.textContent.trim());
    if (!ownText) continue;
    const style = getComputedStyle(el);
    const fg = parse(style.color);
    const bg = background(el);
    const [hi, lo] = [luminance(fg), luminance(bg)].sort((a, b) => b - a);
    const ratio = (hi + 0.05) / (lo + 0.05);
    checked++;
    const large = parseFloat(style.fontSize) >= 24 || (parseFloat(style.fontSize) >= 18.66 && Number(style.fontWeight) >= 700);
    const needed = large ? 3 : 4.5;
    const key = `${el.tagName}.${el.className}|${style.color}|${style.backgroundColor}`;
    if (ratio < needed && !seen.has(key)) {
      seen.add(key);
      problems.push(`${el.tagName.toLowerCase()}.${el.className} "${el.textContent.trim().slice(0, 30)}": ${style.color} on ${JSON.stringify(bg)} is ${ratio.toFixed(2)}:1`);
    }
  }
  return { problems, checked, scheme: matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light", bodyBg: getComputedStyle(document.body).backgroundColor };
}

await check("dark mode: every page type is dark, with text and links at 4.5:1 or more", async (notes) => {
  const problems = [];
  for (const viewport of [DESKTOP, PHONE]) {
    const context = await newContext({ colorScheme: "dark", viewport, isMobile: viewport === PHONE });
    for (const type of PAGE_TYPES) {
      const page = await open(context, type.url, type);
      const result = await page.evaluate(contrastProblems);
      if (result.scheme !== "dark") problems.push(`${type.name}: not in dark mode`);
      const bg = result.bodyBg.match(/\d+/g).slice(0, 3).map(Number);
      if (bg.reduce((a, b) => a + b, 0) > 3 * 80) problems.push(`${type.name}: the background is light in dark mode (${result.bodyBg})`);
      for (const problem of result.problems) problems.push(`${type.name} ${viewport.width}px: ${problem}`);
      if (viewport === DESKTOP) notes.push(`${type.name}: ${result.checked} text elements checked`);
      await page.close();
    }
    await context.close();
  }
  notes.splice(3); // a sample is enough
  expectNone(problems, "low contrast in dark mode");
});

// ------------------------------------------------------------------ without JavaScript

await check("no JavaScript: search, filters, navigation and articles still work", async () => {
  const context = await newContext({ javaScriptEnabled: false });
  const page = await open(context, "/");
  await page.getByLabel("Search by area, topic or phrase").fill("waiting times");
  await Promise.all([page.waitForURL(/\/search\?q=waiting\+times/), page.getByRole("button", { name: "Search" }).click()]);
  expect((await page.locator("li.result").count()) >= 1, "no results without JavaScript");
  expect((await page.locator(".result__snippet b").count()) >= 1, "no highlights without JavaScript");
  const facet = page.locator("nav.facet[aria-labelledby='facet-outcome'] a.facet__value").first();
  expect(await facet.isVisible(), "the filters are not visible without JavaScript");
  await Promise.all([page.waitForURL(/outcome=/), facet.click()]);
  expect((await page.locator("li.result").count()) >= 1, "no results after filtering");
  await Promise.all([page.waitForURL(/\/articles\//), page.locator(".result__title a").first().click()]);
  expect(await page.locator("#permalink").isVisible(), "the permalink is not shown");
  const value = await page.locator("#permalink").inputValue();
  expect(value.includes("/articles/"), `the permalink reads "${value}"`);
  expect(!(await page.getByRole("button", { name: "Copy link" }).isVisible()), "a Copy button that cannot work is shown");
  await Promise.all([page.waitForURL(/\/areas$/), page.locator("nav[aria-label=Main] a", { hasText: "Areas" }).click()]);
  expect((await page.locator(".area-row").count()) > 100, "the areas page lists too few areas");
  // The filters on a phone stay open without the script that folds them.
  const phone = await context.newPage();
  await phone.setViewportSize(PHONE);
  await phone.goto(`${BASE}/search?q=waiting+times`);
  expect(await phone.locator("details.facets").evaluate((d) => d.open), "filters closed on a phone without JavaScript");
  await context.close();
});

// ------------------------------------------------------------------ screenshots

await check("screenshots: every page type at desktop and phone sizes, light and dark", async (notes) => {
  let count = 0;
  for (const [label, options] of [
    ["desktop", { viewport: DESKTOP }],
    ["phone", { viewport: PHONE, isMobile: true, hasTouch: true, deviceScaleFactor: 1 }],
    ["desktop-dark", { viewport: DESKTOP, colorScheme: "dark" }],
    ["phone-dark", { viewport: PHONE, isMobile: true, hasTouch: true, colorScheme: "dark" }],
  ]) {
    const context = await newContext({ reducedMotion: "reduce", ...options });
    for (const type of PAGE_TYPES) {
      const page = await open(context, type.url, type);
      await page.screenshot({ path: path.join(SHOTS, `${type.name}-${label}.png`), fullPage: true });
      count++;
      await page.close();
    }
    await context.close();
  }
  notes.push(`${count} screenshots in ${SHOTS}`);
});

// ------------------------------------------------------------------ the checks' own check

await check("the checks themselves catch planted faults (axe, contrast, tap size, overflow)", async () => {
  const context = await newContext({ viewport: PHONE, isMobile: true, hasTouch: true });
  const page = await open(context, "/search/help");
  await page.evaluate(() => {
    const main = document.querySelector("main");
    const unlabelled = document.createElement("input");
    unlabelled.type = "text";
    const faint = document.createElement("p");
    faint.textContent = "Faint words";
    faint.style.color = "#bbbbbb";
    const tiny = document.createElement("button");
    tiny.textContent = "x";
    Object.assign(tiny.style, { minHeight: "0", padding: "0", fontSize: "8px", lineHeight: "1" });
    const wide = document.createElement("div");
    wide.textContent = "wide";
    wide.style.width = "600px";
    main.prepend(unlabelled, faint, tiny, wide);
  });
  const axe = await axeViolations(page);
  expect(axe.some((v) => v.startsWith("label ")), `axe missed an unlabelled input: ${axe}`);
  expect(axe.some((v) => v.startsWith("color-contrast ")), `axe missed faint text: ${axe}`);
  const contrast = await page.evaluate(contrastProblems);
  expect(contrast.problems.some((p) => p.includes("Faint words")), "the contrast check missed faint text");
  const taps = await page.evaluate(tapTargetProblems, 24);
  expect(taps.some((p) => p.startsWith('button "x"')), `the tap-size check missed a tiny button: ${taps}`);
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width > PHONE.width, "the overflow check would miss a 600 px box");
  await context.close();
});

// ------------------------------------------------------------------ hygiene (last: it sums up every page above)

await check("hygiene: no request left the loopback host", async () => {
  expectNone(offHost, "requests to other hosts");
});

await check("hygiene: no console errors or uncaught exceptions on any page", async () => {
  const context = await newContext();
  for (const type of PAGE_TYPES) {
    const page = await open(context, type.url, type);
    await page.close();
  }
  await context.close();
  expectNone(consoleErrors, "console errors");
});

await browser.close();

const failed = results.filter((r) => !r.ok);
console.log(`\nbrowser checks: ${results.length - failed.length} of ${results.length} passed${failed.length ? `; failed: ${failed.map((r) => r.name).join("; ")}` : ""}`);
process.exit(failed.length ? 1 : 0);
