/**
 * GraphiQL as the gateway serves it: built by Vite into dist/graphiql at install time (see
 * scripts/build-graphiql.mjs), every script, style, font and Monaco worker served by the gateway
 * itself, so the page makes no request to any other host.
 */
import 'graphiql/setup-workers/vite';
import 'graphiql/style.css';
import '@graphiql/plugin-explorer/style.css';
import './page.css';
import { GraphiQL, HISTORY_PLUGIN } from 'graphiql';
import { explorerPlugin } from '@graphiql/plugin-explorer';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { DEFAULT_QUERY } from './default-query.js';
import { createFetcher } from './fetcher.js';

const container = document.getElementById('graphiql');
if (container === null) throw new Error('The page has no #graphiql element.');
container.textContent = '';

const plugins = [HISTORY_PLUGIN, explorerPlugin()];

createRoot(container).render(
  <StrictMode>
    <GraphiQL
      fetcher={createFetcher(new URL('/graphql', window.location.href).href)}
      plugins={plugins}
      defaultQuery={DEFAULT_QUERY}
      isHeadersEditorEnabled
      shouldPersistHeaders={false}
    >
      <GraphiQL.Logo>AppStream gateway</GraphiQL.Logo>
    </GraphiQL>
  </StrictMode>,
);
