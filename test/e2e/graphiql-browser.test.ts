import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { datasetBuilder } from '../../src/emulator/index.js';
import { startTestStack, useTestStack } from '../helpers/gateway.js';
import type { TestStack } from '../helpers/gateway.js';
import { startTestIdp } from '../helpers/idp.js';
import type { TestIdp } from '../helpers/idp.js';

/** Debian's chromium package; `.ci/run` installs it, and fails when this file was skipped. */
const CHROMIUM = '/usr/bin/chromium';
const available = existsSync(CHROMIUM);
const SKIP_REASON = `${CHROMIUM} is missing (apt-get install -y chromium); the GraphiQL browser tests are skipped`;
if (!available) console.warn(`Skipped: ${SKIP_REASON}`);

/** Where the screenshot goes (git-ignored, like every report). */
const ARTIFACTS = join(import.meta.dirname, '..', '..', 'reports', 'screenshots');

const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

interface Browsing {
  readonly context: BrowserContext;
  readonly page: Page;
  /** Every URL the page and its workers requested, in order. */
  readonly requests: string[];
  close(): Promise<void>;
}

/** Headless Chromium with a fresh profile, recording every request the page makes. */
async function browse(): Promise<Browsing> {
  const profile = await mkdtemp(join(tmpdir(), 'graphiql-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    args: ARGS,
    headless: true,
    viewport: { width: 1400, height: 900 },
  });
  const requests: string[] = [];
  context.on('request', (request) => requests.push(request.url()));
  context.on('weberror', (error) => requests.push(`error: ${error.error().message}`));
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    requests,
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

/** What an element shows, with Monaco's non-breaking spaces as plain spaces. */
async function textOf(page: Page, selector: string): Promise<string> {
  return (await page.locator(selector).innerText()).replace(/\u00a0/g, ' ');
}

/**
 * Searches the docs explorer for a type and opens it. The search box filters as one types, so
 * the value is filled at once and the exact match is picked among the listed options.
 */
async function openDocsOn(page: Page, typeName: string): Promise<void> {
  const title = page.locator('.graphiql-doc-explorer-title');
  await page.locator('[data-cy=doc-explorer-input]').fill(typeName);
  await page
    .locator('[data-cy=doc-explorer-option]')
    .filter({ hasText: new RegExp(`^${typeName}$`) })
    .click();
  await expect.poll(() => title.innerText()).toBe(typeName);
}

/**
 * Replaces what a Monaco editor of the page holds (`editor`: a selector around it) with `text`,
 * inserted at once as a paste would be (typed key by key, Monaco would auto-close brackets).
 */
async function replaceText(page: Page, editor: string, text: string): Promise<void> {
  await page.locator(`${editor} .monaco-editor`).first().click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.insertText(text);
  await expect.poll(() => textOf(page, `${editor} .view-lines`)).toContain(text.slice(0, 40));
}

/** Opens GraphiQL at `base` and waits for the editor to hold the default query. */
async function openGraphiQL(page: Page, base: string): Promise<void> {
  const response = await page.goto(`${base}/graphql`);
  expect(response?.status()).toBe(200);
  await expect
    .poll(() => textOf(page, '.graphiql-query-editor .view-lines'), { timeout: 30_000 })
    .toContain('stacks(first: 5)');
}

const RESPONSE_PANE = '.graphiql-response .view-lines';
const EXECUTE = '.graphiql-execute-button';

/** A listing to watch: stack s1, fleet f1, two connected sessions. */
const liveDataset = () =>
  datasetBuilder()
    .stack('s1')
    .fleet('f1')
    .associate('s1', 'f1')
    .sessions('s1', 'f1', 2, () => ({ State: 'ACTIVE', ConnectionState: 'CONNECTED' }))
    .build();

/** One line, so that Monaco's auto-indentation leaves it as it is. */
const WATCH =
  'subscription Watch { sessionEvents(stackName: "s1", fleetName: "f1") { kind session { sessionId connectionState } snapshot(first: 5) { totalCount } } }';

/** The requests that would have left the gateway's origin (data: and blob: URLs stay in the page). */
function foreign(requests: readonly string[], origin: string): string[] {
  return requests.filter((url) => {
    if (url.startsWith('data:') || url.startsWith('blob:')) return false;
    try {
      return new URL(url).origin !== origin;
    } catch {
      return true;
    }
  });
}

describe.skipIf(!available)(
  available ? 'GraphiQL in headless Chromium' : `GraphiQL in headless Chromium: ${SKIP_REASON}`,
  () => {
    const stack = useTestStack({ graphiql: true });
    const off = useTestStack({ graphiql: false });
    const live = useTestStack({
      graphiql: true,
      emulator: { dataset: liveDataset() },
      live: { intervalMs: 100 },
    });
    let browsing: Browsing | undefined;
    const session = (): Browsing => {
      if (browsing === undefined) throw new Error('Chromium did not start.');
      return browsing;
    };

    beforeAll(async () => {
      browsing = await browse();
    });
    afterAll(async () => {
      await browsing?.close();
    });

    it('runs the default query, documents Session, and loads nothing from any other host', async () => {
      const { page, requests } = session();
      const consoleErrors: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error') consoleErrors.push(message.text());
      });
      const response = await page.goto(`${stack.url}/graphql`);
      expect(response?.status()).toBe(200);
      expect(await page.title()).toBe('GraphiQL · AppStream GraphQL gateway');
      await expect
        .poll(() => page.locator('header.gateway-header').innerText())
        .toContain('AppStream GraphQL gateway');

      // The default query is in the editor, and the run button sends it.
      await expect
        .poll(() => textOf(page, '.graphiql-query-editor .view-lines'), { timeout: 30_000 })
        .toContain('stacks(first: 5)');
      const answer = page.waitForResponse(
        (r) => r.url() === `${stack.url}/graphql` && r.request().method() === 'POST',
      );
      await page.locator('.graphiql-execute-button').click();
      const body = (await (await answer).json()) as {
        data?: { stacks: { nodes: Array<{ name: string; fleets: unknown[] }> } };
        errors?: unknown;
      };
      expect(body.errors).toBeUndefined();
      expect(body.data?.stacks.nodes.length).toBeGreaterThan(0);
      const pane = '.graphiql-response .view-lines';
      await expect.poll(() => textOf(page, pane), { timeout: 30_000 }).toContain('"data"');
      await expect.poll(() => textOf(page, pane)).toContain('"sessionId"');

      // The docs explorer, opened on Session.
      await page.getByRole('button', { name: 'Show Documentation Explorer' }).click();
      await openDocsOn(page, 'Session');
      await expect
        .poll(() => page.locator('.graphiql-doc-explorer').innerText())
        .toContain('A streaming session');

      // The query explorer plugin and the headers editor are there too.
      await expect(
        page.getByRole('button', { name: 'Show GraphiQL Explorer' }).count(),
      ).resolves.toBe(1);
      await expect(page.getByText('Headers', { exact: true }).count()).resolves.toBeGreaterThan(0);

      await mkdir(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: join(ARTIFACTS, 'graphiql.png') });

      expect(requests.length).toBeGreaterThan(3);
      expect(requests.filter((url) => url.includes('.worker-')).length).toBeGreaterThan(0);
      expect(foreign(requests, new URL(stack.url).origin)).toEqual([]);
      expect(consoleErrors.filter((text) => /Content Security Policy|Refused/.test(text))).toEqual(
        [],
      );
    });

    it('builds a query with the explorer plugin and keeps it in the history', async () => {
      const { page, requests } = session();
      await page.getByRole('button', { name: 'Show GraphiQL Explorer' }).click();
      await expect
        .poll(() => page.locator('.graphiql-explorer-root').innerText(), { timeout: 15_000 })
        .toContain('stacks');
      await page.getByRole('button', { name: 'Show History' }).click();
      await expect
        .poll(() => page.locator('.graphiql-history').innerText())
        .toContain('StacksFleetsSessions');
      expect(foreign(requests, new URL(stack.url).origin)).toEqual([]);
    });

    it('runs a subscription over WebSocket and streams its events into the response pane', async () => {
      const { page, requests } = session();
      const sockets: string[] = [];
      page.on('websocket', (socket) => sockets.push(socket.url()));
      const earlier = requests.length;
      await openGraphiQL(page, live.url);
      await replaceText(page, '.graphiql-query-editor', WATCH);
      await page.locator(EXECUTE).click();
      await expect
        .poll(() => textOf(page, RESPONSE_PANE), { timeout: 30_000 })
        .toContain('"kind": "SNAPSHOT"');
      expect(await textOf(page, RESPONSE_PANE)).toContain('"totalCount": 2');
      // Still running: the button now stops the subscription.
      await expect(page.locator(EXECUTE).getAttribute('aria-label')).resolves.toMatch(/^Stop/);

      const [target] = live.emulator.data.sessions('s1', 'f1');
      if (target === undefined) throw new Error('The dataset has no session.');
      live.emulator.data.updateSession(target.Id, { ConnectionState: 'NOT_CONNECTED' });
      await expect
        .poll(() => textOf(page, RESPONSE_PANE), { timeout: 30_000 })
        .toContain('"kind": "CHANGED"');
      const changed = await textOf(page, RESPONSE_PANE);
      expect(changed).toContain(`"sessionId": "${target.Id}"`);
      expect(changed).toContain('"connectionState": "NOT_CONNECTED"');
      expect(sockets).toEqual([`${live.url.replace(/^http/, 'ws')}/graphql`]);
      await mkdir(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: join(ARTIFACTS, 'graphiql-subscription.png') });

      // The stop button ends the subscription; the gateway stops polling the listing.
      await page.locator(EXECUTE).click();
      await expect.poll(() => live.gateway.live.stats().subscriptions).toBe(0);
      await expect.poll(() => live.gateway.live.stats().pollers).toBe(0);
      expect(foreign(requests.slice(earlier), new URL(live.url).origin)).toEqual([]);
    });

    describe('with AUTH_MODE=jwt', () => {
      let idp: TestIdp | undefined;
      let authed: TestStack | undefined;
      beforeAll(async () => {
        idp = await startTestIdp();
        authed = await startTestStack({
          graphiql: true,
          emulator: { dataset: liveDataset() },
          live: { intervalMs: 100 },
          authenticator: idp.authenticator(),
        });
      });
      afterAll(async () => {
        await authed?.close();
        await idp?.close();
      });

      it('sends the Authorization of the headers editor as connectionParams', async () => {
        if (idp === undefined || authed === undefined) throw new Error('Not started.');
        const { page } = session();
        await openGraphiQL(page, authed.url);
        await replaceText(page, '.graphiql-query-editor', WATCH);

        // No header: the gateway refuses the connection, and the pane says why.
        await page.locator(EXECUTE).click();
        await expect.poll(() => textOf(page, RESPONSE_PANE), { timeout: 30_000 }).toContain('4403');
        expect(await textOf(page, RESPONSE_PANE)).toContain('Authentication required');

        // A token in the headers editor: a new connection, authenticated at connection_init.
        const token = await idp.mint({ appstream_stacks: ['s1'] });
        await page.getByText('Headers', { exact: true }).click();
        await replaceText(
          page,
          '.graphiql-editor-tool .graphiql-editor:not(.hidden)',
          JSON.stringify({ Authorization: `Bearer ${token}` }),
        );
        await page.locator(EXECUTE).click();
        await expect
          .poll(() => textOf(page, RESPONSE_PANE), { timeout: 30_000 })
          .toContain('"kind": "SNAPSHOT"');
        await expect.poll(() => authed?.gateway.live.stats().subscriptions).toBe(1);
        await page.locator(EXECUTE).click();
        await expect.poll(() => authed?.gateway.live.stats().subscriptions).toBe(0);
      });
    });

    it('with GRAPHIQL=false, the page is not served', async () => {
      const { page } = session();
      const response = await page.goto(`${off.url}/graphql`);
      expect(response?.status()).toBe(404);
      expect(await page.locator('h1').innerText()).toBe('GraphiQL is disabled');
      expect(await page.locator('body').innerText()).toContain('GRAPHIQL=true');
      expect(await page.locator('.graphiql-container').count()).toBe(0);
    });
  },
);
