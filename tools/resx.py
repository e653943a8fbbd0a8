#!/usr/bin/env python3
"""Writes a .resx pair from one table: `tools/resx.py Components/Pages/Migrant/MigrantText`, reading
MigrantText.tsv beside it (key<TAB>zh-CN<TAB>English). zh-CN is the neutral language (X.resx), English X.en.resx.
Keeping the text in one TSV per area keeps both languages side by side and merges cleanly."""
import sys, html, csv

def write(path, rows):
    with open(path, 'w', encoding='utf-8') as f:
        f.write('<?xml version="1.0" encoding="utf-8"?>\n<root>\n')
        f.write('  <resheader name="resmimetype"><value>text/microsoft-resx</value></resheader>\n')
        f.write('  <resheader name="version"><value>2.0</value></resheader>\n')
        f.write('  <resheader name="reader"><value>System.Resources.ResXResourceReader, System.Windows.Forms, Version=4.0.0.0, Culture=neutral, PublicKeyToken=b77a5c561934e089</value></resheader>\n')
        f.write('  <resheader name="writer"><value>System.Resources.ResXResourceWriter, System.Windows.Forms, Version=4.0.0.0, Culture=neutral, PublicKeyToken=b77a5c561934e089</value></resheader>\n')
        for key, value in rows:
            f.write(f'  <data name="{html.escape(key)}" xml:space="preserve"><value>{html.escape(value, quote=False)}</value></data>\n')
        f.write('</root>\n')

for base in sys.argv[1:]:
    rows = [r for r in csv.reader(open(base + '.tsv', encoding='utf-8'), delimiter='\t') if r and not r[0].startswith('#')]
    for r in rows:
        if len(r) != 3:
            sys.exit(f'{base}.tsv: want key, zh-CN, English: {r}')
    write(base + '.resx', [(r[0], r[1]) for r in rows])
    write(base + '.en.resx', [(r[0], r[2]) for r in rows])
