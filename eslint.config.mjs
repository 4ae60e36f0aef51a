// ESLint flat config: the recommended rules, browser globals for www/, Node globals for tooling.
import js from '@eslint/js';
import globals from 'globals';

/** A line of 141 to 299 characters, not a comment, with a quote or backtick in it. */
const LONG_STRING_LINE = String.raw`^(?=.{141,299}$)(?!\s*(?:\*|//)).*['"\x60]`;

export default [
  { ignores: ['www/pkg/**', 'node_modules/**', 'target/**', 'test-results/**', 'playwright-report/**', 'artifacts/**'] },
  js.configs.recommended,
  {
    files: ['www/**/*.js', 'www/**/*.mjs'],
    languageOptions: { ecmaVersion: 2024, sourceType: 'module', globals: { ...globals.browser } },
  },
  {
    files: ['www/**/*.test.mjs', 'scripts/**/*.mjs', 'tests/**/*.mjs', '*.config.mjs'],
    languageOptions: { ecmaVersion: 2024, sourceType: 'module', globals: { ...globals.node } },
  },
  {
    rules: {
      'no-unused-vars': ['error', { argsIgnorePattern: '^_', caughtErrors: 'none' }],
      // Lines of code stay within 140 characters. A line that carries a string or a
      // template literal (prose, markup, a test's title) may run longer, up to 299: it
      // reads better whole than cut into pieces. No line, comment or string, reaches 300.
      'max-len': ['error', { code: 140, ignoreUrls: true, ignorePattern: LONG_STRING_LINE }],
    },
  },
];
