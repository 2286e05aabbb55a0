// Lint rules for Dugong: typescript-eslint on the whole tree, plus the purity fence around src/fsm and src/schema.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const impureGlobals = ['Date', 'setTimeout', 'setInterval', 'setImmediate', 'process', 'Math'].map((name) => ({
  name,
  message: 'src/fsm and src/schema are pure: time, timers, randomness and the environment come in as arguments.',
}));

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'devconfs/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { console: 'readonly', process: 'readonly', Buffer: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
    },
  },
  {
    files: ['src/fsm/**/*.ts', 'src/schema/**/*.ts'],
    rules: {
      'no-restricted-globals': ['error', ...impureGlobals],
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(?!zod$|\\.\\.?/|\\.\\./\\.\\./schema/|\\.\\./schema/).*',
              message: 'src/fsm and src/schema import only each other and zod.',
            },
            { group: ['../*/**', '!../schema/**', '!../fsm/**'], message: 'src/fsm and src/schema import only each other and zod.' },
          ],
        },
      ],
      'no-restricted-syntax': [
        'error',
        { selector: 'AwaitExpression', message: 'src/fsm is synchronous: no await.' },
        { selector: 'FunctionDeclaration[async=true]', message: 'src/fsm is synchronous.' },
        { selector: 'ArrowFunctionExpression[async=true]', message: 'src/fsm is synchronous.' },
      ],
    },
  },
  {
    // One level deeper (src/fsm/rules/): siblings, the rest of src/fsm, src/schema and zod, nothing else.
    files: ['src/fsm/*/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(?!zod$|\\./[^/]+$|\\.\\./[^/]+$|\\.\\./\\.\\./schema/).*',
              message: 'src/fsm and src/schema import only each other and zod.',
            },
          ],
        },
      ],
    },
  },
);
