import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'coverage/', 'reports/', 'dist/', 'src/__generated__/'] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
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
    files: ['scripts/**/*.mjs'],
    languageOptions: { globals: { console: 'readonly', process: 'readonly' } },
  },
  prettier,
);
