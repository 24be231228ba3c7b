import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules', 'data', 'bin', 'dist', 'scripts/*.mjs', 'deploy', 'eslint.config.js'] },
  ...tseslint.configs.recommended,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'Read configuration through src/config.ts only.' }],
    },
  },
  { files: ['src/config.ts', 'test/**', 'bench/**'], rules: { 'no-restricted-properties': 'off' } },
  // The layers, enforced: domain/ is pure; app/ sees ports, not adapters or the edges; adapters never reach up.
  {
    files: ['src/domain/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [{ regex: '^(?!\\./)', message: 'domain/ imports only domain/ (no packages, no other layer).' }] }] },
  },
  {
    files: ['src/app/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: '^\\.\\./(adapters|bot|http|cli|jobs)/', message: 'app/ talks to adapters through the ports in app/ports.ts only.' },
            { regex: '^(pg|ioredis|fastify|@fastify/.*|@electric-sql/.*|@whiskeysockets/.*)$', message: 'app/ uses no driver or framework: that is an adapter\'s job.' },
          ],
        },
      ],
    },
  },
  {
    files: ['src/adapters/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [{ regex: '^(\\.\\./)+(bot|http|cli)/', message: 'adapters do not import the bot, the HTTP edge or the CLI.' }] }] },
  },
);
