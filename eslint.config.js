import tseslint from 'typescript-eslint';

const nodeBuiltins = [
  'assert', 'buffer', 'child_process', 'cluster', 'crypto', 'dgram', 'dns', 'events', 'fs', 'fs/promises', 'http', 'http2',
  'https', 'net', 'os', 'path', 'perf_hooks', 'process', 'readline', 'stream', 'timers', 'tls', 'url', 'util', 'v8', 'vm',
  'worker_threads', 'zlib',
];

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', '.data/', '.tools/', 'prisma/generated/', 'coverage/'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'separate-type-imports' }],
    },
  },
  {
    // Workflow code is replayed and must be deterministic: no Node built-ins, no environment, no I/O, and
    // activities only as types (called through proxyActivities). Pure domain code is shared with workflows.
    files: ['workflows/**/*.ts', 'domain/engines/**/*.ts', 'domain/review/**/*.ts', 'domain/roadmap/**/*.ts', 'domain/innovation/**/*.ts', 'domain/policy/types.ts', 'domain/errors.ts', 'domain/canonical-json.ts', 'domain/wording.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            ...nodeBuiltins.flatMap((m) => [
              { name: m, message: 'Workflow code must not use Node built-ins.' },
              { name: `node:${m}`, message: 'Workflow code must not use Node built-ins.' },
            ]),
            { name: '@temporalio/activity', message: 'Workflows call activities through proxyActivities.' },
            { name: '@temporalio/client', message: 'Workflows must not use the client.' },
            { name: '@temporalio/worker', message: 'Workflows must not use the worker.' },
          ],
          patterns: [
            { group: ['**/activities/*', '!**/activities/index.js'], message: 'Import activities as types from activities/index.js only.' },
            { group: ['**/platform/*', '**/api/*', '**/prisma/*'], message: 'Workflow code must not import Node-side modules.' },
            { group: ['@prisma/*', 'pg', 'pino', 'express'], message: 'Workflow code must not do I/O.' },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'process', message: 'Workflow code gets configuration as input, never from the environment.' },
        { name: 'setTimeout', message: 'Use sleep() or condition() with a timeout.' },
        { name: 'setInterval', message: 'Use sleep() in a loop.' },
        { name: 'fetch', message: 'Do I/O in an activity.' },
      ],
      '@typescript-eslint/no-restricted-imports': 'off',
    },
  },
  {
    // Tests read untyped JSON response bodies.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['workflows/**/*.ts'],
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // Every string the API accepts goes through the one schema that refuses what PostgreSQL, JSON or a terminal cannot carry.
    // The response schemas describe what the API answers, not what it accepts.
    files: ['api/**/*.ts', 'domain/engines/inputs.ts'],
    ignores: ['api/schemas/responses.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: "CallExpression[callee.object.name='z'][callee.property.name='string']", message: 'Use safeString() from api/schemas/common.ts (domain/text.ts).' },
      ],
    },
  },
);
