// Converts the MIT-licensed npm package `chinese-days` (State Council holiday arrangements,
// 调休 included) into data/calendar/cn-holidays.json, which Sojourn.Rules embeds.
// Usage: (cd data/calendar && npm install --no-save chinese-days@1.5.7 && node convert.mjs)
import { createRequire } from "node:module";
import { writeFileSync, readFileSync } from "node:fs";

const require = createRequire(import.meta.url);
const src = require("chinese-days/dist/chinese-days.json");
const pkg = JSON.parse(readFileSync(require.resolve("chinese-days/package.json"), "utf8"));

const FIRST = 2004, LAST = 2026;
const inRange = (d) => { const y = Number(d.slice(0, 4)); return y >= FIRST && y <= LAST; };
const pick = (obj) => Object.fromEntries(Object.keys(obj).filter(inRange).sort()
  .map((d) => [d, obj[d].split(",")[1]])); // keep the Chinese name only

const out = {
  source: `npm chinese-days ${pkg.version} (https://github.com/vsme/chinese-days), licence ${pkg.license}`,
  years: [FIRST, LAST],
  // Rest days by the State Council's arrangement (weekends inside a holiday block included).
  holidays: pick(src.holidays),
  // Weekend days made working days (调休上班).
  workdays: pick(src.workdays),
};
writeFileSync(new URL("./cn-holidays.json", import.meta.url), JSON.stringify(out, null, 1) + "\n");
console.log(`holidays ${Object.keys(out.holidays).length}, workdays ${Object.keys(out.workdays).length}`);
