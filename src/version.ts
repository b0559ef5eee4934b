/** The tool's version, reported in JSON and SARIF. Kept equal to package.json by a test. */
export const VERSION = '0.1.0';

/** Where jwt-guard lives: package.json's repository, SARIF's informationUri. Kept equal to package.json by a test. */
export const REPOSITORY_URL = 'https://github.com/jwt-guard/jwt-guard';

/** The page that documents a rule, at this version's tag (docs/rules.md, generated from the rule's meta): SARIF's helpUri. */
export const ruleHelpUri = (id: string) => `${REPOSITORY_URL}/blob/v${VERSION}/docs/rules.md#${id}`;
