// End-to-end test of the search page in Debian's Chromium, driven by
// playwright-core (which downloads no browser).  Run by run.sh:
//   node search.mjs BASE_URL SCREENSHOT.png [DOCS_SCREENSHOT.png]
// A person's path: type a query, submit, find the seed press release, pick a
// district filter, see the count change, open the document.  Then the same
// without JavaScript, since the page must work as a plain form and links.
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

const [base, shot, docsShot] = process.argv.slice(2);
const SEED = 'Netzwerktreffen der Bildungskoordinatoren in Mittelsachsen';
let passed = 0;
let failed = 0;

function check(cond, what) {
	if (cond) {
		passed++;
	} else {
		failed++;
		console.error(`FAIL: ${what}`);
	}
}

async function launch(javaScriptEnabled) {
	// A fresh profile each time; the flags keep Chromium off the (closed) network.
	const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'tellerrand-chromium-'));
	const context = await chromium.launchPersistentContext(profile, {
		executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
		headless: true,
		args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
			'--disable-background-networking', '--disable-component-update', '--disable-sync'],
		viewport: { width: 1280, height: 1000 },
		locale: 'de-DE',
		javaScriptEnabled,
	});
	return { context, profile };
}

async function close({ context, profile }) {
	await context.close();
	fs.rmSync(profile, { recursive: true, force: true });
}

const total = (page) => page.locator('#trefferzahl').getAttribute('data-total');

async function journey(javaScriptEnabled, screenshot) {
	const label = javaScriptEnabled ? 'with JavaScript' : 'without JavaScript';
	const browser = await launch(javaScriptEnabled);
	const page = browser.context.pages()[0] || await browser.context.newPage();
	const problems = [];
	page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
	page.on('pageerror', (e) => problems.push(String(e)));
	page.setDefaultTimeout(15000);

	try {
		const start = await page.goto(base);
		check(start && start.status() === 200, `${label}: start page loads`);
		check((await page.title()).includes('Archivsuche'), `${label}: page title`);

		if (javaScriptEnabled) {
			// "/" jumps to the search box from anywhere on the page.
			await page.locator('body').click({ position: { x: 5, y: 300 } });
			await page.keyboard.press('/');
			check(await page.evaluate(() => document.activeElement && document.activeElement.id === 'q'),
				`${label}: "/" focuses the search box`);
		}

		await page.getByLabel('Suchbegriffe').fill('nachholende Schulbildung');
		await Promise.all([page.waitForURL(/q=nachholende/), page.getByRole('button', { name: 'Suchen' }).click()]);
		const seed = page.getByRole('link', { name: SEED });
		await seed.first().waitFor();
		check(await seed.count() === 1, `${label}: the seed press release is listed`);
		const href = await seed.getAttribute('href');
		check(/^\/dokument\/\d+$/.test(href || ''), `${label}: document link ${href}`);
		check(await page.locator('li.hit mark').count() > 0, `${label}: highlighted snippets`);
		check(await page.getByRole('heading', { name: 'Treffer pro Jahr' }).count() === 1, `${label}: timeline`);

		const before = await total(page);
		const filter = page.locator('a[data-facet="kreis:mittelsachsen"]');
		check(await filter.count() === 1, `${label}: district filter present`);
		const countText = await filter.locator('.n').textContent();
		await filter.click();
		await page.waitForFunction((b) => {
			const el = document.getElementById('trefferzahl');
			return el && el.dataset.total !== b;
		}, before);
		const after = await total(page);
		check(after !== before, `${label}: count changes with the filter (${before} → ${after})`);
		check(after === countText.trim(), `${label}: the filter's count (${countText}) is the new total (${after})`);
		check(page.url().includes('kreis=mittelsachsen'), `${label}: the address holds the filter`);
		check(await page.locator('a.opt.on[data-facet="kreis:mittelsachsen"]').count() === 1,
			`${label}: the filter shows as chosen`);
		check(await page.getByRole('link', { name: SEED }).count() === 1, `${label}: seed still listed`);
		if (screenshot)
			await page.screenshot({ path: screenshot, fullPage: true });

		const [response] = await Promise.all([
			page.waitForNavigation(),
			page.getByRole('link', { name: SEED }).click(),
		]);
		check(response && response.status() === 200, `${label}: document opens`);
		const text = await page.locator('body').innerText();
		check(text.includes('nachholende Schulbildung'), `${label}: the document's text is shown`);
		check(problems.length === 0, `${label}: no console errors or CSP violations: ${problems.join(' | ')}`);
	} catch (e) {
		check(false, `${label}: ${e.message.split('\n')[0]}`);
		if (screenshot)
			await page.screenshot({ path: screenshot, fullPage: true }).catch(() => {});
	} finally {
		await close(browser);
	}
}

// The embeddable box on a stand-in intranet page: another origin on
// loopback (port TR_EMBED_PORT, allowed with --allow-origin by run.sh), as
// the intranet would be another origin in the same private network.  The
// script lists hits from /api/search through CORS, and the form still
// submits to the search page.
async function embedded(port) {
	const host = http.createServer((req, res) => {
		res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
		res.end(`<!DOCTYPE html><html lang="de"><head><title>Intranet</title></head><body>
<form action="${base}" method="get" role="search" data-tellerrand>
<label for="tr-q">Im Netzwerk-Archiv suchen</label>
<input id="tr-q" name="q" type="search"><button type="submit">Suchen</button>
</form>
<script src="${base}static/embed.js" defer></script></body></html>`);
	});
	await new Promise((resolve) => host.listen(port, '127.0.0.1', resolve));
	const browser = await launch(true);
	const page = browser.context.pages()[0] || await browser.context.newPage();
	const problems = [];
	page.on('pageerror', (e) => problems.push(String(e)));
	page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
	page.setDefaultTimeout(15000);
	try {
		await page.goto(`http://127.0.0.1:${port}/`);
		await page.getByLabel('Im Netzwerk-Archiv suchen').pressSequentially('Netzwerktreffen', { delay: 20 });
		const hit = page.locator('.tellerrand-treffer a', { hasText: SEED });
		await hit.first().waitFor();
		check(await hit.count() === 1, 'embed: the seed press release is listed under the box');
		check((await hit.getAttribute('href')).startsWith(`${base}dokument/`), 'embed: hit links to the server');
		check(/\d+ Treffer/.test(await page.locator('.tellerrand-status').textContent()), 'embed: count announced');
		check(problems.length === 0, `embed: no script or CORS errors: ${problems.join(' | ')}`);
		await Promise.all([page.waitForURL(/q=Netzwerktreffen/), page.getByRole('button', { name: 'Suchen' }).click()]);
		check(await page.getByRole('link', { name: SEED }).count() === 1, 'embed: the form opens the search page');
	} catch (e) {
		check(false, `embed: ${e.message.split('\n')[0]} ${problems.join(' | ')}`);
	} finally {
		await close(browser);
		host.close();
	}
}

// The picture for docs/: the results page with the filters in view.
async function docsPicture(file) {
	const browser = await launch(true);
	const page = browser.context.pages()[0] || await browser.context.newPage();
	try {
		await page.setViewportSize({ width: 1280, height: 1150 });
		await page.goto(`${base}?q=Integration+Mittelsachsen`);
		await page.locator('#trefferzahl').waitFor();
		await page.screenshot({ path: file });
		passed++;
	} finally {
		await close(browser);
	}
}

await journey(true, shot);
await journey(false, null);
await embedded(Number(process.env.TR_EMBED_PORT));
if (docsShot)
	await docsPicture(docsShot);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
