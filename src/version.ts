/** The tool's version, reported in JSON and SARIF. Kept equal to package.json by a test. */
export const VERSION = '0.1.0';
