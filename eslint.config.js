import js from '@eslint/js';
import graphql from '@graphql-eslint/eslint-plugin';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

/** The code ESLint checks with the JavaScript and TypeScript rules (GraphQL files have their own). */
const CODE = ['**/*.{js,mjs,cjs,ts,mts,tsx}'];

/**
 * What graphql-eslint checks against: the SDL files the gateway serves and the example operations.
 * One object for both file groups: graphql-eslint loads its config once per process.
 */
const GRAPHQL_CONFIG = { schema: 'schema/*.graphql', documents: 'examples/operations/*.graphql' };

export default tseslint.config(
  { ignores: ['node_modules/', 'coverage/', 'reports/', 'dist/', 'src/__generated__/'] },
  ...[js.configs.recommended, ...tseslint.configs.strictTypeChecked].map((config) => ({
    ...config,
    files: config.files ?? CODE,
  })),
  {
    files: CODE,
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      '@typescript-eslint/no-non-null-assertion': 'error',
      '@typescript-eslint/no-confusing-void-expression': ['error', { ignoreArrowShorthand: true }],
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@aws-sdk/*'],
              message: 'Only src/upstream/ talks to the AWS SDK.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/upstream/**', 'test/**', 'scripts/bench/**'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    files: ['src/resolvers/**', 'src/loaders/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@aws-sdk/*'], message: 'Only src/upstream/ talks to the AWS SDK.' },
            {
              group: ['../server/*'],
              message:
                'Resolvers and loaders sit below the server: import the context from ../context.js.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/pagination/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@aws-sdk/*', 'graphql', 'graphql/*', '@apollo/*', 'dataloader', 'node:*'],
              message: 'src/pagination is pure: no GraphQL, no AWS, no I/O.',
            },
            {
              group: ['../*', '!../errors.js'],
              message: 'src/pagination imports nothing of ours but errors.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['test/**', 'scripts/**', '*.config.*'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
    },
  },
  { files: ['**/*.js', '**/*.mjs'], ...tseslint.configs.disableTypeChecked },
  {
    files: ['scripts/**/*.mjs', 'examples/**/*.mjs'],
    languageOptions: { globals: { console: 'readonly', process: 'readonly' } },
  },
  {
    // The served SDL only: schema/federation/ (directive overlay) and schema/published/ (the
    // generated subgraph SDL) use federation directives this lint does not know.
    files: ['schema/*.graphql'],
    languageOptions: {
      parser: graphql.parser,
      parserOptions: { graphQLConfig: GRAPHQL_CONFIG },
    },
    plugins: { '@graphql-eslint': graphql },
    rules: {
      ...graphql.configs['flat/schema-recommended'].rules,
      ...graphql.configs['flat/schema-relay'].rules,
      // Every type, field, argument and enum value is described: GraphiQL's docs show them.
      '@graphql-eslint/require-description': [
        'error',
        {
          types: true,
          rootField: true,
          FieldDefinition: true,
          InputValueDefinition: true,
          EnumValueDefinition: true,
          DirectiveDefinition: true,
        },
      ],
      // One-line descriptions are inline strings and longer ones block strings, on purpose; the
      // rule accepts only one of the two styles. Descriptions themselves stay required.
      '@graphql-eslint/description-style': 'off',
      // Only entities carry an id; connections, edges, events and value types have no identity.
      '@graphql-eslint/strict-id-in-types': [
        'error',
        {
          exceptions: {
            types: [
              'PageInfo',
              'ComputeCapacity',
              'NetworkAccessConfiguration',
              'UserSetting',
              'SessionEvent',
            ],
            suffixes: ['Connection', 'Edge'],
          },
        },
      ],
      // Relay allows forward-only connections: AppStream lists stacks and fleets forward only, so
      // `stacks` and `fleets` take `first`/`after`; sessions take both directions.
      '@graphql-eslint/relay-arguments': ['error', { includeBoth: false }],
      // Plain lists are deliberate: `nodes` (the shorthand for `edges { node }`), the small,
      // unpaged associations (`Stack.fleets`, `Fleet.stacks`) and lists of strings.
      '@graphql-eslint/relay-edge-types': ['error', { listTypeCanWrapOnlyEdgeType: false }],
    },
  },
  {
    // What frontend teams copy: valid, named, and free of deprecated fields.
    files: ['examples/operations/**/*.graphql'],
    languageOptions: { parser: graphql.parser, parserOptions: { graphQLConfig: GRAPHQL_CONFIG } },
    plugins: { '@graphql-eslint': graphql },
    rules: {
      ...graphql.configs['flat/operations-recommended'].rules,
      '@graphql-eslint/no-deprecated': 'error',
      '@graphql-eslint/overlapping-fields-can-be-merged': 'error',
    },
  },
  prettier,
);
