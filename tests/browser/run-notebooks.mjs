// Drives Debian's Chromium through JupyterLab: for each notebook, open it,
// Run > Run All Cells, wait for the kernel to finish, check what the page shows,
// move the sliders of any effective-rate explorer (pkg/display/explore.go) and
// check that it redraws, save a screenshot. Started by run.py, which starts JupyterLab and reads
// RESULTS; run it through that (make test-browser), not alone.
//
// Environment (set by run.py): LAB_URL, LAB_TOKEN, CHROMIUM, NOTEBOOKS (a JSON
// list of paths under the server's root), ARTIFACTS (screenshot folder),
// RESULTS (where to write the JSON results), NOTEBOOK_TIMEOUT_S (a safety
// limit per notebook, default 120: never a measurement).
import { writeFileSync, mkdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { chromium } from 'playwright-core';

const env = (k, d) => {
  const v = process.env[k];
  if (v === undefined || v === '') {
    if (d === undefined) throw new Error(`run-notebooks.mjs: ${k} is not set (run it through run.py)`);
    return d;
  }
  return v;
};
const base = env('LAB_URL');
const token = env('LAB_TOKEN');
const notebooks = JSON.parse(env('NOTEBOOKS'));
const artifacts = env('ARTIFACTS');
const resultsFile = env('RESULTS');
const timeoutMs = Number(env('NOTEBOOK_TIMEOUT_S', '120')) * 1000;
const VIEW = { width: 1400, height: 900 };
const MAX_SHOT_HEIGHT = 16000; // Chromium's own limit on a capture is about 16,384 px

mkdirSync(artifacts, { recursive: true });

// The flags the machine's notes ask for; launch() itself gives every run a
// fresh, empty profile (its own temporary --user-data-dir) and runs headless.
const browser = await chromium.launch({
  executablePath: env('CHROMIUM', '/usr/bin/chromium'),
  headless: true,
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
});

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const results = [];
try {
  for (const nb of notebooks) {
    results.push(await runNotebook(nb));
  }
} finally {
  await browser.close();
  writeFileSync(resultsFile, JSON.stringify(results, null, 2));
}

async function runNotebook(nb) {
  const result = { notebook: nb, failures: [], warnings: [], summary: '', screenshot: null };
  const fail = (kind, cell, message) => result.failures.push({ kind, cell, message: `${nb}: ${message}` });
  const context = await browser.newContext({ viewport: VIEW });
  const page = await context.newPage();
  page.on('pageerror', (e) => result.warnings.push(`page error: ${e.message}`));
  const deadline = Date.now() + timeoutMs;
  const left = () => Math.max(1000, deadline - Date.now());
  try {
    // ?reset: a fresh workspace, not the tabs the previous notebook left open.
    await page.goto(`${base}/lab/tree/${nb.split('/').map(encodeURIComponent).join('/')}?reset&token=${token}`);
    // window.jupyterapp is there because run.py sets LabApp.expose_app_in_browser.
    await page.waitForFunction(() => window.jupyterapp && window.jupyterapp.shell, null, { timeout: left() });
    await page.evaluate(() => window.jupyterapp.restored);
    await page.waitForFunction(
      (path) => {
        const w = window.jupyterapp.shell.currentWidget;
        return w && w.context && w.context.path === path && w.context.isReady && w.content;
      },
      nb,
      { timeout: left() },
    );
    // The kernel: started and idle, or a dialog (no such kernelspec, kernel died).
    await waitFor(page, left, async () => {
      const s = await kernelState(page);
      if (s.dialog) throw new Error(`a dialog is open before Run All: ${s.dialog}`);
      return s.kernel === 'idle';
    }, 'the kernel to start and be idle');

    const codeCells = await page.evaluate(
      () => window.jupyterapp.shell.currentWidget.content.widgets
        .filter((c) => c.model.type === 'code' && c.model.sharedModel.getSource().trim() !== '').length,
    );
    // Count the execute requests and replies on the kernel's own connection,
    // so that "done" cannot be confused with "not started yet".
    await page.evaluate(() => {
      const kernel = window.jupyterapp.shell.currentWidget.sessionContext.session.kernel;
      window.__adagradlab = { sent: 0, replies: 0 };
      kernel.anyMessage.connect((_, { direction, msg }) => {
        if (direction === 'send' && msg.header.msg_type === 'execute_request') window.__adagradlab.sent++;
        if (direction === 'recv' && msg.header.msg_type === 'execute_reply') window.__adagradlab.replies++;
      });
    });

    // Run All as a learner would: the Run menu, then its item.
    await page.locator('.lm-MenuBar-item', { hasText: /^Run$/ }).click({ timeout: left() });
    await page.locator('.lm-Menu-item:visible', {
      has: page.locator('.lm-Menu-itemLabel', { hasText: /^Run All Cells$/ }),
    }).click({ timeout: left() });

    let stable = 0;
    await waitFor(page, left, async () => {
      const s = await kernelState(page);
      if (s.dialog) throw new Error(`a dialog opened while running: ${s.dialog}`);
      const done = (codeCells === 0 || s.sent > 0) && s.sent === s.replies
        && s.kernel === 'idle' && s.pending.length === 0;
      stable = done ? stable + 1 : 0;
      return stable >= 3; // idle three polls in a row: late output has landed
    }, 'Run All to finish', async () => {
      const s = await kernelState(page);
      return `kernel ${s.kernel}, ${s.replies}/${s.sent} cells answered, still running: ${
        s.pending.map((i) => `cell ${i}`).join(', ') || 'none shown'}`;
    });

    // Every image in the notebook loaded, then what the cells show.
    await page.evaluate(() => Promise.all(
      [...document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Cell img')]
        .map((img) => (img.complete ? null : img.decode().catch(() => null))),
    ));
    const report = await page.evaluate(inspectNotebook);
    for (const c of report.cells) {
      const where = `cell ${c.index} (${c.firstLine})`;
      for (const e of c.errors) fail('error', c.index, `${where}: error output ${e}`);
      for (const i of c.brokenImages) fail('image', c.index, `${where}: ${i} did not render (naturalWidth 0)`);
      for (const s of c.stderr) result.warnings.push(`${where} wrote to stderr: ${s}`);
    }
    if (report.cells.every((c) => c.errors.length === 0)) {
      for (const c of report.cells.filter((c) => c.notRun)) {
        fail('not-run', c.index, `cell ${c.index} (${c.firstLine}): never ran (no execution count after Run All)`);
      }
    }
    const explorers = await checkExplorers(page, nb, fail);
    result.summary = `${report.ran}/${codeCells} code cells ran, ${report.images} image(s) rendered, `
      + `${report.outputs} output(s), no error output`
      + (explorers ? `, ${explorers} effective-rate explorer(s) followed their sliders` : '');
  } catch (e) {
    fail('run', null, `${e.message.split('\n')[0]}`);
  } finally {
    try {
      result.screenshot = await screenshot(page, nb);
    } catch (e) {
      result.warnings.push(`no screenshot: ${e.message.split('\n')[0]}`);
    }
    for (const w of result.warnings) console.log(`warn ${nb}: ${w}`);
    // Shut this notebook's kernel down before the next one starts its own.
    await page.evaluate(() => window.jupyterapp.shell.currentWidget.sessionContext.shutdown()).catch(() => null);
    await context.close();
  }
  return result;
}

// Polls check() until it is true; on the deadline throws, naming what was awaited.
async function waitFor(page, left, check, what, describe) {
  for (;;) {
    if (await check()) return;
    if (left() <= 1000) {
      const detail = describe ? `: ${await describe()}` : '';
      throw new Error(`gave up waiting for ${what} after the ${timeoutMs / 1000} s safety limit${detail}`);
    }
    await sleep(200);
  }
}

async function kernelState(page) {
  return page.evaluate(() => {
    const w = window.jupyterapp.shell.currentWidget;
    const dialog = document.querySelector('.jp-Dialog');
    const counts = window.__adagradlab || { sent: 0, replies: 0 };
    const pending = [];
    w.content.widgets.forEach((c, i) => {
      const prompt = c.node.querySelector('.jp-InputPrompt');
      if (c.model.type === 'code' && (c.model.executionState === 'running' || (prompt && prompt.textContent.includes('*')))) pending.push(i);
    });
    return {
      kernel: w.sessionContext.kernelDisplayStatus,
      dialog: dialog ? dialog.innerText.replace(/\s+/g, ' ').trim().slice(0, 300) : null,
      sent: counts.sent,
      replies: counts.replies,
      pending,
    };
  });
}

// Runs in the page: per cell, its error outputs (from the output model, which
// knows an error from stderr), stderr streams, images that did not render, and
// whether it ran.
function inspectNotebook() {
  const panel = window.jupyterapp.shell.currentWidget;
  const out = { cells: [], images: 0, outputs: 0, ran: 0 };
  panel.content.widgets.forEach((cell, index) => {
    const src = cell.model.sharedModel.getSource();
    const firstLine = (src.split('\n').find((l) => l.trim() !== '') || '').trim().slice(0, 60);
    const c = { index, firstLine, errors: [], stderr: [], brokenImages: [], notRun: false };
    if (cell.model.type === 'code') {
      const outputs = cell.model.outputs.toJSON();
      out.outputs += outputs.length;
      for (const o of outputs) {
        if (o.output_type === 'error') c.errors.push(`${o.ename}: ${o.evalue}`.slice(0, 300));
        if (o.output_type === 'stream' && o.name === 'stderr') {
          c.stderr.push(String(Array.isArray(o.text) ? o.text.join('') : o.text).trim().slice(0, 200));
        }
      }
      if (cell.model.executionCount !== null) out.ran++;
      else if (src.trim() !== '') c.notRun = true;
    }
    // Any error rendering the page shows, whatever the model says.
    for (const el of cell.node.querySelectorAll('.jp-OutputArea-output .jp-RenderedText[data-mime-type="application/vnd.jupyter.stderr"]')) {
      if (/Traceback|Error|panic/.test(el.innerText) && c.errors.length === 0 && c.stderr.length === 0) {
        c.errors.push(el.innerText.trim().split('\n')[0].slice(0, 300));
      }
    }
    for (const img of cell.node.querySelectorAll('img')) {
      const inOutput = img.closest('.jp-OutputArea') !== null;
      if (img.naturalWidth > 0) out.images++;
      else c.brokenImages.push(`${inOutput ? 'output' : 'markdown'} image ${(img.getAttribute('src') || '').slice(0, 40)}`);
    }
    out.cells.push(c);
  });
  return out;
}

// The effective-rate explorers (display.EffectiveRateExplorer): moves their
// sliders as a learner would and checks that the readout and the curve follow,
// with the numbers η/(√(t·g²)+ε) (or η/√(t·g²+ε)) worked out here, and that the
// page's first drawing (the script's) is the one Go saved in the output. Any
// explorer in a cell's output that does not follow is a failure of kind
// 'explorer'. Returns how many explorers passed.
async function checkExplorers(page, nb, fail) {
  // What Go saved: each explorer's id, readout and curve, from the output model.
  const saved = await page.evaluate(() => {
    const out = [];
    window.jupyterapp.shell.currentWidget.content.widgets.forEach((cell, index) => {
      if (cell.model.type !== 'code') return;
      for (const o of cell.model.outputs.toJSON()) {
        let h = o.data && o.data['text/html'];
        if (Array.isArray(h)) h = h.join('');
        if (typeof h !== 'string' || !h.includes('class="adagradlab-explorer"')) continue;
        // DOMParser runs no script: this is the HTML as Go wrote it.
        const doc = new DOMParser().parseFromString(h, 'text/html');
        for (const root of doc.querySelectorAll('.adagradlab-explorer')) {
          const get = (n) => doc.getElementById(`${root.id}-${n}`);
          out.push({
            index,
            id: root.id,
            readout: get('readout') ? get('readout').textContent : null,
            curve: get('curve') ? get('curve').getAttribute('d') : null,
            trusted: cell.model.trusted,
          });
        }
      }
    });
    return out;
  });

  // The explorer's state in the page, and what its readout should say for the
  // sliders' current values (computed here, independently of its script).
  const state = (id) => page.evaluate((id) => {
    const get = (n) => document.getElementById(`${id}-${n}`);
    const value = (k) => JSON.parse(get(k).dataset.values)[Number(get(k).value)];
    const [lr, eps, g, inside] = [value('lr'), value('eps'), value('g'), get('inside').checked];
    const readout = get('readout').textContent;
    const expected = [...readout.matchAll(/step (\d+): (\S+)/g)].map(([, t, shown]) => {
      const G = Number(t) * g * g;
      return { t: Number(t), shown: Number(shown), want: inside ? lr / Math.sqrt(G + eps) : lr / (Math.sqrt(G) + eps) };
    });
    return {
      lr, eps, g, inside, readout, expected,
      curve: get('curve').getAttribute('d'),
      shownValues: ['lr', 'eps', 'g'].map((k) => Number(get(`${k}-value`).textContent)),
      ylabel: get('ylabel').textContent,
    };
  }, id);
  // Paths agree when they have the same points to within rounding (Go's and
  // JavaScript's last digits may differ by one).
  const samePath = (a, b) => {
    const na = (a || '').match(/-?\d+(\.\d+)?/g) || [];
    const nb = (b || '').match(/-?\d+(\.\d+)?/g) || [];
    return na.length > 0 && na.length === nb.length && na.every((x, i) => Math.abs(Number(x) - Number(nb[i])) <= 0.15);
  };

  let passed = 0;
  for (const e of saved) {
    const where = `cell ${e.index}: the effective-rate explorer ${e.id}`;
    const problems = [];
    const check = (ok, what) => { if (!ok) problems.push(what); };
    try {
      const root = page.locator(`[id="${e.id}"]`);
      const n = await root.count();
      if (n !== 1) throw new Error(`is in the page ${n} times, not once`);
      await root.scrollIntoViewIfNeeded();
      const sane = (s, step) => {
        check(s.expected.length > 0, `${step}: no "step N: rate" in the readout ${JSON.stringify(s.readout)}`);
        for (const x of s.expected) {
          check(Math.abs(x.shown - x.want) <= 5e-3 * x.want,
            `${step}: the readout says step ${x.t}: ${x.shown}, but η = ${s.lr}, ε = ${s.eps}, |g| = ${s.g}${s.inside ? ', ε inside' : ''} give ${x.want.toPrecision(4)}`);
        }
        // The values beside the sliders have 3 significant digits.
        check([s.lr, s.eps, s.g].every((v, i) => Math.abs(s.shownValues[i] - v) <= 5e-3 * v),
          `${step}: the values shown beside the sliders (${s.shownValues}) are not the sliders' (${[s.lr, s.eps, s.g]})`);
      };
      // A change must show in the readout and the curve; wait briefly for it.
      const changed = async (before, step) => {
        await page.waitForFunction(
          ([id, r, d]) => document.getElementById(`${id}-readout`).textContent !== r
            && document.getElementById(`${id}-curve`).getAttribute('d') !== d,
          [e.id, before.readout, before.curve], { timeout: 5000 },
        ).catch(() => null);
        const s = await state(e.id);
        // What follows would only repeat the same failure: stop at the first.
        const untrusted = e.trusted ? '' : ' (the output is not trusted, so JupyterLab ran no script)';
        if (s.readout === before.readout) throw new Error(`${step}: the readout did not change (still ${JSON.stringify(s.readout)})${untrusted}`);
        if (s.curve === before.curve) throw new Error(`${step}: the curve (SVG path) did not change${untrusted}`);
        sane(s, step);
        return s;
      };
      // Sets a slider as a drag would leave it: its value, then an input event.
      const setSlider = (k, index) => page.evaluate(([id, k, index]) => {
        const input = document.getElementById(`${id}-${k}`);
        input.value = String(index);
        input.dispatchEvent(new Event('input', { bubbles: true }));
      }, [e.id, k, index]);
      const start = await page.evaluate((id) => Object.fromEntries(['lr', 'eps', 'g'].map(
        (k) => [k, Number(document.getElementById(`${id}-${k}`).value)])), e.id);

      const s0 = await state(e.id);
      check(s0.readout === e.readout, `as loaded: the page's readout ${JSON.stringify(s0.readout)} is not the saved ${JSON.stringify(e.readout)}`);
      check(samePath(s0.curve, e.curve), 'as loaded: the page\'s curve is not the saved one');
      sane(s0, 'as loaded');

      // |g| to its smallest, set as a drag would leave it: there ε's place matters.
      await setSlider('g', 0);
      const s1 = await changed(s0, '|g| to its minimum (value + input event)');
      check(s1.g < s0.g, `|g| to its minimum: |g| is ${s1.g}, was ${s0.g}`);
      await page.locator(`[id="${e.id}-inside"]`).check();
      const s2 = await changed(s1, 'ε inside the root (checkbox)');
      check(s2.ylabel.includes('√(G+ε)'), `ε inside the root (checkbox): the y label is still ${JSON.stringify(s2.ylabel)}`);
      // ε to its top with the keyboard (End), as a learner would.
      await page.locator(`[id="${e.id}-eps"]`).focus();
      await page.keyboard.press('End');
      const s3 = await changed(s2, 'ε to its maximum (End key)');
      check(s3.eps > s2.eps, `ε to its maximum (End key): ε is ${s3.eps}, was ${s2.eps}`);
      // η two notches down with the arrow keys.
      await page.locator(`[id="${e.id}-lr"]`).focus();
      await page.keyboard.press('ArrowLeft');
      await page.keyboard.press('ArrowLeft');
      const s4 = await changed(s3, 'η down two notches (ArrowLeft)');
      check(s4.lr < s3.lr, `η down two notches (ArrowLeft): η is ${s4.lr}, was ${s3.lr}`);
      await root.screenshot({ path: join(artifacts, `${nb.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/\.ipynb$/, '')}-explorer-${passed + 1}.png`) })
        .catch(() => null);

      // Back to the start: the script's drawing is Go's again.
      await page.locator(`[id="${e.id}-inside"]`).uncheck();
      for (const [k, v] of Object.entries(start)) await setSlider(k, v);
      const s5 = await state(e.id);
      check(s5.readout === e.readout, `back to the start: the readout ${JSON.stringify(s5.readout)} is not the saved ${JSON.stringify(e.readout)}`);
      check(samePath(s5.curve, e.curve), 'back to the start: the curve is not the saved one');
    } catch (err) {
      problems.push(err.message.split('\n')[0]);
    }
    if (problems.length) fail('explorer', e.index, `${where}: ${problems.join('; ')}`);
    else passed++;
  }
  return passed;
}

// The whole notebook in one picture: JupyterLab scrolls inside its own panel,
// so the window is made as tall as the notebook first.
async function screenshot(page, nb) {
  for (let i = 0; i < 2; i++) { // twice: the first resize can change the layout
    await page.setViewportSize({ width: VIEW.width, height: Math.min(MAX_SHOT_HEIGHT, Math.max(VIEW.height, await notebookHeight(page))) });
    await sleep(300);
  }
  await notebookHeight(page); // scrolls the notebook back to its top
  await sleep(100);
  const file = join(artifacts, `${nb.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/\.ipynb$/, '')}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return relative(process.cwd(), file) || file;
}

async function notebookHeight(page) {
  return page.evaluate(() => {
    const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;
    if (!w || !w.content) return 0;
    const scroller = w.content.node.querySelector('.jp-WindowedPanel-outer') || w.content.node;
    const cells = w.content.node.querySelectorAll('.jp-Cell');
    const last = cells[cells.length - 1];
    if (!last) return 0;
    // The last cell's bottom in the scrolled content, plus the space above the
    // notebook and the status bar below it (JupyterLab adds blank space past the end).
    scroller.scrollTop = 0;
    return Math.ceil(last.getBoundingClientRect().bottom + 80);
  }).catch(() => 0);
}
