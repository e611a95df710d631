// Проверить лицензии npm-пакетов проекта по license-policy.toml (список allowed).
// Запуск: node scripts/npm_licenses.mjs <папка проекта> — например storefront-check или admin-ui.
// Пакеты берутся из package-lock.json папки, лицензия — из их package.json в node_modules.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";

// Лицензии, которых нет в политике Python-пакетов, с причиной допуска.
const EXCEPTIONS = {
  argparse: "Python-2.0 — лицензия PSF 2.0 (пермиссивная); зависимость js-yaml ← @redocly/openapi-core",
  // admin-ui:
  tslib: "0BSD — BSD без единого условия (свободнее MIT-0); ← react-remove-scroll ← @mantine/core",
  minimatch: "BlueOak-1.0.0 — пермиссивная (как MIT, с патентной оговоркой); ← eslint, typescript-eslint (сборка)",
  "@isaacs/nonrecursive-glob-match": "BlueOak-1.0.0 — пермиссивная; ← minimatch ← typescript-eslint (сборка)",
  "caniuse-lite": "CC-BY-4.0 — данные таблицы браузеров, только при сборке (browserslist ← @babel/core), в бандл не входят",
};

const projectDir = resolve(process.argv[2] ?? ".");
const policy = readFileSync(new URL("../license-policy.toml", import.meta.url), "utf8");
const allowedBlock = policy.match(/^allowed = \[([\s\S]*?)^\]/m)[1];
const allowed = new Set([...allowedBlock.matchAll(/"([^"]+)"/g)].map((match) => match[1]));

function permitted(expression) {
  const text = expression.replace(/[()]/g, "").trim();
  if (text.includes(" OR ")) return text.split(" OR ").some(permitted);
  if (text.includes(" AND ")) return text.split(" AND ").every(permitted);
  return allowed.has(text);
}

const lock = JSON.parse(readFileSync(resolve(projectDir, "package-lock.json"), "utf8"));
const rejected = [];
let checked = 0;
for (const [path, entry] of Object.entries(lock.packages)) {
  if (!path) continue;
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(resolve(projectDir, path, "package.json"), "utf8"));
  } catch (error) {
    // Необязательный пакет другой платформы (например, @esbuild/darwin-arm64) не установлен.
    if (entry.optional && error.code === "ENOENT") continue;
    throw error;
  }
  const license = typeof manifest.license === "string" ? manifest.license : "UNKNOWN";
  checked += 1;
  if (!permitted(license) && !EXCEPTIONS[manifest.name]) rejected.push(`${manifest.name}@${manifest.version}: ${license}`);
}
if (rejected.length) {
  console.error(`Запрещённые или неизвестные лицензии (${projectDir}):\n  ${rejected.join("\n  ")}`);
  process.exit(1);
}
console.log(`Лицензии npm-пакетов ${projectDir}: ${checked} пакетов, все разрешены.`);
