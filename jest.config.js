const jestJupyterLab = require('@jupyterlab/testing/lib/jest-config');

// Packages shipped as ES modules that babel must transform for jest.
const esModules = [
  '@codemirror',
  '@jupyter/ydoc',
  '@jupyter/react-components',
  '@jupyter/web-components',
  '@jupyterlab/',
  '@microsoft',
  'exenv-es6',
  'lib0',
  'nanoid',
  'vscode-ws-jsonrpc',
  'y-protocols',
  'y-websocket',
  'yjs'
].join('|');

const baseConfig = jestJupyterLab(__dirname);

module.exports = {
  ...baseConfig,
  automock: false,
  collectCoverageFrom: [
    'src/**/*.{ts,tsx}',
    '!src/**/*.d.ts',
    '!src/**/.ipynb_checkpoints/*'
  ],
  coverageReporters: ['lcov', 'text-summary'],
  // The built labextension carries its own package.json.
  modulePathIgnorePatterns: ['<rootDir>/jupyterlab_conda_envs/'],
  reporters: ['default'],
  testRegex: 'src/.*/.*.spec.ts[x]?$',
  transform: {
    ...baseConfig.transform,
    // The shared config expects a tsconfig.test.json; ours is tsconfig.json.
    '^.+\\.tsx?$': ['ts-jest/legacy', { tsconfig: './tsconfig.json' }]
  },
  transformIgnorePatterns: [`/node_modules/(?!${esModules}).+`]
};
