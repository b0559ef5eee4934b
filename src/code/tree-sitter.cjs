// web-tree-sitter's CommonJS build, loaded through require so that the bundler takes it:
// bundled, its ES module build asks `await import('module')` for createRequire, which ncc
// turns into a namespace without it. See src/code/grammar.ts.
module.exports = require('web-tree-sitter');
