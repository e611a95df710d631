// Проверить лицензии npm-пакетов проверки витрины по ../license-policy.toml (список allowed).
// Пакеты берутся из package-lock.json, лицензия — из их package.json в node_modules.
import { readFileSync } from "node:fs";

// Лицензии, которых нет в политике Python-пакетов, с причиной допуска.
const EXCEPTIONS = {
  argparse: "Python-2.0 — лицензия PSF 2.0 (пермиссивная); зависимость js-yaml ← @redocly/openapi-core",
};

const policy = readFileSync(new URL("../license-policy.toml", import.meta.url), "utf8");
const allowedBlock = policy.match(/^allowed = \[([\s\S]*?)^\]/m)[1];
const allowed = new Set([...allowedBlock.matchAll(/"([^"]+)"/g)].map((match) => match[1]));

function permitted(expression) {
  const text = expression.replace(/[()]/g, "").trim();
  if (text.includes(" OR ")) return text.split(" OR ").some(permitted);
  if (text.includes(" AND ")) return text.split(" AND ").every(permitted);
  return allowed.has(text);
}

const lock = JSON.parse(readFileSync(new URL("./package-lock.json", import.meta.url), "utf8"));
const rejected = [];
let checked = 0;
for (const path of Object.keys(lock.packages)) {
  if (!path) continue;
  const manifest = JSON.parse(readFileSync(new URL(`./${path}/package.json`, import.meta.url), "utf8"));
  const license = typeof manifest.license === "string" ? manifest.license : "UNKNOWN";
  checked += 1;
  if (!permitted(license) && !EXCEPTIONS[manifest.name]) rejected.push(`${manifest.name}@${manifest.version}: ${license}`);
}
if (rejected.length) {
  console.error(`Запрещённые или неизвестные лицензии:\n  ${rejected.join("\n  ")}`);
  process.exit(1);
}
console.log(`Лицензии npm-пакетов проверки витрины: ${checked} пакетов, все разрешены.`);
