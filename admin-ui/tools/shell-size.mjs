// Проверить вес оболочки: JavaScript, который браузер грузит при первом открытии /manage/
// (скрипт index.html и его modulepreload), в gzip — не больше SHELL_LIMIT_KB (по умолчанию 300).
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";

const limitKb = Number(process.env.SHELL_LIMIT_KB ?? 300);
const dist = new URL("../dist/", import.meta.url);
const html = readFileSync(new URL("index.html", dist), "utf8");
const files = [...html.matchAll(/(?:src|href)="\/manage\/(assets\/[^"]+\.js)"/g)].map((match) => match[1]);
let total = 0;
for (const file of files) {
  const size = gzipSync(readFileSync(new URL(file, dist)), { level: 9 }).length;
  total += size;
  console.log(`  ${file}: ${(size / 1024).toFixed(1)} КБ gzip`);
}
const totalKb = total / 1024;
console.log(`Оболочка /manage/: ${files.length} файлов JS, ${totalKb.toFixed(1)} КБ gzip (предел ${limitKb} КБ).`);
if (!files.length || totalKb > limitKb) process.exit(1);
